"""The register's scales as data: categories, time horizons, likelihood, impact, grades and
the lines of the financial statements an effect may fall on (``data/scales.yaml``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

SCALES_FILE = Path(__file__).with_name("data") / "scales.yaml"


class Named(BaseModel):
    """A thing with a name in both languages."""

    model_config = ConfigDict(frozen=True, extra="allow")
    en: str
    zh: str

    def name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class Horizon(Named):
    """A time horizon: from ``start_years`` to ``end_years`` after the reporting year."""

    start_years: int
    end_years: int

    def years(self, reporting_year: int) -> tuple[int, int]:
        """The calendar years it spans, first and last (inclusive)."""
        return reporting_year + self.start_years, reporting_year + self.end_years - 1


class Grade(Named):
    """A heat-map band: scores up to ``max_score`` take its colour."""

    id: str
    max_score: int
    colour: str


class Scales(BaseModel):
    """Every scale of the register, read once."""

    model_config = ConfigDict(frozen=True)
    horizons: dict[str, Horizon]
    categories: dict[str, dict[str, Named]]
    likelihood: dict[int, Named]
    impact: dict[int, Named]
    grades: list[Grade]
    statement_lines: dict[str, Named]

    def kind_of(self, category: str) -> str | None:
        """``risk`` or ``opportunity`` for a known category, else None."""
        return next((k for k, named in self.categories.items() if category in named), None)

    def category(self, category: str) -> Named:
        kind = self.kind_of(category)
        return self.categories[kind][category] if kind else Named(en=category, zh=category)

    def all_categories(self) -> list[str]:
        return [c for named in self.categories.values() for c in named]

    def grade(self, score: int) -> Grade:
        """The band of a likelihood x impact score."""
        return next((g for g in self.grades if score <= g.max_score), self.grades[-1])


@lru_cache(maxsize=1)
def load_scales() -> Scales:
    """The shipped scales (``data/scales.yaml``)."""
    with SCALES_FILE.open(encoding="utf-8") as handle:
        return Scales.model_validate(yaml.safe_load(handle))
