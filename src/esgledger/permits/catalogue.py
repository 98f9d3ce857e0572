"""The data the register is judged by: pollutants and their units, the register's settings,
and the rare-earth discharge standard GB 26451-2011 — all shipped as YAML beside this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

import yaml

MEDIA = ("water", "air")


@dataclass(frozen=True)
class Pollutant:
    """A pollutant a permit limits: its code, medium, comparison unit and names."""

    code: str
    medium: str
    unit: str
    name_zh: str
    name_en: str
    is_range: bool = False

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


def _data(name: str) -> Any:
    return yaml.safe_load((files("esgledger.permits") / "data" / name).read_text("utf-8"))


@lru_cache(maxsize=1)
def pollutants() -> dict[str, Pollutant]:
    """Every known pollutant by code (codes are unique across media)."""
    found: dict[str, Pollutant] = {}
    for medium, entries in _data("pollutants.yaml").items():
        for code, entry in entries.items():
            found[code] = Pollutant(
                code,
                medium,
                str(entry["unit"]),
                entry["zh"],
                entry["en"],
                entry.get("range", False),
            )
    return found


@lru_cache(maxsize=1)
def register_settings() -> dict[str, Any]:
    """Expiry warning days and the unit of yearly mass limits (data/settings.yaml)."""
    return _data("settings.yaml")


@dataclass(frozen=True)
class StandardLimit:
    """One row of GB 26451-2011 as shipped (see the file's note on confirmation)."""

    table: int
    column: str
    plants: str
    pollutant: str
    value: float | None
    unit: str
    clause: str
    confirmed: bool
    minimum: float | None = None
    note: str = ""


@lru_cache(maxsize=1)
def gb26451() -> tuple[dict[str, str], list[StandardLimit]]:
    """The standard's header (code, titles) and its rows."""
    data = _data("gb26451.yaml")
    header = {key: data[key] for key in ("standard", "title_zh", "title_en")}
    rows = [
        StandardLimit(
            table=row["table"],
            column=row["column"],
            plants=row["plants"],
            pollutant=row["pollutant"],
            value=row["value"],
            unit=str(row["unit"]),
            clause=row["clause"],
            confirmed=bool(row["confirmed"]),
            minimum=row.get("min"),
            note=row.get("note", ""),
        )
        for row in data["rows"]
    ]
    return header, rows
