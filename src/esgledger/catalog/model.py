"""What an indicator is: a declaration, not code.

An indicator says what is counted (names, definition, unit), how values combine over time
(``quantity_type``) and across entities (``aggregation``), how often subsidiaries report
it, and, when derived, how it is computed from other indicators. Most derived indicators
need no code: a sum (``adds``), an intensity (``ratio``) or a formula; only the
computations that need factors (tce, GHG) name a Python ``method`` the engine registers.

The validators here check one indicator on its own; checks across indicators (unknown
references, cycles, duplicate ids, unit compatibility) live in :mod:`.checks`.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from esgledger.catalog.formula import FormulaError, referenced_ids
from esgledger.errors import DEFAULT_LANGUAGE, Joined, NotFoundError, Phrase, render
from esgledger.units import UnitError, parse_unit

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
METHOD_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
FRAMEWORKS = ("gri", "sse14", "sasac", "ifrs_s2", "hkex")
RECIPES = ("adds", "ratio", "formula", "method")
_CJK = re.compile(r"[\u3400-\u9fff]")
SCOPE_PATTERN = re.compile(r"^(tag|segment):[a-z0-9_-]+$")


class IndicatorRuleError(ValueError):
    """One field of one indicator breaks a rule; carries what to do, for the loader's message.

    Args:
        field: the YAML field at fault (``unit``, ``ratio``...).
        code: the catalogue's ``<code>.reason`` (what was expected and what was found) and
            ``<code>.fix`` (what the author should change), filled in with ``params``.
    """

    def __init__(self, field: str, code: str, /, **params: object) -> None:
        self.field, self.code, self.params = field, code, params
        self.reason = render(f"{code}.reason", DEFAULT_LANGUAGE, **params)
        self.fix = render(f"{code}.fix", DEFAULT_LANGUAGE, **params)
        super().__init__(f"{field}: {self.reason}; {self.fix}")


class Category(StrEnum):
    """The ESG pillar an indicator is reported under (the report's chapter)."""

    E = "E"
    S = "S"
    G = "G"


class Kind(StrEnum):
    """INPUT values are collected from subsidiaries; DERIVED values are only ever computed."""

    INPUT = "input"
    DERIVED = "derived"


class QuantityType(StrEnum):
    """FLOW values add up over time (energy used); STOCK values never do (headcount, rates)."""

    FLOW = "flow"
    STOCK = "stock"


class Aggregation(StrEnum):
    """How values of several entities combine into a group value."""

    SUM = "sum"
    RATIO = "ratio"
    MAX = "max"
    MIN = "min"
    LAST = "last"
    MEAN = "mean"
    RECOMPUTE = "recompute"  # derived: recomputed from the boundary's consolidated inputs


class Frequency(StrEnum):
    """How often a subsidiary reports an input (for derived: the finest period it can have)."""

    MONTHLY = "monthly"
    YEARLY = "yearly"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Names(_Frozen):
    """An indicator's label in each report language; both are required."""

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)

    @field_validator("zh")
    @classmethod
    def _zh_is_chinese(cls, value: str) -> str:
        # A copied English label in the zh slot would print English in the Chinese report.
        if not _CJK.search(value):
            raise IndicatorRuleError("name.zh", "catalog.rule.not_chinese", value=value)
        return value

    def get(self, lang: str) -> str:
        """The label in ``lang`` (``en``, ``zh``, ``zh-CN``...)."""
        key = lang.lower().replace("_", "-").split("-")[0]
        if key not in ("en", "zh"):
            raise NotFoundError.coded("catalog.no_language", lang=lang)
        return self.en if key == "en" else self.zh


class FrameworkCodes(_Frozen):
    """Codes of the disclosure items an indicator answers, per framework."""

    gri: tuple[str, ...] = ()
    sse14: tuple[str, ...] = ()
    sasac: tuple[str, ...] = ()
    ifrs_s2: tuple[str, ...] = ()
    hkex: tuple[str, ...] = ()

    def pairs(self) -> list[tuple[str, str]]:
        """Every (framework, code) this indicator is mapped to."""
        return [(name, code) for name in FRAMEWORKS for code in getattr(self, name)]


class Ratio(_Frozen):
    """An intensity or share: numerator over denominator, recomputed at every level.

    Group intensities are ratios of consolidated sums, never averages of entity ratios;
    ``scale`` exists for the rare unit that cannot carry a factor itself.
    """

    numerator: str
    denominator: str
    scale: float = Field(default=1.0, gt=0)


class FrameworkItem(_Frozen):
    """One disclosure item of a reporting framework (a GRI disclosure, a SASAC code...)."""

    framework: str
    code: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    title_zh: str | None = None
    section: str | None = None
    section_zh: str | None = None
    code_zh: str | None = None  # how a Chinese text cites it (第21条), where not as ``code``
    covered_by: str | None = None  # a report section that answers it (about: GRI 2-3)

    def title(self, lang: str) -> str:
        """The title in ``lang``, falling back to English where no Chinese title is known."""
        if lang.lower().startswith("zh") and self.title_zh:
            return self.title_zh
        return self.title_en


