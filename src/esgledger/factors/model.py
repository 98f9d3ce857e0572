"""What a factor is: a cited, dated, regional value with a unit and a confidence tag.

A factor carries everything ``explain`` must show next to a computed number (dataset,
version, citation, confidence), so the engine never needs to look anything up again to
justify a result. Values hold from ``valid_from`` (inclusive) until ``valid_to``
(exclusive) or, when that is open, until the next value of the same series starts; how
files write these dates is in :mod:`esgledger.factors.dates`.
"""

from __future__ import annotations

import math
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from esgledger.errors import Location
from esgledger.factors.dates import Day, EndDay
from esgledger.field_errors import CodedValueError
from esgledger.units import UnitError, parse_unit

KEY_PATTERN = r"^[a-z][a-z0-9_]*(\.[A-Za-z0-9][A-Za-z0-9_()\-]*)+$"
NAME_PATTERN = r"^[a-z][a-z0-9_]*$"


def _as_text(value: Any) -> Any:
    """YAML reads ``version: 2020`` as a number; a version is a label, so keep it as text."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


Text = Annotated[str, BeforeValidator(_as_text)]


class Confidence(StrEnum):
    """How far a value was checked; the engine warns on anything below ``V``.

    V: checked against the source itself or two independent transcriptions that agree.
    T: one third-party transcription, consistent with the method.
    M: from memory or a derived choice, not checked; never a silent default.
    """

    V = "V"
    T = "T"
    M = "M"


class FactorEntry(BaseModel):
    """One factor as written in a file (a YAML mapping or a CSV row); dataset from the file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=KEY_PATTERN)
    value: float
    unit: str
    confidence: Confidence
    region: str | None = None
    valid_from: Day = None
    valid_to: EndDay = None
    citation: str | None = None
    citation_zh: str | None = None  # the citation in Chinese, beside the file's source_zh
    notes: str | None = None
    version: Text | None = None
    new_key: bool = False  # the key is new on purpose, not a misspelling of a known one

    @field_validator("value")
    @classmethod
    def _finite_and_not_negative(cls, value: float) -> float:
        """No shipped factor is negative; a negative one would turn emissions into removals."""
        if not math.isfinite(value):
            raise CodedValueError("factor.value.not_finite")
        if value < 0:
            raise CodedValueError("factor.value.negative")
        return value

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str) -> str:
        try:
            parse_unit(unit)
        except UnitError as exc:
            if exc.code is None:
                raise ValueError(exc.message) from None
            raise CodedValueError(exc.code, **exc.params) from None
        return unit

    @field_validator("region")
    @classmethod
    def _region_text(cls, region: str | None) -> str | None:
        return region.strip() or None if region is not None else None

    @field_validator("valid_to")
    @classmethod
    def _after_start(cls, valid_to: date | None, info: ValidationInfo) -> date | None:
        """A field check (not a model check) so it is reported next to other mistakes."""
        valid_from = info.data.get("valid_from")
        if valid_from and valid_to and valid_to <= valid_from:
            raise CodedValueError("factor.value.ends_first", to=valid_to, since=valid_from)
        return valid_to


class Factor(BaseModel):
    """A factor ready for lookup: the entry plus its dataset, version and full citation."""

    model_config = ConfigDict(frozen=True)

    key: str
    value: float
    unit: str
    region: str | None
    valid_from: date | None
    valid_to: date | None
    dataset: str
    version: str
    citation: str
    confidence: Confidence
    citation_zh: str | None = None
    notes: str | None = None
    origin: str | None = None

    def cited(self, lang: str) -> str:
        """The citation in ``lang``: the Chinese one on a Chinese page when the file has one."""
        return self.citation_zh if lang == "zh" and self.citation_zh else self.citation

    @property
    def label(self) -> str:
        """Short reference: ``grid.electricity [north] from 2023-01-01 (cn_grid_mee 2023)``."""
        where = f" [{self.region}]" if self.region else ""
        since = f" from {self.valid_from}" if self.valid_from else ""
        return f"{self.key}{where}{since} ({self.dataset} {self.version})"


class OverrideScope(BaseModel):
    """Which lookups a user factor file wins for: some entities, some years, or all."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    entities: tuple[str, ...] = ()
    years: tuple[int, ...] = ()

    def applies(self, entity: str | None, on: date) -> bool:
        """True when the lookup's entity and year fall inside this scope."""
        entity_ok = not self.entities or entity in self.entities
        return entity_ok and (not self.years or on.year in self.years)

    @property
    def specificity(self) -> int:
        """Entity-and-year scopes beat entity scopes, which beat year scopes, then global."""
        return 2 * bool(self.entities) + bool(self.years)


class Defaults(BaseModel):
    """Values every factor of a file inherits unless it writes its own."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    valid_from: Day = None
    valid_to: EndDay = None
    region: str | None = None


class SetHeader(BaseModel):
    """The top of a factor file: what the dataset is and where it comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=NAME_PATTERN)
    title: Text
    version: Text
    source: str = Field(min_length=3)
    source_zh: str | None = None  # the source in Chinese: a Chinese standard's own title
    description: str | None = None
    url: str | None = None
    gwp_set: str | None = None
    overrides: OverrideScope | None = None
    replaces: str | None = None
    defaults: Defaults = Defaults()
    factors: list[Any] = Field(min_length=1)

    @field_validator("overrides", mode="before")
    @classmethod
    def _global_scope(cls, value: Any) -> Any:
        """``overrides: global`` is the scope of no chosen entity and no chosen year.

        Anything but ``global`` or a mapping gets one plain reason, not one per form the
        field could take.
        """
        if value == "global":
            return {}
        if value is not None and not isinstance(value, dict):
            raise CodedValueError("factor.value.scope", value=value)
        return value


class FactorSet(BaseModel):
    """One dataset version as loaded from one file."""

    model_config = ConfigDict(frozen=True)

    name: str
    title: str
    version: str
    source: str
    description: str | None = None
    url: str | None = None
    gwp_set: str | None = None
    overrides: OverrideScope | None = None
    replaces: str | None = None
    path: str | None = None
    scope_at: Location | None = None  # where the file names the entities and years it is for
    factors: tuple[Factor, ...]

    @property
    def is_override(self) -> bool:
        """User files are overrides; shipped files are the defaults they override."""
        return self.overrides is not None
