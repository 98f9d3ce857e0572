"""Facts to one self-contained HTML document in one language, through Jinja2 templates.

Templates decide layout and wording; :class:`View` gives them the few things that need
code (labels from the catalog, printed numbers, references to sections), so a template
never formats a number itself and cannot print one differently from `verify`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    FunctionLoader,
    StrictUndefined,
    TemplateNotFound,
)

from esgledger.catalog.registry import Catalog
from esgledger.errors import EsgError
from esgledger.glossary import load_glossary
from esgledger.report.charts import WIDE, render_chart
from esgledger.report.config import PACKAGE_DIR, ReportConfig, SectionSpec, Strings
from esgledger.report.facts import CalcNote, DatasetUse, Note, ReportFacts, Row, Table
from esgledger.report.fmt import decimals_for, format_change, format_number, format_share
from esgledger.report.goals import Goal
from esgledger.report.index import ANNEX, SECTION
from esgledger.report.payload import build_payload, cell_text, payload_json
from esgledger.report.sections import section_data, template_source


@dataclass(frozen=True)
class SectionView:
    """A section as the templates see it: where it is, what it is called."""

    spec: SectionSpec
    number: str
    title: str
    label: str  # "3" or "Appendix I"

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def anchor(self) -> str:
        return f"s-{self.spec.id}"


class View:
    """Labels and printed numbers for one language."""

    def __init__(
        self, facts: ReportFacts, config: ReportConfig, strings: Strings, catalog: Catalog
    ) -> None:
        self.facts, self.config, self.t, self.catalog = facts, config, strings, catalog
        self.lang = strings.lang
        self.sections = [self._section(s) for s in config.sections if self._shown(s)]

    def _shown(self, spec: SectionSpec) -> bool:
        """Every section, but one of narrative blocks only without an approved block."""
        return not spec.narrative or bool(self.facts.blocks(spec.id))

    def _section(self, spec: SectionSpec) -> SectionView:
        number = self.facts.section_numbers.get(spec.id, "")
        title = (spec.title or {}).get(self.lang) or self.t(f"sections.{spec.id}")
        if spec.appendix:
            number = self._appendix_numeral(spec.id)
            return SectionView(spec, number, title, self.t("appendix", number=number))
        return SectionView(spec, number, title, number)

    def _appendix_numeral(self, section_id: str) -> str:
        """I, II ... in English, 一, 二 ... in Chinese (locale ``appendix_numerals``)."""
        appendices = [s.id for s in self.config.sections if s.appendix]
        numerals = self.t("appendix_numerals").split(",")
        position = appendices.index(section_id)
        return numerals[position] if position < len(numerals) else str(position + 1)

    def section(self, section_id: str) -> SectionView | None:
        return next((s for s in self.sections if s.id == section_id), None)

    @property
    def company(self) -> str:
        return self.facts.company.get(self.lang) or self.facts.company.get("en", "")

    @property
    def title(self) -> str:
        return self.t("report.title", year=self.facts.year)

    def table_title(self, table: Table) -> str:
        return (table.title or {}).get(self.lang) or self.t(f"tables.{table.id}")

    def name(self, indicator: str) -> str:
        return self.catalog.get(indicator).name(self.lang)

    def boundary(self, code: str) -> str:
        if code.startswith("segment:"):
            return self.t.get(f"segments.{code[8:]}", code)
        return self.t.get(f"boundaries.{code}", code)

    def row_label(self, row: Row) -> str:
        name = self.name(row.indicator)
        if row.boundary in ("group", self.catalog.get(row.indicator).scope):
            return name  # the name says the scope already
        return (
            f"{name}（{self.boundary(row.boundary)}）"
            if self.lang == "zh"
            else (f"{name} ({self.boundary(row.boundary)})")
        )

    def unit(self, unit: str, indicator: str | None = None) -> str:
        """The unit as the glossary writes it (a count as the indicator's count word)."""
        return load_glossary().unit_label(unit, self.lang, indicator)

    def number(self, row: Row, value: float | None) -> str:
        return cell_text(row, value)

    def change(self, row: Row) -> str:
        return format_change(row.change, row.unit, self.lang)

    def notes(self, table: Table) -> list[tuple[str, str]]:
        """(mark, text) footnotes of a table: each restatement, then one line for estimates."""
        notes = [n for row in table.data_rows() for n in row.notes]
        found = [(self.t("table.restated"), self.note(n)) for n in notes if n.kind != "estimated"]
        estimated = [n for n in notes if n.kind == "estimated"]
        if estimated:
            separator = "；" if self.lang == "zh" else "; "
            items = separator.join(
                f"{self.name(n.indicator)} {format_share(n.share)}" for n in estimated
            )
            text = self.t("table.estimated_note", year=estimated[0].year, items=items)
            found.append((self.t("table.estimated"), text))
        if any(cell.modeled for row in table.data_rows() for cell in row.cells):
            found.append((self.t("table.modeled"), self.t("table.modeled_note")))
        return found

    def note(self, note: Note) -> str:
        what = self.name(note.indicator)
        if note.kind == "restated_input":
            return self.t("table.restated_input_note", year=note.year, what=what)
        where = f"{what} ({note.entity}, {note.period})"
        return self.t(
            "table.restated_note", year=note.year, what=where, date=note.date, reason=note.reason
        )

    def place(self, place: str) -> tuple[str, str]:
        """(anchor, label) of a table id or the annex, for the index of indicators."""
        if place == ANNEX:
            annex = self.section("annex")
            return ("s-annex", f"{annex.label} {annex.title}" if annex else ANNEX)
        if place.startswith(SECTION):
            section = self.section(place.removeprefix(SECTION))
            if section is None:  # a company layout without that section
                return ("", "")
            return (section.anchor, f"{section.label} {section.title}")
        table = self.facts.table(place)
        return (table.anchor, f"{table.number} {self.table_title(table)}")

    def frameworks(self) -> str:
        """The frameworks of the index, named in the report language."""
        names = [self.t(f"frameworks.{name}") for name in self.facts.index]
        return ("、" if self.lang == "zh" else "; ").join(names)

    def goal(self, goal: Goal) -> str:
        """``≤ 2.956 tCO₂e/tREO in 2025``, ``-6% a year, to 2025`` in the report language."""
        value = f"{goal.value:+g}" if not goal.sign else _plain(goal.value)
        key = "goals.cap" if goal.sign else f"goals.{goal.kind}"
        return self.t(
            key,
            sign=goal.sign,
            value=value,
            unit=self.unit(goal.unit),
            year=goal.target_year,
            base=goal.base_year,
        )

    def goal_latest(self, goal: Goal) -> str:
        if goal.latest_value is None:
            return "/"
        value = format_number(goal.latest_value, decimals_for([goal.latest_value]))
        return self.t(
            "goals.latest_value", value=value, unit=self.unit(goal.unit), year=goal.latest_year
        )

    def chart_class(self, kind: str) -> str:
        return "wide" if kind in WIDE else "half"

    def chart(self, kind: str) -> str | None:
        return render_chart(kind, self.facts.charts, self.t, self.catalog)

    def choice(self, group: str, value: Any) -> str:
        return self.t(f"{group}.{getattr(value, 'value', value)}")

    def dataset_title(self, dataset: DatasetUse) -> str:
        """A dataset's title as the locale words it (``datasets.<name>.title``), else the
        title its file gives: a file is written in one language, the report in two."""
        return self.t.get(f"datasets.{dataset.name}.title", dataset.title)

    def dataset_version(self, dataset: DatasetUse) -> str:
        return self.t.get(f"datasets.{dataset.name}.version", dataset.version)

    def dataset_source(self, dataset: DatasetUse) -> str:
        """The dataset's citation in the report language; its web address only where the
        locale has no citation of its own (the address is in the file and the annex)."""
        cited = self.t.get(f"datasets.{dataset.name}.source", "")
        if cited:
            return cited
        return f"{dataset.source} {dataset.url}" if dataset.url else dataset.source

    def calc_note(self, note: CalcNote) -> str:
        """A note of the calculation as a sentence for a reader, not the engine's text."""
        parts = dict(note.parts)
        if note.kind == "text":
            return (
                f"{self.name(note.indicator)}: {parts['text']}" if note.indicator else parts["text"]
            )
        if "factor_key" in parts:
            key = parts.pop("factor_key")
            parts["factor"] = self.t.get(f"factor_keys.{key}", key)
        if "activity" in parts:
            parts["activity"] = self.name(parts["activity"])
        indicator = self.name(note.indicator) if note.indicator else ""
        return self.t(f"methodology.note_{note.kind}", indicator=indicator, **parts)

    def method_set(self) -> str:
        name = self.facts.method_set.name
        return self.t.get(f"method_sets.{name}", name)

    def gwp_set(self, name: str) -> str:
        return self.t.get(f"gwp_sets.{name}", name)

    def section_data(self, section: SectionView) -> dict[str, Any]:
        """What a plugin's section computes for its template (see report/sections.py)."""
        return section_data(section.id, self.facts, self.lang)


def _plain(value: float) -> str:
    """A target value as declared: 285,200 or 2.956, never rounded to a row's decimals."""
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def environment(templates: Path | None = None) -> Environment:
    """Company templates first (same file names override), then the shipped ones, then
    plugins' sections (their names start with ``plugin-section:``)."""
    loaders: list[BaseLoader] = [FileSystemLoader(str(templates))] if templates else []
    loaders.append(FileSystemLoader(str(PACKAGE_DIR / "templates")))
    loaders.append(FunctionLoader(template_source))
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(
    facts: ReportFacts,
    config: ReportConfig,
    lang: str,
    catalog: Catalog,
    templates: Path | None = None,
    annex_file: str = "",
) -> str:
    """The whole report as one HTML string with inline CSS, SVG and the JSON payload."""
    strings = Strings(lang, config.strings.get(lang))
    view = View(facts, config, strings, catalog)
    env = environment(templates)
    try:
        template = env.get_template("report.html")
        return template.render(
            v=view,
            t=strings,
            facts=facts,
            lang=lang,
            annex_file=annex_file,
            payload=payload_json(build_payload(facts, lang, annex_file)),
        )
    except TemplateNotFound as exc:
        raise EsgError.coded(
            "report_build.no_template", name=exc.name, folder=templates or "esgledger"
        ) from None
