"""Factor files as YAML: a mapping of the dataset's fields with a ``factors:`` list.

Every problem is located by YAML line; the checks every format shares (the models, series
and keys) are in :mod:`esgledger.factors.validation` and :mod:`esgledger.factors.loader`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from esgledger.errors import Location, Phrase, Problem
from esgledger.factors._yaml import LineDict, read_yaml
from esgledger.factors.errors import FactorFileError
from esgledger.factors.model import FactorEntry, SetHeader
from esgledger.factors.validation import THE_FILE, THIS_FACTOR, Loc, Parsed, validate


@dataclass(frozen=True)
class _YamlOrigin:
    """A YAML mapping: problems name the line of the key at fault."""

    path: Path
    data: LineDict

    def field(self, loc: Loc) -> str | None:
        return str(loc[0]) if loc else None

    def label(self, loc: Loc) -> str:
        return ".".join(str(part) for part in loc)

    def location(self, field: str | None) -> Location:
        line = self.data.line_of(field) if field else self.data.line
        return Location(file=str(self.path), line=line, column=field)

    def shown(self, field: str | None) -> str | None:
        value = self.data.get(field) if field else None
        return None if value is None or isinstance(value, dict | list) else str(value)

    def add(self, field: str | Phrase, hint: Phrase) -> Phrase:
        return Phrase.of("factor.field.add_key", field=field, hint=hint)


def read_yaml_factors(path: Path) -> Parsed:
    """The header and factors of a YAML factor file, with every problem found.

    Raises:
        FactorFileError: the file is not YAML or not a mapping, so nothing can be checked.
    """
    raw = _parse(path)
    problems: list[Problem] = _repeated_keys(path, raw)
    header = validate(raw, SetHeader, THE_FILE, _YamlOrigin(path, raw), problems)
    entries = _entries(path, raw, header, problems)
    scope_at = Location(file=str(path), line=raw.line_of("overrides"), column="overrides")
    return Parsed(header, entries, problems, scope_at)


def _parse(path: Path) -> LineDict:
    try:
        raw = read_yaml(path)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        detail = getattr(exc, "problem", None) or str(exc)
        at = Location(file=str(path), line=line)
        problem = Problem.coded(at, None, "factor.file.not_yaml", detail=detail)
        raise FactorFileError.refusing([problem], "load.unreadable", file=path) from None
    if not isinstance(raw, LineDict):
        at = Location(file=str(path), line=1)
        problem = Problem.coded(at, None, "factor.file.not_mapping")
        raise FactorFileError.refusing([problem], "load.unreadable", file=path)
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
        entry = validate(merged, FactorEntry, THIS_FACTOR, _YamlOrigin(path, merged), problems)
        if entry is not None:
            entries.append((entry, item.line))
    return entries


def _repeated_keys(path: Path, mapping: LineDict) -> list[Problem]:
    return [
        Problem.coded(
            Location(file=str(path), line=line, column=key), None, "factor.file.key_twice", key=key
        )
        for key, line in mapping.repeated
    ]


def _not_a_mapping(path: Path, line: int, item: Any) -> Problem:
    at = Location(file=str(path), line=line, column="factors")
    return Problem.coded(at, str(item), "factor.file.entry_not_mapping")
