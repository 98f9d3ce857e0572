"""Read factor files: the shipped, cited datasets and a user's own override files.

Every file is validated whole before anything is used: each problem (unknown field, bad
unit, duplicate or overlapping validity) is reported with file and YAML line, and the file
is refused as a unit, so a half-read factor set never reaches a calculation.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from esgledger.errors import Location, Problem
from esgledger.factors._yaml import LineDict, read_yaml
from esgledger.factors.checks import series_problems
from esgledger.factors.errors import FactorError, FactorFileError
from esgledger.factors.lookup import FactorLibrary
from esgledger.factors.model import Factor, FactorEntry, FactorSet, OverrideScope, SetHeader

DATA_DIR = Path(__file__).resolve().parent / "data"

HINTS = {
    "key": "a dotted lower-case name such as ncv.natural_gas or gwp.CF4",
    "value": "a plain number such as 0.1229",
    "unit": "a unit pint reads, such as kgce/kWh, tCO2/MWh, GJ/t or dimensionless",
    "confidence": "V (verified), T (one transcription) or M (from memory, unchecked)",
    "region": "a region code such as north or CN-NM, or null for everywhere",
    "valid_from": "a date such as 2024-01-01",
    "valid_to": "a date after valid_from, or nothing so the value holds until the next one",
    "citation": "the table, page or URL the value comes from",
    "name": "a lower-case identifier such as plant_measured_ncv",
    "title": "a readable name of the dataset",
    "version": 'a label such as "2024"',
    "source": "the full reference of the dataset (standard, publisher, year)",
    "factors": "a list of factors, each with key, value, unit and confidence",
    "overrides": "global, or a mapping such as {entities: [SMELT], years: [2024]}",
}


def load_factor_sets(extra_paths: Iterable[str | Path] | None = None) -> FactorLibrary:
    """The shipped factor sets plus the user's override files, ready for lookup.

    Args:
        extra_paths: user factor files (or directories of them). Each one overrides the
            shipped defaults for the entities and years its ``overrides:`` names, or for
            everything when it declares ``overrides: global`` or nothing.

    Raises:
        FactorFileError: a file has problems; all of them are listed with their lines.
        FactorError: a path does not exist or an override replaces an unknown dataset.
    """
    overrides = [read_factor_file(path) for path in _expand(extra_paths or ())]
    return FactorLibrary(shipped_factor_sets(), overrides)


@lru_cache(maxsize=1)
def shipped_factor_sets() -> tuple[FactorSet, ...]:
    """Every YAML file under ``factors/data``, read once per process (they never change)."""
    sets = tuple(read_factor_file(p, shipped=True) for p in sorted(DATA_DIR.rglob("*.yaml")))
    problems = series_problems(f for s in sets for f in s.factors)
    if problems:
        raise FactorFileError("the shipped factor sets contradict each other", problems)
    return sets


def read_factor_file(path: Path, *, shipped: bool = False) -> FactorSet:
    """One factor file, validated whole.

    Raises:
        FactorFileError: every problem of the file, each with its YAML line.
    """
    raw = _parse(path)
    problems: list[Problem] = _repeated_keys(path, raw)
    header = _validate(path, raw, SetHeader, "the file", problems)
    entries = _entries(path, raw, header, problems)
    factors: tuple[Factor, ...] = ()
    if header is not None:
        problems.extend(_scope_problems(path, raw, header, shipped))
        factors = tuple(_factor(path, header, entry, line) for entry, line in entries)
        problems.extend(series_problems(factors))
    if problems or header is None:
        problems.sort(key=lambda p: p.location.line or 0)
        raise FactorFileError(f"{path}: {len(problems)} problem(s); nothing was loaded", problems)
    return _factor_set(path, header, factors, shipped)


def _parse(path: Path) -> LineDict:
    try:
        raw = read_yaml(path)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = f"the file is not valid YAML ({getattr(exc, 'problem', None) or exc})"
        fix = "Check indentation and quoting around this line."
        problem = Problem(Location(file=str(path), line=line), None, reason, fix)
        raise FactorFileError(f"{path}: cannot be read; nothing was loaded", [problem]) from None
    if not isinstance(raw, LineDict):
        problem = Problem(
            Location(file=str(path), line=1),
            None,
            "the file does not start with a mapping of name, title, version, source and factors",
            "Write a mapping such as 'name: my_factors' followed by a 'factors:' list.",
        )
        raise FactorFileError(f"{path}: cannot be read; nothing was loaded", [problem])
    return raw


def _entries(
    path: Path, raw: LineDict, header: SetHeader | None, problems: list[Problem]
) -> list[tuple[FactorEntry, int]]:
    """Validate each factor of the file, filling in the file's defaults first."""
    items = raw.get("factors")
    if not isinstance(items, list):
        return []
    defaults = header.defaults.model_dump(exclude_none=True) if header else {}
    entries = []
    for item in items:
        if not isinstance(item, LineDict):
            problems.append(_not_a_mapping(path, raw.line_of("factors"), item))
            continue
        problems.extend(_repeated_keys(path, item))
        merged = LineDict({**defaults, **item})
        merged.line, merged.key_lines, merged.repeated = item.line, item.key_lines, []
        entry = _validate(path, merged, FactorEntry, "this factor", problems)
        if entry is not None:
            entries.append((entry, item.line))
    return entries


