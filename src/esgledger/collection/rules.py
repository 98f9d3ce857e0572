"""The obligation rules (``data/obligations.yaml``): which entities owe which inputs.

A rule picks indicators (by catalog topic or id pattern) and entities (by kind, segment and
tag); rules are applied in file order and the last one that matches a pair decides, so a
general rule comes first and its exceptions after it.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from esgledger.catalog.registry import Catalog
from esgledger.errors import EsgError
from esgledger.org.model import Entity, EntityKind, Segment

RULES_FILE = Path(__file__).with_name("data") / "obligations.yaml"


class Rule(BaseModel):
    """One line of the rules: these indicators are (or with ``owe: false`` are not) owed by
    these entities in these years."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    topics: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    kinds: tuple[EntityKind, ...] | None = None
    segments: tuple[Segment, ...] | None = None
    tags: tuple[str, ...] | None = None
    owe: bool = True
    since: int | None = None
    until: int | None = None

    def applies_to(self, entity: Entity, year: int) -> bool:
        """Whether ``entity`` is one of the entities this rule speaks of in ``year``."""
        if (self.since is not None and year < self.since) or (
            self.until is not None and year > self.until
        ):
            return False
        if self.kinds is not None and entity.kind not in self.kinds:
            return False
        if self.segments is not None and entity.segment not in self.segments:
            return False
        return self.tags is None or bool(set(self.tags) & set(entity.tags))

    def picks(self, catalog: Catalog) -> frozenset[str]:
        """The input indicators of ``catalog`` this rule names."""
        return frozenset(
            ind.id
            for ind in catalog.inputs()
            if ind.topic in self.topics
            or any(fnmatch.fnmatchcase(ind.id, pattern) for pattern in self.indicators)
        )


class RuleFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str = Field(min_length=1)
    confidence: str
    rules: tuple[Rule, ...]


def load_rules(path: Path = RULES_FILE) -> tuple[Rule, ...]:
    """The rules of ``path`` (the shipped file by default), read once.

    Raises:
        EsgError: the file is not valid YAML or a rule breaks the format.
    """
    return _load(str(path))


@cache
def _load(path: str) -> tuple[Rule, ...]:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return RuleFile.model_validate(raw).rules
    except (yaml.YAMLError, ValidationError, OSError) as exc:
        raise EsgError.coded("campaign.bad_rules", file=path, problem=str(exc)) from None


def owed_by_rules(catalog: Catalog, entity: Entity, year: int, rules: Sequence[Rule]) -> set[str]:
    """The inputs ``entity`` owes for ``year`` by the rules alone (before overrides)."""
    owed: set[str] = set()
    for rule in rules:
        if rule.applies_to(entity, year):
            picked = _picked(catalog, rule)
            if rule.owe:
                owed |= picked
            else:
                owed -= picked
    return owed


_PICKS: dict[tuple[int, Rule], frozenset[str]] = {}


def _picked(catalog: Catalog, rule: Rule) -> frozenset[str]:
    """A rule's indicators, remembered per catalog object (a catalog is immutable)."""
    key = (id(catalog), rule)
    if key not in _PICKS:
        if len(_PICKS) > 512:
            _PICKS.clear()
        _PICKS[key] = rule.picks(catalog)
    return _PICKS[key]
