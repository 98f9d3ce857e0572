"""The kinds of narrative block (data/kinds.yaml): where the report prints each and what it
answers by default. Data, so that a new kind of section is a few lines of YAML."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

DATA = Path(str(files("esgledger.narrative"))) / "data"


class Kind(BaseModel):
    """One kind of block: its report section, whether a year holds several, its titles."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    section: str
    several: bool
    order: int
    title: dict[str, str]
    answers: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        return self.title.get(lang) or self.title["en"]


@cache
def load_kinds() -> dict[str, Kind]:
    """Every kind by id, in the order the report prints them."""
    raw = yaml.safe_load((DATA / "kinds.yaml").read_text(encoding="utf-8"))["kinds"]
    kinds = [Kind(id=name, **fields) for name, fields in raw.items()]
    return {kind.id: kind for kind in sorted(kinds, key=lambda k: k.order)}


def sections_of_kinds() -> dict[str, tuple[str, ...]]:
    """Report section id → the kinds it prints, in order."""
    found: dict[str, list[str]] = {}
    for kind in load_kinds().values():
        found.setdefault(kind.section, []).append(kind.id)
    return {section: tuple(kinds) for section, kinds in found.items()}
