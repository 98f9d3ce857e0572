"""Read entities from YAML or CSV, reporting every bad entry with its place in the file."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from esgledger.errors import EsgError, Location, Problem, ValidationFailed
from esgledger.field_errors import field_problem
from esgledger.org.model import Entity


class OrgError(EsgError):
    """An organisation file that cannot be read."""


_BOOLEAN_TEXT = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def read_entities(path: Path) -> list[Entity]:
    """Entities from an ``entities:`` YAML list or a CSV with one entity per row.

    Raises:
        OrgError: the file is missing or not YAML/CSV.
        ValidationFailed: some entries are invalid; every one is listed.
    """
    if not path.exists():
        raise OrgError.coded("organisation.no_file", path=str(path))
    if path.suffix.lower() in (".yaml", ".yml"):
        records = _yaml_records(path)
    elif path.suffix.lower() == ".csv":
        records = _csv_records(path)
    else:
        raise OrgError.coded("organisation.wrong_suffix", path=str(path))
    return _validate(path, records)


def _yaml_records(path: Path) -> list[tuple[int, dict[str, Any]]]:
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise OrgError.coded("organisation.bad_yaml", path=str(path), detail=str(exc)) from None
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
        raise OrgError.coded("organisation.no_entities", path=str(path))
    nodes = next(v for k, v in root.value if k.value == "entities").value
    return [
        (node.start_mark.line + 1, item) for node, item in zip(nodes, data["entities"], strict=True)
    ]


def _csv_records(path: Path) -> list[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    records = []
    for number, row in enumerate(rows, start=2):
        cleaned: dict[str, Any] = {
            k.strip(): (v.strip() if v else None) for k, v in row.items() if k
        }
        for flag in ("operational_control", "financial_control"):
            if isinstance(cleaned.get(flag), str):
                cleaned[flag] = _BOOLEAN_TEXT.get(cleaned[flag].lower(), cleaned[flag])
        records.append((number, {k: v for k, v in cleaned.items() if v not in (None, "")}))
    return records


def _validate(path: Path, records: list[tuple[int, dict[str, Any]]]) -> list[Entity]:
    entities, problems, seen = [], [], {}
    is_yaml = path.suffix.lower() in (".yaml", ".yml")
    for number, record in records:
        where = {"line": number} if is_yaml else {"row": number}
        try:
            entity = Entity.model_validate(record)
        except ValidationError as exc:
            for error in exc.errors():
                field = ".".join(str(part) for part in error["loc"])
                at = Location(file=str(path), column=field, **where)
                problems.append(field_problem(at, error, record.get(field, "")))
            continue
        if entity.code in seen:
            at = Location(file=str(path), column="code", **where)
            first = Location(**{next(iter(where)): seen[entity.code]})
            problems.append(Problem.coded(at, entity.code, "organisation.code_twice", first=first))
        seen[entity.code] = number
        entities.append(entity)
    if problems:
        raise ValidationFailed.refusing(problems, "load.problems", file=path, count=len(problems))
    return entities


def build_entity(data: dict[str, Any], where: str) -> Entity:
    """One entity from field values typed on a command line, with a readable error."""
    try:
        return Entity.model_validate(data)
    except ValidationError as exc:
        problems = [
            field_problem(Location(), error, data.get(error["loc"][0])) for error in exc.errors()
        ]
        raise ValidationFailed.refusing(
            problems, "organisation.invalid_entity", entity=where
        ) from None
