"""The assessment's declared data: rating scale, stakeholder groups, tiers, SSE No.14 topics.

Everything a score depends on is data with its source (``data/method.yaml``,
``data/sse14_topics.yaml``), read into pydantic models so that a company's own method file
is checked the same way as the shipped one.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, model_validator

from esgledger.errors import EsgError

DATA = Path(__file__).with_name("data")
Part = Literal["impact", "financial"]


class Named(BaseModel):
    """Anything shown by name in both languages."""

    id: str
    name_zh: str
    name_en: str

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


class StakeholderGroup(Named):
    asks: list[Part]
    weight: float = Field(gt=0)


class Tier(Named):
    min: float


class Scale(BaseModel):
    min: int
    max: int


class Method(BaseModel):
    """How responses become scores: scale, dimensions, groups and their weights, tiers."""

    sources: dict[str, str]
    scale: Scale
    dimensions: dict[Part, list[str]]
    stakeholder_groups: list[StakeholderGroup]
    tiers: list[Tier]
    not_material: Named
    weights_source: str
    thresholds_source: str

    @model_validator(mode="after")
    def _tiers_descend(self) -> Method:
        mins = [tier.min for tier in self.tiers]
        if mins != sorted(mins, reverse=True):
            raise ValueError("tiers must be listed from the highest threshold down")
        return self

    def group(self, group_id: str) -> StakeholderGroup:
        for group in self.stakeholder_groups:
            if group.id == group_id:
                return group
        known = ", ".join(g.id for g in self.stakeholder_groups)
        raise EsgError(
            f"{group_id!r} is not a stakeholder group; use one of {known}",
            code="assessment.unknown_group",
            params={"group": group_id, "known": known},
        )

    def asked(self, group_id: str) -> list[str]:
        """The dimensions the group's questionnaire rates each topic on, in order."""
        return [dim for part in self.group(group_id).asks for dim in self.dimensions[part]]


class Topic(Named):
    """A topic of a year's assessment: an SSE No.14 topic or one of the group's own."""

    dimension: Literal["environmental", "social", "governance"]
    article: str | None = None  # SSE No.14 article, for its own topics
    sse_topic: str | None = None  # the SSE topic a group topic answers, if any
    source: str = ""


@lru_cache(maxsize=4)
def load_method(path: Path | None = None) -> Method:
    """The scoring method (the shipped one unless a company's file is given)."""
    with (path or DATA / "method.yaml").open(encoding="utf-8") as handle:
        return Method.model_validate(yaml.safe_load(handle))


@lru_cache(maxsize=1)
def sse14_topics() -> list[Topic]:
    """SSE Guideline No.14's 21 topics, cited to their articles."""
    with (DATA / "sse14_topics.yaml").open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    source = data["source"]["title"]
    return [
        Topic(
            id=t["id"],
            name_zh=t["name_zh"],
            name_en=t["name_en"],
            dimension=t["dimension"],
            article=t["article"],
            source=f"{source} {t['article']}",
        )
        for t in data["topics"]
    ]
