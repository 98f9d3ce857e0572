"""Reading movements and verified emissions from CSV files (one row per movement).

Every row is checked before anything is written; the first bad cell is named by file, row
and column with what to write instead (``carbon_asset.bad_cell``), so a file is taken
whole or not at all.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from esgledger.carbon_assets.model import MovementIn, VerifiedIn
from esgledger.errors import EsgError, Location, render

_M = TypeVar("_M", bound=BaseModel)


def read_rows(path: Path, model: type[_M]) -> list[_M]:
    """The file's rows as ``model``; empty cells are left out (the field's default)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    found = []
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        cells = {k.strip(): v.strip() for k, v in row.items() if k and v and v.strip()}
        try:
            found.append(model.model_validate(cells))
        except ValidationError as exc:
            error = exc.errors()[0]
            column = str(error["loc"][0]) if error["loc"] else ""
            params = {"column": column, "value": cells.get(column, ""), "problem": error["msg"]}
            raise EsgError(
                render("carbon_asset.bad_cell", "en", **params),
                code="carbon_asset.bad_cell",
                params=params,
                location=Location(file=path.name, row=number, column=column),
            ) from None
    return found


def read_movements(path: Path) -> list[MovementIn]:
    return read_rows(path, MovementIn)


def read_verified(path: Path) -> list[VerifiedIn]:
    return read_rows(path, VerifiedIn)
