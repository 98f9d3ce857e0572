"""Validation shared by every factor file format, and the wording of its problems.

YAML and CSV files are checked by the same pydantic models (:mod:`esgledger.factors.model`);
only the way a problem is located differs (a YAML line, or a CSV row and column), which an
:class:`Origin` supplies. Pydantic's own wording never reaches the user.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from esgledger.errors import Location, Problem
from esgledger.factors.model import Defaults, FactorEntry, OverrideScope, SetHeader

M = TypeVar("M", bound=BaseModel)
Loc = tuple[int | str, ...]

HINTS = {
    "key": "a dotted lower-case name such as ncv.natural_gas or gwp.CF4",
    "value": "a plain number of zero or more, such as 0.1229",
    "unit": "a unit pint reads, such as kgce/kWh, tCO2/MWh, GJ/t or dimensionless",
    "confidence": "V (verified), T (one transcription) or M (from memory, unchecked)",
    "region": "a region code such as north or CN-NM, or null for everywhere",
    "valid_from": "the first day the value holds as YYYY-MM-DD, such as 2024-01-01",
    "valid_to": "the first day the value no longer holds as YYYY-MM-DD, after valid_from "
    "(2025-01-01 for a value through 2024), or nothing so it holds until the next value",
    "citation": "the table, page or URL the value comes from",
    "citation_zh": "the citation in Chinese, such as 表A.1，原煤",
    "source_zh": "the source in Chinese, such as GB/T 2589-2020《综合能耗计算通则》",
    "name": "a lower-case identifier such as plant_measured_ncv",
    "dataset": "a lower-case identifier such as plant_measured_ncv",
    "title": "a readable name of the dataset",
    "version": 'a label such as "2024"',
    "source": "the full reference of the dataset (standard, publisher, year)",
    "factors": "a list of factors, each with key, value, unit and confidence",
    "overrides": "global, or a mapping such as {entities: [SMELT], years: [2024]}",
    "entities": "entity codes separated by ';' such as SMELT;MINE, or nothing for all",
    "years": "years separated by ';' such as 2023;2024, or nothing for all",
    "new_key": "true for a key that is new on purpose, else nothing",
}

NESTED = {  # the fields of a mapping inside the file's top mapping
    "overrides": sorted(OverrideScope.model_fields),
    "defaults": sorted(Defaults.model_fields),
}


class Origin(Protocol):
    """Where the mapping handed to :func:`validate` was written, in the user's own terms."""

    def field(self, loc: Loc) -> str | None:
        """The name the user wrote for pydantic's error location (a key or a column)."""
        ...

    def label(self, loc: Loc) -> str:
        """How the reason names the bad field."""
        ...

    def location(self, field: str | None) -> Location:
        """File and line, or file, row and column, of ``field``."""
        ...

    def shown(self, field: str | None) -> str | None:
        """The text the user wrote for ``field``, if it is a single value."""
        ...

    def add(self, field: str, hint: str) -> str:
        """How to fix a missing ``field``."""
        ...


@dataclass
class Parsed:
    """One factor file as read by its format's reader, before the checks every format shares.

    ``entries`` pair each factor with its line (YAML) or row (CSV); ``scope_at`` is where the
    file declares the entities and years it overrides for.
    """

    header: SetHeader | None
    entries: list[tuple[FactorEntry, int]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    scope_at: Location = field(default_factory=Location)


def validate(
    data: Mapping[str, Any], model: type[M], what: str, origin: Origin, problems: list[Problem]
) -> M | None:
    """``model`` built from ``data``, or None with every problem appended to ``problems``."""
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        allowed = sorted(model.model_fields)
        errors = exc.errors(include_url=False)
        # A misspelt field also shows up as a missing one; report only the misspelling.
        guessed = {
            match
            for error in errors
            if error["type"] == "extra_forbidden"
            for match in difflib.get_close_matches(str(error["loc"][0]), allowed, n=1)
        }
        for error in errors:
            if error["type"] == "missing" and error["loc"] and error["loc"][0] in guessed:
                continue
            problems.append(_problem(error, what, origin, allowed))
        return None


def _problem(error: Any, what: str, origin: Origin, allowed: list[str]) -> Problem:
    loc = tuple(error["loc"])
    name = origin.field(loc)
    shown = None if error["type"] == "missing" else origin.shown(name)
    reason, fix = _explain(error, origin.label(loc) or what, name, allowed, what, origin)
    return Problem(origin.location(name), shown, reason, fix)


def _explain(
    error: Any, where: str, name: str | None, allowed: list[str], what: str, origin: Origin
) -> tuple[str, str]:
    hint = HINTS.get(name or "", "a valid value")
    if error["type"] == "missing":
        return f"{what} has no '{where}'", origin.add(name or where, hint)
    if error["type"] == "extra_forbidden":
        unknown = str(error["loc"][-1])
        allowed = NESTED.get(name or "", allowed) if len(error["loc"]) > 1 else allowed
        close = difflib.get_close_matches(unknown, allowed, n=1)
        guess = f"Did you mean '{close[0]}'? " if close else ""
        return f"unknown field '{where}'", f"{guess}Known fields are: {', '.join(allowed)}."
    context = error.get("ctx", {})
    if "fix" in context:  # a check that words its own reason and fix (factors.dates)
        return str(context["reason"]), str(context["fix"])
    message = str(context.get("error") or error["msg"])
    message = message.removeprefix("Value error, ").split(";")[0]
    if name is None:
        return message, "Correct the factor as described."
    return f"'{where}' is not valid: {message}", f"Write {hint}."
