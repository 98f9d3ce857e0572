"""The PACT v3 specification as data: its JSON schema, error codes, event types, units.

Every payload this package sends or stores is checked here against the schema shipped in
``data/pact-v3.schema.json`` (its source is in ``data/SOURCES.md``), so a footprint the
group publishes and one a supplier sends are held to the same rules.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from importlib.resources import files
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from esgledger.errors import EsgError
from esgledger.products.pact_units import declared_units

_DATA = files("esgledger.pact") / "data"
_FORMATS = FormatChecker(formats=())


@_FORMATS.checks("uuid", raises=ValueError)
def _is_uuid(value: object) -> bool:
    return not isinstance(value, str) or str(uuid.UUID(value)) == value.lower()


@_FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    """RFC 3339 date-time: a date, a time and an offset (Z or ±hh:mm)."""
    if not isinstance(value, str):
        return True
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    return "T" in value.upper() and parsed.tzinfo is not None


class PactInvalid(EsgError):
    """A payload that the PACT v3 schema refuses; ``problems`` lists each path and reason."""

    def __init__(self, what: str, problems: list[str]) -> None:
        shown = "; ".join(problems[:5]) + (" ..." if len(problems) > 5 else "")
        super().__init__(
            f"{what} does not conform to the PACT v3 schema: {shown}",
            code="pact_v3.invalid",
            params={"what": what, "problems": shown},
        )
        self.problems = problems


@cache
def settings() -> dict[str, Any]:
    """``data/pact.yaml``: error codes, event types, scopes, units, defaults."""
    return yaml.safe_load((_DATA / "pact.yaml").read_text(encoding="utf-8"))


@cache
def schema() -> dict[str, Any]:
    return json.loads((_DATA / "pact-v3.schema.json").read_text(encoding="utf-8"))


@cache
def _validator(definition: str) -> Draft202012Validator:
    whole = schema()
    return Draft202012Validator(
        {"$ref": f"#/$defs/{definition}", "$defs": whole["$defs"]}, format_checker=_FORMATS
    )


def problems(payload: object, definition: str = "ProductFootprint") -> list[str]:
    """Each way ``payload`` breaks the schema's ``definition``, as "path: reason"."""
    found = sorted(_validator(definition).iter_errors(payload), key=_error_path)
    return [f"{_error_path(error) or '(top)'}: {error.message}" for error in found]


def _error_path(error: ValidationError) -> str:
    return "/".join(str(part) for part in error.absolute_path)


def require_valid(payload: object, definition: str = "ProductFootprint", what: str = "") -> None:
    """Raise :class:`PactInvalid` unless ``payload`` is a valid ``definition``."""
    found = problems(payload, definition)
    if found:
        raise PactInvalid(what or definition, found)


def error_status(code: str) -> int:
    """The HTTP status of a PACT error response code (BadRequest → 400 ...)."""
    return int(settings()["errors"][code]["status"])


def event_type(name: str) -> str:
    return str(settings()["event_types"][name])


def event_definition(type_: str) -> str | None:
    """The schema definition of a CloudEvent type, None for a type PACT does not define."""
    names = {
        "request_created": "RequestCreatedEvent",
        "request_fulfilled": "RequestFulfilledEvent",
        "request_rejected": "RequestRejectedEvent",
        "published": "PublishedEvent",
    }
    for name, value in settings()["event_types"].items():
        if value == type_:
            return names[name]
    return None


def declared_unit(name: str) -> Mapping[str, Any]:
    units = declared_units()
    if name not in units:
        raise EsgError(
            f"declared unit {name!r} has no PACT equivalent; use one of {', '.join(units)}",
            code="pact_v3.declared_unit",
            params={"unit": name, "known": ", ".join(units)},
        )
    return units[name]