def _validate(
    path: Path, data: LineDict, model: type[BaseModel], what: str, problems: list[Problem]
) -> Any:
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
            problems.append(_problem(path, data, error, what, allowed))
        return None


def _problem(path: Path, data: LineDict, error: Any, what: str, allowed: list[str]) -> Problem:
    loc = [str(part) for part in error["loc"]]
    field = loc[0] if loc else None
    line = data.line_of(field) if field else data.line
    value = data.get(field) if field and error["type"] != "missing" else None
    reason, fix = _explain(error, ".".join(loc) or what, field, allowed, what)
    shown = None if value is None or isinstance(value, dict | list) else str(value)
    return Problem(Location(file=str(path), line=line, column=field), shown, reason, fix)


def _explain(
    error: Any, where: str, field: str | None, allowed: list[str], what: str
) -> tuple[str, str]:
    hint = HINTS.get(field or "", "a valid value")
    if error["type"] == "missing":
        return f"{what} has no '{where}'", f"Add '{field}:' with {hint}."
    if error["type"] == "extra_forbidden":
        close = difflib.get_close_matches(field or "", allowed, n=1)
        guess = f"Did you mean '{close[0]}'? " if close else ""
        return f"unknown field '{field}'", f"{guess}Known fields are: {', '.join(allowed)}."
    message = str(error.get("ctx", {}).get("error") or error["msg"])
    message = message.removeprefix("Value error, ").split(";")[0]
    if field is None:
        return message, "Correct the factor as described."
    return f"'{where}' is not valid: {message}", f"Write {hint}."


def _repeated_keys(path: Path, mapping: LineDict) -> list[Problem]:
    return [
        Problem(
            Location(file=str(path), line=line, column=key),
            None,
            f"'{key}' is written twice in the same mapping; YAML would keep only the last",
            "Keep one of them.",
        )
        for key, line in mapping.repeated
    ]


def _not_a_mapping(path: Path, line: int, item: Any) -> Problem:
    return Problem(
        Location(file=str(path), line=line, column="factors"),
        str(item),
        "a factor must be a mapping with key, value, unit and confidence",
        "Write each factor as '- key: ...' followed by its fields, indented.",
    )


def _scope_problems(path: Path, raw: LineDict, header: SetHeader, shipped: bool) -> list[Problem]:
    if shipped and header.overrides is not None:
        return [
            Problem(
                Location(file=str(path), line=raw.line_of("overrides"), column="overrides"),
                None,
                "a shipped dataset declares overrides; shipped data are the defaults",
                "Remove 'overrides:' here, or pass this file as an extra user file.",
            )
        ]
    return []


def _factor(path: Path, header: SetHeader, entry: FactorEntry, line: int) -> Factor:
    citation = f"{header.source} — {entry.citation}" if entry.citation else header.source
    data = entry.model_dump(exclude={"citation", "version"})
    return Factor(
        **data,
        dataset=header.name,
        version=entry.version or header.version,
        citation=citation,
        origin=f"{path}:{line}",
    )


def _factor_set(
    path: Path, header: SetHeader, factors: tuple[Factor, ...], shipped: bool
) -> FactorSet:
    """A user file with no ``overrides:`` is global: it wins for every entity and year."""
    scope = header.overrides
    overrides = None if shipped else scope if isinstance(scope, OverrideScope) else OverrideScope()
    fields = header.model_dump(exclude={"factors", "defaults", "overrides"})
    return FactorSet(**fields, overrides=overrides, path=str(path), factors=factors)


def _expand(paths: Iterable[str | Path]) -> Sequence[Path]:
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted([*path.rglob("*.yaml"), *path.rglob("*.yml")]))
        elif path.is_file():
            found.append(path)
        else:
            raise FactorError(
                f"{path}: no such factor file; give the path of a YAML factor file "
                "or of a directory holding them"
            )
    return found
