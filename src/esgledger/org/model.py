"""Entities and the group tree they form.

An entity carries what consolidation needs (ownership share held by its parent, control
flags) and what factor lookup needs (province, grid region), so that no calculation has to
ask anything outside the tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from esgledger.errors import EsgError, NotFoundError
from esgledger.org.divisions import grid_region_of, known_province


class EntityKind(StrEnum):
    GROUP = "group"
    SUBSIDIARY = "subsidiary"
    BRANCH = "branch"
    FACILITY = "facility"


class Segment(StrEnum):
    SMELTING_SEPARATION = "smelting_separation"
    METALS = "metals"
    FUNCTIONAL_MATERIALS = "functional_materials"
    APPLICATIONS = "applications"
    TRADING_SERVICES = "trading_services"
    MINING = "mining"


class Entity(BaseModel):
    """One node of the group tree."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[A-Z0-9][A-Z0-9_-]*$", max_length=40)
    name_en: str = Field(min_length=1)
    name_zh: str = Field(min_length=1)
    kind: EntityKind
    parent: str | None = None
    province: str | None = None
    region: str | None = None
    grid_region: str | None = None
    # GB/T 2260 administrative division code of the site: gives the grid when grid_region
    # is not set (see org/divisions.py)
    division_code: str | None = Field(default=None, pattern=r"^[0-9]{6}$")
    ownership_share: float = Field(default=1.0, ge=0.0, le=1.0)
    operational_control: bool = True
    financial_control: bool = True
    segment: Segment | None = None
    tags: tuple[str, ...] = ()

    @field_validator("tags", mode="before")
    @classmethod
    def _split_tags(cls, value: object) -> object:
        """CSV cells hold tags as ``a;b``; YAML holds a list. Both become a tuple."""
        if value is None:
            return ()
        if isinstance(value, str):
            return tuple(tag.strip() for tag in value.split(";") if tag.strip())
        return value

    @field_validator("division_code")
    @classmethod
    def _known_province(cls, value: str | None) -> str | None:
        """The first two digits must name a province, or no grid could ever be found."""
        if value is not None and not known_province(value):
            raise ValueError(
                f"{value} names no province (its first two digits {value[:2]} are not a "
                "GB/T 2260 province code, e.g. 15 Inner Mongolia, 62 Gansu, 36 Jiangxi)"
            )
        return value

    @property
    def lookup_grid_region(self) -> str | None:
        """The grid region factors are looked up for (own, else from the division code)."""
        return grid_region_of(self.grid_region, self.division_code)

    def name(self, lang: str = "en") -> str:
        return self.name_zh if lang == "zh" else self.name_en


class OrgTree:
    """The entities of a group, checked to form one tree.

    Raises:
        EsgError: a parent that is missing, a cycle, or more than one root.
    """

    def __init__(self, entities: list[Entity]) -> None:
        self._by_code = {entity.code: entity for entity in entities}
        self._check_tree()

    def _check_tree(self) -> None:
        roots = [e.code for e in self._by_code.values() if e.parent is None]
        for entity in self._by_code.values():
            if entity.parent is not None and entity.parent not in self._by_code:
                raise EsgError.coded(
                    "organisation.unknown_parent", code=entity.code, parent=entity.parent
                )
        if len(roots) > 1:
            raise EsgError.coded(
                "organisation.several_roots", count=len(roots), roots=", ".join(sorted(roots))
            )
        for code in self._by_code:
            self.ancestors(code)  # raises on a cycle

    def __iter__(self) -> Iterator[Entity]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Entity:
        try:
            return self._by_code[code]
        except KeyError:
            raise NotFoundError.coded("organisation.no_entity", code=code) from None

    @property
    def root(self) -> Entity | None:
        return next((e for e in self._by_code.values() if e.parent is None), None)

    def children(self, code: str) -> list[Entity]:
        return sorted((e for e in self if e.parent == code), key=lambda e: e.code)

    def ancestors(self, code: str) -> list[Entity]:
        """Parents of ``code`` from the nearest up to the root."""
        chain, seen = [], {code}
        current = self.get(code)
        while current.parent is not None:
            if current.parent in seen:
                raise EsgError.coded("organisation.cycle", code=current.parent)
            seen.add(current.parent)
            current = self.get(current.parent)
            chain.append(current)
        return chain

    def descendants(self, code: str) -> list[Entity]:
        result = []
        for child in self.children(code):
            result.append(child)
            result.extend(self.descendants(child.code))
        return result

    def equity_share(self, code: str) -> float:
        """The root's effective share of ``code``: the product of shares down the tree."""
        share = self.get(code).ownership_share
        for ancestor in self.ancestors(code):
            if ancestor.parent is not None:
                share *= ancestor.ownership_share
        return share

    def tagged(self, tag: str) -> list[Entity]:
        return [e for e in self if tag in e.tags]

    def boundary_counts(self) -> tuple[int, int]:
        """(affiliates, facilities): the branches and subsidiaries below the parent company,
        and the facilities that report separately below them.

        The one rule by which the report counts "entities": a facility is a site of an
        affiliate, not one more company, and the parent company is not its own affiliate.
        """
        kinds = [e.kind for e in self]
        affiliates = sum(k in (EntityKind.SUBSIDIARY, EntityKind.BRANCH) for k in kinds)
        return affiliates, sum(k is EntityKind.FACILITY for k in kinds)
