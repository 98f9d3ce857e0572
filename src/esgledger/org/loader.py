"""Read entities from YAML or CSV, reporting every bad entry with its place in the file."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from esgledger.errors import EsgError, Location, Problem, ValidationFailed
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
                problems.append(
                    Problem(
                        Location(file=str(path), column=field, **where),
                        str(record.get(field, "")),
                        error["msg"],
                        "Correct this field.",
                    )
                )
            continue
        if entity.code in seen:
            problems.append(
                Problem(
                    Location(file=str(path), column="code", **where),
                    entity.code,
                    f"code already used at {'line' if is_yaml else 'row'} {seen[entity.code]}",
                    "Give each entity its own code.",
                )
            )
        seen[entity.code] = number
        entities.append(entity)
    if problems:
        raise ValidationFailed(f"{path}: {len(problems)} problem(s); nothing was loaded", problems)
    return entities


def build_entity(data: dict[str, Any], where: str) -> Entity:
    """One entity from field values typed on a command line, with a readable error."""
    try:
        return Entity.model_validate(data)
    except ValidationError as exc:
        details = "; ".join(
            f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}" for error in exc.errors()
        )
        raise OrgError(f"{where}: {details}") from None