class Indicator(_Frozen):
    """One indicator of the catalog, as declared in ``catalog/data/*.yaml``."""

    id: str
    names: Names = Field(alias="name")
    unit: str
    category: Category
    kind: Kind
    quantity_type: QuantityType
    aggregation: Aggregation
    frequency: Frequency
    allow_negative: bool = False
    definition: str = Field(min_length=1)
    definition_zh: str | None = None
    frameworks: FrameworkCodes = FrameworkCodes()
    reference: str | None = None
    topic: str = Field(default="", pattern=r"^[a-z0-9_]*$")
    adds: tuple[str, ...] | None = None
    ratio: Ratio | None = None
    formula: str | None = None
    method: str | None = None
    # The one boundary the indicator's name speaks of ("of the 7 key entities"):
    # the engine leaves it empty everywhere else, so no other scope can print it.
    scope: str | None = None

    def name(self, lang: str = "en") -> str:
        """The indicator's label in ``lang`` (``en`` or ``zh``)."""
        return self.names.get(lang)

    def defined(self, lang: str = "en") -> str:
        """The definition in ``lang``; empty where none is written in Chinese yet, so that a
        Chinese page shows its name alone rather than an English paragraph."""
        if lang == "zh":
            return self.definition_zh or ""
        return self.definition

    @property
    def home_boundary(self) -> str:
        """Where the indicator is read unless a target is named: its scope, else the group."""
        return self.scope or "group"

    @property
    def dependencies(self) -> tuple[str, ...]:
        """Ids this indicator is computed from (empty for inputs and methods)."""
        if self.adds is not None:
            return self.adds
        if self.ratio is not None:
            return (self.ratio.numerator, self.ratio.denominator)
        if self.formula is not None:
            return referenced_ids(self.formula)
        return ()

    @property
    def recipe(self) -> str | None:
        """Which of adds/ratio/formula/method computes this indicator."""
        return next((name for name in RECIPES if getattr(self, name) is not None), None)

    @field_validator("id")
    @classmethod
    def _id_pattern(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise IndicatorRuleError("id", "catalog.rule.id", value=value)
        return value

    @field_validator("unit")
    @classmethod
    def _unit_parses(cls, value: str) -> str:
        # pint reads ';' as a product ('ha;count' is hectare*item): refuse it before pint does.
        if ";" in value:
            raise IndicatorRuleError("unit", "catalog.rule.two_units", value=value)
        try:
            parse_unit(value)
        except UnitError as exc:
            raise IndicatorRuleError("unit", "catalog.rule.unit", value=value) from exc
        return value

    @field_validator("formula")
    @classmethod
    def _formula_parses(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                referenced_ids(value)
            except FormulaError as exc:
                raise IndicatorRuleError(
                    "formula", "catalog.rule.formula", detail=str(exc)
                ) from exc
        return value

    @field_validator("scope")
    @classmethod
    def _scope_pattern(cls, value: str | None) -> str | None:
        if value is not None and not SCOPE_PATTERN.match(value):
            raise IndicatorRuleError("scope", "catalog.rule.scope", value=value)
        return value

    @field_validator("method")
    @classmethod
    def _method_name(cls, value: str | None) -> str | None:
        if value is not None and not METHOD_PATTERN.match(value):
            raise IndicatorRuleError("method", "catalog.rule.method", value=value)
        return value

    @model_validator(mode="after")
    def _recipe_matches_kind(self) -> Indicator:
        _check_recipe(self)
        _check_aggregation(self)
        if self.id in self.dependencies:
            raise IndicatorRuleError(self.recipe or "kind", "catalog.rule.from_itself", id=self.id)
        return self


def _check_recipe(indicator: Indicator) -> None:
    given = [name for name in RECIPES if getattr(indicator, name) is not None]
    if indicator.kind is Kind.INPUT and given:
        raise IndicatorRuleError(given[0], "catalog.rule.input_recipe", recipe=given[0])
    if indicator.kind is Kind.DERIVED and len(given) != 1:
        found = Joined(tuple(given)) if given else Phrase.of("catalog.rule.none_of_them")
        field = given[1] if len(given) > 1 else "kind"
        raise IndicatorRuleError(field, "catalog.rule.one_recipe", found=found)
    if indicator.adds is not None and not indicator.adds:
        raise IndicatorRuleError("adds", "catalog.rule.adds_empty")
    if indicator.aggregation is Aggregation.RECOMPUTE and indicator.kind is Kind.INPUT:
        raise IndicatorRuleError("aggregation", "catalog.rule.input_recompute")
    if indicator.scope is not None and indicator.kind is Kind.INPUT:
        raise IndicatorRuleError("scope", "catalog.rule.input_scope")


def _check_aggregation(indicator: Indicator) -> None:
    # Invariant "ratios of sums": an intensity is recomputed from consolidated parts, so
    # aggregation 'ratio' and a ratio recipe must come together.
    has_ratio = indicator.ratio is not None
    if has_ratio != (indicator.aggregation is Aggregation.RATIO):
        code = "catalog.rule.ratio_with" if has_ratio else "catalog.rule.ratio_without"
        raise IndicatorRuleError("aggregation", code, aggregation=indicator.aggregation.value)
