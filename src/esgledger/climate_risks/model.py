"""A climate-related risk or opportunity as data: what the register's records hold.

The models check the shape (types, required fields); :mod:`.checks` checks the values
against the scales and against the organisation, the catalog and the targets file, and
names every problem in both languages before anything is written.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from esgledger.glossary import has_chinese

KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$"
EffectMeasure = Literal["carbon_cost", "lever_cost", "total_cost"]


def _in(lang: str, zh: str, en: str) -> str:
    return (zh or en) if lang == "zh" else (en or zh)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FinancialEffect(_Frozen):
    """A financial effect as a range in ``currency`` (a CNY unit such as ``CNY``,
    ``10^4 CNY``; another currency needs ``rate_to_cny``), on one line of the statements."""

    low: float
    high: float
    currency: str = "CNY"
    rate_to_cny: float | None = Field(default=None, gt=0)
    line: str
    note: str = Field(default="", max_length=2000)


class DerivedEffect(_Frozen):
    """An anticipated effect computed from the scenario analysis: the range of ``measure``
    in ``year`` across the carbon-price scenarios applied to pathway ``pathway``."""

    measure: EffectMeasure = "carbon_cost"
    year: int = Field(ge=2000, le=2100)
    pathway: str = Field(default="business_as_usual", max_length=100)
    line: str = "cost_of_sales"


class ClimateItem(_Frozen):
    """One risk or opportunity of the register."""

    key: str = Field(pattern=KEY_PATTERN)
    category: str
    title_en: str = Field(min_length=1, max_length=300)
    title_zh: str = Field(min_length=1, max_length=300)
    description_en: str = Field(default="", max_length=4000)
    description_zh: str = Field(default="", max_length=4000)
    entities: tuple[str, ...] = Field(min_length=1)
    assets: tuple[str, ...] = ()
    horizon: str
    likelihood: int
    impact: int
    current_effect: FinancialEffect | None = None
    anticipated_effect: FinancialEffect | None = None
    derived_effect: DerivedEffect | None = None
    response_en: str = Field(default="", max_length=4000)
    response_zh: str = Field(default="", max_length=4000)
    owner: str = Field(default="", max_length=200)
    metrics: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _one_language_text(cls, data: Any) -> Any:
        """Read ``description`` and ``response`` written in one field (records, files and
        API bodies from before the two languages) as the language they are written in."""
        if isinstance(data, dict) and ("description" in data or "response" in data):
            data = dict(data)
            for name in ("description", "response"):
                text = data.pop(name, None) or ""
                if text:
                    data.setdefault(f"{name}_{'zh' if has_chinese(text) else 'en'}", text)
        return data

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def description(self, lang: str) -> str:
        """The description in ``lang``, else in the other language (pages mark which)."""
        return _in(lang, self.description_zh, self.description_en)

    def response(self, lang: str) -> str:
        """The response in ``lang``, else in the other language (pages mark which)."""
        return _in(lang, self.response_zh, self.response_en)

    @property
    def score(self) -> int:
        """Likelihood x impact: the heat-map position's weight."""
        return self.likelihood * self.impact

    def payload(self) -> dict:
        """The fields the ledger stores (the key is the record's own)."""
        return self.model_dump(mode="json", exclude={"key"})
