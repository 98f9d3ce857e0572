"""The report's layout and wording as data: a YAML section config and one locale file per language.

A company changes sections, their order, the rows of each table and every string without
touching Python: it copies ``data/report.yaml`` (and, for wording, overrides strings under
``strings:`` in that copy) and passes it with ``--config``. Templates are looked up in a
company directory first (``--templates``), then in the package.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from esgledger.errors import EsgError, Location
from esgledger.plugins import PluginError
from esgledger.report.sections import PLUGIN_TEMPLATE, ReportSection, plugin_sections

LANGUAGES = ("en", "zh")
CHARTS = ("energy_mix", "emissions_by_scope", "emissions_by_segment", "intensity_trends")
PACKAGE_DIR = Path(str(files("esgledger.report")))


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RowSpec(_Frozen):
    """One row of a performance table: an indicator at a boundary, or a sub-heading."""

    indicator: str | None = None
    boundary: str | None = None  # None: the indicator's own scope, else the group
    heading: str | None = None
    decimals: int | None = Field(default=None, ge=0, le=6)

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        # The config lists most rows as a bare indicator id; that is the common case.
        if isinstance(data, str):
            return {"indicator": data}
        if isinstance(data, dict) and "target" in data and "boundary" not in data:
            # configurations written before the key was renamed (docs/report-templates.md)
            return {("boundary" if key == "target" else key): v for key, v in data.items()}
        return data

    @model_validator(mode="after")
    def _one_kind(self) -> RowSpec:
        if (self.indicator is None) == (self.heading is None):
            raise ValueError("a row is either an indicator id or {heading: KEY}, not both")
        return self


class TableSpec(_Frozen):
    """One performance table: rows listed first, then every other indicator of its topics."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: dict[str, str] | None = None
    topics: tuple[str, ...] = ()
    rows: tuple[RowSpec, ...] = ()
    exclude: tuple[str, ...] = ()
    decimals: dict[str, int] = {}


class SectionSpec(_Frozen):
    """One section of the document, rendered by its template."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    template: str
    title: dict[str, str] | None = None
    numbered: bool = True
    appendix: bool = False
    in_contents: bool = True
    # a section of narrative blocks only (report/narrative.py): left out of the document
    # in a year without an approved block for it
    narrative: bool = False
    tables: tuple[TableSpec, ...] = ()
    charts: tuple[str, ...] = ()


class UnitDisplay(_Frozen):
    """How a catalog unit is shown: a scale (CNY → CNY million) and a locale label."""

    scale: float = Field(default=1.0, gt=0)
    label: str | None = None


class ReportConfig(_Frozen):
    """The whole layout; ``strings`` overrides locale strings per language."""

    years_shown: int = Field(default=3, ge=1, le=10)
    frameworks: tuple[str, ...] = ("gri", "sse14", "sasac", "ifrs_s2")
    units: dict[str, UnitDisplay] = {}
    strings: dict[str, dict[str, Any]] = {}
    sections: tuple[SectionSpec, ...]

    def tables(self) -> list[TableSpec]:
        """Every performance table, in document order."""
        return [table for section in self.sections for table in section.tables]


def load_config(path: Path | None = None) -> ReportConfig:
    """The shipped layout, or a company's file (a complete replacement, same layout), with
    the sections plugins add."""
    return _with_plugin_sections(read_layout(path or _default()))


def read_layout(target: Path) -> ReportConfig:
    """One layout file as written, validated."""
    if not target.is_file():
        raise EsgError.coded("report_build.no_config", target=target, default=_default())
    try:
        data = yaml.safe_load(target.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        where = Location(file=str(target), line=line)
        raise EsgError.coded("report_build.not_yaml", location=where) from None
    try:
        config = ReportConfig.model_validate(data)
    except ValidationError as exc:
        details = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'top level'}: {e['msg']}" for e in exc.errors()
        )
        raise EsgError.coded(
            "report_build.invalid_config",
            location=Location(file=str(target)),
            details=details,
            default=_default(),
        ) from None
    _check_charts(config, target)
    return config


def _with_plugin_sections(config: ReportConfig) -> ReportConfig:
    """The layout with each plugin's section placed, unless the layout lists its id."""
    added_sections = plugin_sections()
    if not added_sections:
        return config
    sections = list(config.sections)
    for added in added_sections:
        if any(s.id == added.id for s in sections):
            continue
        ids = [s.id for s in sections]
        if added.after in ids:
            at = ids.index(added.after) + 1
        else:  # the end of the body, or of the appendices for an appendix
            at = (
                len(ids)
                if added.appendix
                else next((i for i, s in enumerate(sections) if s.appendix), len(ids))
            )
        sections.insert(at, _spec(added))
    return config.model_copy(update={"sections": tuple(sections)})


def _spec(added: ReportSection) -> SectionSpec:
    try:
        return SectionSpec(
            id=added.id,
            template=f"{PLUGIN_TEMPLATE}{added.id}",
            title=added.title,
            numbered=added.numbered,
            appendix=added.appendix,
        )
    except ValidationError as exc:
        raise PluginError.coded(
            "plugin.section_id", section=added.id, detail=exc.errors()[0]["msg"]
        ) from None


def _check_charts(config: ReportConfig, path: Path) -> None:
    unknown = [c for s in config.sections for c in s.charts if c not in CHARTS]
    if unknown:
        raise EsgError.coded(
            "report_build.unknown_charts",
            location=Location(file=str(path)),
            unknown=", ".join(unknown),
            charts=", ".join(CHARTS),
        )


def _default() -> Path:
    return PACKAGE_DIR / "data" / "report.yaml"


class Strings:
    """The report's words in one language: ``strings("table.unit")``, with placeholders.

    A missing key is an error rather than an empty label, so that a string added to one
    language and forgotten in the other fails the build instead of printing a blank.
    """

    def __init__(self, lang: str, overrides: dict[str, Any] | None = None) -> None:
        if lang not in LANGUAGES:
            raise EsgError.coded("report_build.lang", langs=", ".join(LANGUAGES), lang=lang)
        self.lang = lang
        self._flat = {**_shipped(lang), **_flatten(overrides or {})}

    def __call__(self, key: str, **values: Any) -> str:
        try:
            text = self._flat[key]
        except KeyError:
            raise EsgError.coded("report_build.no_string", lang=self.lang, key=key) from None
        return text.format(**values) if values else text

    def get(self, key: str, default: str) -> str:
        """A string that may legitimately be missing (a tag or unit label): ``default`` then."""
        return self._flat.get(key, default)

    def items(self, key: str) -> list[str]:
        """A list-valued string (paragraphs of a section)."""
        value = self._flat.get(key)
        return list(value) if isinstance(value, list) else []

    def keys(self) -> set[str]:
        return set(self._flat)


@cache
def _shipped(lang: str) -> dict[str, Any]:
    path = PACKAGE_DIR / "locale" / f"{lang}.yaml"
    return _flatten(yaml.safe_load(path.read_text(encoding="utf-8")))


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested locale keys to dotted keys; a key containing ':' or '/' stays one segment."""
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat
