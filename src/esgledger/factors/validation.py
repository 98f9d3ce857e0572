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

from esgledger.errors import EsgError, Joined, Location, Phrase, Problem
from esgledger.factors.model import Defaults, FactorEntry, OverrideScope, SetHeader
from esgledger.field_errors import CodedValueError, field_code, field_params

M = TypeVar("M", bound=BaseModel)
Loc = tuple[int | str, ...]

# fields with a hint of their own (``factor.hint.<field>``): what to write in them
HINTS = frozenset(
    {
        "key",
        "value",
        "unit",
        "confidence",
        "region",
        "valid_from",
        "valid_to",
        "citation",
        "citation_zh",
        "source_zh",
        "name",
        "dataset",
        "title",
        "version",
        "source",
        "factors",
        "overrides",
        "entities",
        "years",
        "new_key",
    }
)
THE_FILE = Phrase.of("factor.field.the_file")
THIS_FACTOR = Phrase.of("factor.field.this_factor")


def hint(name: str | None) -> Phrase:
    """What to write in the field ``name`` ("a plain number of zero or more, such as 0.1229")."""
    return Phrase.of(f"factor.hint.{name}" if name in HINTS else "factor.hint.other")


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

    def add(self, field: str | Phrase, hint: Phrase) -> Phrase:
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
    data: Mapping[str, Any], model: type[M], what: Phrase, origin: Origin, problems: list[Problem]
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


def _problem(error: Any, what: Phrase, origin: Origin, allowed: list[str]) -> Problem:
    loc = tuple(error["loc"])
    name = origin.field(loc)
    shown = None if error["type"] == "missing" else origin.shown(name)
    code, params = _explain(error, origin.label(loc) or what, name, allowed, what, origin)
    return Problem.coded(origin.location(name), shown, code, **params)


def _explain(
    error: Any,
    where: str | Phrase,
    name: str | None,
    allowed: list[str],
    what: Phrase,
    origin: Origin,
) -> tuple[str, dict[str, object]]:
    """The code of the problem and its parameters."""
    if error["type"] == "missing":
        return "factor.field.missing", {
            "what": what,
            "field": where,
            "add": origin.add(name or where, hint(name)),
        }
    if error["type"] == "extra_forbidden":
        unknown = str(error["loc"][-1])
        allowed = NESTED.get(name or "", allowed) if len(error["loc"]) > 1 else allowed
        close = difflib.get_close_matches(unknown, allowed, n=1)
        guess = Phrase.of("factor.guess", known=close[0]) if close else ""
        return "factor.field.unknown", {
            "field": where,
            "guess": guess,
            "known": Joined(tuple(allowed)),
        }
    context = error.get("ctx", {})
    if "code" in context:  # a check of this package that words its own problem (factors.dates)
        return str(context["code"]), dict(context["params"])
    expected = field_code(str(error["type"]))
    if expected != "field.invalid":  # a value of the wrong type: the shared field texts say so
        params = {**field_params(error), "field": where, "detail": ""}
        detail = Phrase.of(f"{expected}.reason", **params)
        return "factor.field.expected", {"detail": detail, "hint": hint(name)}
    detail = _detail(context.get("error") or error["msg"])
    if name is None:
        return "factor.field.entry", {"detail": detail}
    return "factor.field.invalid", {"field": where, "detail": detail, "hint": hint(name)}


def _detail(cause: object) -> Phrase | str:
    """What a check found wrong: its catalogue text, else its message (first clause)."""
    if isinstance(cause, CodedValueError):
        return cause.phrase
    if isinstance(cause, EsgError) and cause.code:
        return Phrase.of(cause.code, **cause.params)
    return str(cause).removeprefix("Value error, ").split(";")[0]
