"""Meters and rules are loaded from YAML lists: one reader, one way of naming a problem."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from esgledger.errors import EsgError

Model = TypeVar("Model", bound=BaseModel)


def read_yaml_list(path: Path, model: type[Model], kind: str) -> list[Model]:
    """Each item of the YAML list at ``path`` as a ``model``; the first problem is named
    with the item's place and field (``kind`` is ``meter`` or ``rule``: the error codes
    ``monitor.<kind>_file`` and ``monitor.<kind>_invalid``)."""
    try:
        items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as exc:
        raise EsgError.coded(f"monitor.{kind}_file", file=str(path), detail=str(exc)) from None
    read = []
    for number, item in enumerate(items, start=1):
        try:
            read.append(model.model_validate(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or kind
            raise EsgError.coded(
                f"monitor.{kind}_invalid",
                file=str(path),
                number=number,
                field=field,
                detail=first["msg"],
            ) from None
    return read
