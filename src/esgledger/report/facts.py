"""What a report says, before it is put into words: numbers, flags and references only.

Facts are computed once per build and shared by every language and format, so the English
and Chinese reports, the HTML, the PDF and the XLSX annex cannot disagree on a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from esgledger.engine.methodset import MethodSet


@dataclass(frozen=True)
class Restatement:
    """A value changed after its period was locked, as the snapshot holds it."""

    entity: str
    period: str
    indicator: str
    reason: str
    date: str

    @property
    def year(self) -> str:
        return self.period[:4]


@dataclass(frozen=True)
class Note:
    """A footnote of a table row: a restated value, a restated input, or an estimate."""

    kind: str  # restated | restated_input | estimated
    year: str
    indicator: str
    entity: str = ""
    period: str = ""
    reason: str = ""
    date: str = ""
    share: float = 0.0


@dataclass(frozen=True)
class Cell:
    """One reported number: ``key`` is ``indicator|boundary|year``, the id verify checks."""

    key: str
    year: str
    value: float | None
    restated: bool = False
    estimated: bool = False
    modeled: bool = False  # not a figure of the published report the build was held against


@dataclass(frozen=True)
class Row:
    """A table row: an indicator at a boundary over the years shown."""

    indicator: str
    boundary: str
    unit: str
    scale: float
    unit_label: str
    decimals: int
    cells: tuple[Cell, ...]
    change: float | None
    notes: tuple[Note, ...] = ()
    heading: str | None = None

    @property
    def is_heading(self) -> bool:
        return self.heading is not None


@dataclass(frozen=True)
class Table:
    """One performance table, numbered within its section (``3.2``)."""

    id: str
    number: str
    title: dict[str, str] | None
    rows: tuple[Row, ...]

    @property
    def anchor(self) -> str:
        return f"t-{self.id}"

    def data_rows(self) -> list[Row]:
        return [row for row in self.rows if not row.is_heading]


@dataclass(frozen=True)
class IndexItem:
    """A framework item and the tables (or the annex) where it is disclosed."""

    framework: str
    code: str
    title_en: str
    title_zh: str | None
    group: str
    places: tuple[str, ...]  # table ids, "annex" or "section:<id>"; empty = not disclosed
    group_zh: str | None = None
    code_zh: str | None = None

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" and self.title_zh else self.title_en

    def group_title(self, lang: str) -> str:
        return self.group_zh if lang == "zh" and self.group_zh else self.group

    def cited_code(self, lang: str) -> str:
        return self.code_zh if lang == "zh" and self.code_zh else self.code


@dataclass(frozen=True)
class CalcNote:
    """A note of the calculation, in parts: its kind (``stale_factor``, ``missing_factor``,
    ``text``), the indicator it concerns and the values its sentence names."""

    kind: str
    indicator: str
    parts: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class DatasetUse:
    """A factor dataset version the calculation used for the report's years."""

    name: str
    version: str
    title: str
    source: str
    url: str | None
    keys: int
    is_override: bool


@dataclass(frozen=True)
class AnnexValue:
    """One line of the data annex: a reported value with its lineage."""

    table: str  # table id or "annex"
    indicator: str
    boundary: str
    year: str
    value: float
    unit: str
    restated: bool
    estimated_share: float
    lineage_id: str
    inputs: tuple[str, ...]
    formula: str


@dataclass
class ReportFacts:
    """Everything a report shows, in no language yet."""

    year: int
    years: tuple[str, ...]
    snapshot_id: int
    snapshot_hash: str
    snapshot_as_of: str
    observations: int
    method_set: MethodSet
    factor_files: tuple[dict[str, str], ...]
    version: str
    company: dict[str, str]
    affiliate_count: int  # branches and subsidiaries of the ledger (OrgTree.boundary_counts)
    facility_count: int  # facilities below them that report separately
    tables: list[Table]
    index: dict[str, list[IndexItem]]
    datasets: list[DatasetUse]
    calc_notes: list[CalcNote]
    annex: list[AnnexValue]
    charts: dict[str, Any] = field(default_factory=dict)
    section_numbers: dict[str, str] = field(default_factory=dict)
    goals: list[Any] = field(default_factory=list)  # report.goals.Goal, when targets are given
    inputs: dict[str, Any] = field(default_factory=dict)  # report.inputs.BuildInputs.record()
    # The audit log's head the snapshot was taken at (ledger/checkpoint.py): entry id,
    # head hash, revision count, time and signature, printed on the cover.
    audit_checkpoint: dict[str, Any] | None = None
    # What each management register's section prints, by section id: climate_risks
    # (climate_risks.summary), safety_risk (safety.report_section), permits (the year's
    # discharge compliance, report/permits_facts.py), materiality (the year's assessment,
    # materiality.summary.report_summary). Empty when the register holds nothing this year:
    # the section then says so and the index items it answers read "/".
    registers: dict[str, Any] = field(default_factory=dict)
    # The approved narrative blocks printed (report.narrative.PrintedBlock), each in its
    # section; read at the same moment as the registers.
    narrative: list[Any] = field(default_factory=list)
    # The moment those sections were read as of (ISO, UTC) and as printed on the cover.
    registers_as_of: str = ""
    registers_as_of_shown: str = ""

    def blocks(self, section_id: str) -> list[Any]:
        """The narrative blocks a section prints, in order."""
        return [block for block in self.narrative if block.section == section_id]

    def table(self, table_id: str) -> Table:
        return next(t for t in self.tables if t.id == table_id)
