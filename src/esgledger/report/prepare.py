"""From a ledger snapshot to the facts of a report: one calculation, shared by every output.

This is the only module of the report that touches the ledger; everything after it works on
:class:`~esgledger.report.facts.ReportFacts`. `verify` calls the same function, so a report
and its check cannot compute a figure in two different ways.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

import esgledger
from esgledger.calc.published import published_keys, read_figures
from esgledger.calc.service import CalculationRun, run_calculation
from esgledger.catalog import Kind
from esgledger.catalog.registry import Catalog
from esgledger.climate_risks.summary import report_view
from esgledger.engine.methodset import DEFAULT_METHOD_SET, get_method_sets
from esgledger.engine.result_value import ResultValue
from esgledger.engine.results import Results
from esgledger.errors import EsgError, Phrase
from esgledger.ledger import checkpoint
from esgledger.ledger.calendar import reporting_years
from esgledger.ledger.orgstore import load_org
from esgledger.ledger.reads import Snapshot
from esgledger.ledger.reads.records import newest_change, reading_as_of
from esgledger.ledger.reads.snapshots import snapshot_by_id
from esgledger.materiality.summary import report_summary
from esgledger.report.charts_data import chart_data
from esgledger.report.config import ReportConfig
from esgledger.report.facts import AnnexValue, ReportFacts, Table
from esgledger.report.goals import goals
from esgledger.report.index import (
    ANNEX,
    build_index,
    disclosed_places,
    without_empty_sections,
)
from esgledger.report.lineage import Lineage, lineage_id, restatements
from esgledger.report.methodology import calculation_notes, datasets_used, file_digests
from esgledger.report.narrative import answered_places, printed_blocks
from esgledger.report.permits_facts import permit_facts
from esgledger.report.tables import build_tables, check_config
from esgledger.reporting_time import shown_time
from esgledger.safety.report_section import report_section

# The registers the report's sections read (by name prefix): their newest change is the
# moment a report shows them as of (report/prepare._registers_moment).
REPORTED_REGISTERS = ("climate.", "safety.", "materiality.", "permits.", "narrative.")
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


@dataclass(frozen=True)
class ReportRequest:
    """What to report on: the year, the snapshot, the method set and the factor files."""

    year: int
    snapshot_id: int | None = None
    method_set: str = DEFAULT_METHOD_SET
    factor_files: tuple[Path, ...] = field(default_factory=tuple)
    author: str = "report"
    targets_file: Path | None = None
    # figures of a published report the ledger models (the demo's): every other printed
    # figure is marked "M", modeled
    published_file: Path | None = None
    timezone: str | None = None  # the reporting time zone; None: the timezone setting
    # the moment the register sections are read as of; None: the newest change to a
    # reported register. A report records it, so that `report verify` reads the registers
    # as they were.
    registers_as_of: datetime | None = None


def report_years(session: Session, year: int, shown: int) -> list[int]:
    """The report year and up to ``shown - 1`` earlier years of the reporting calendar."""
    calendar = set(reporting_years(session))
    if year not in calendar:
        known = ", ".join(map(str, sorted(calendar))) or "-"
        raise EsgError.coded("report_build.year_closed", year=year, known=known)
    return [y for y in range(year - shown + 1, year + 1) if y in calendar]


def prepare(
    session: Session, catalog: Catalog, request: ReportRequest, config: ReportConfig
) -> ReportFacts:
    """Compute the snapshot (taken now when none is named) and every fact of the report."""
    years = report_years(session, request.year, config.years_shown)
    method_set = get_method_sets(request.method_set)[0]
    run = run_calculation(
        session,
        catalog,
        [method_set],
        author=request.author,
        snapshot_id=request.snapshot_id,
        years=years,
        factor_files=request.factor_files,
    )
    results = run.results[0]
    check_config(config, results)
    restated = restatements(session, run.snapshot_id, request.timezone)
    lineage = Lineage(results, run.snapshot_hash, restated)
    numbers = section_numbers(config)
    published = (
        published_keys(read_figures(request.published_file, catalog))
        if request.published_file
        else None
    )
    tables = build_tables(
        config, results, lineage, run.years, numbers.get("performance", "3"), published
    )
    annex = annex_values(results, lineage, tables, run.years)
    places = disclosed_places(tables, annex, run.years[-1])
    goal_list, goal_paths = goals(request.targets_file, results, catalog)
    moment = _registers_moment(session, request, run.snapshot_id)
    with reading_as_of(session, moment):
        registers = {
            "climate_risks": report_view(session, request.year),
            "safety_risk": _safety_section(session, results, request.year),
            "materiality": report_summary(session, request.year),
            "permits": permit_facts(session, request.year) if "permits" in numbers else None,
        }
        narrative = printed_blocks(session, request.year, [s.id for s in config.sections])
    # a register section with nothing this year answers no index item ("/")
    empty = [k for k, data in registers.items() if not data]
    index = without_empty_sections(
        build_index(
            catalog, config.frameworks, places, [t.id for t in tables], answered_places(narrative)
        ),
        empty,
    )
    return ReportFacts(
        **_header(session, request, run),
        method_set=method_set,
        **_boundary(session),
        tables=tables,
        index=index,
        datasets=datasets_used(results, run.libraries[0], run.years),
        calc_notes=calculation_notes(results, run.years),
        annex=annex,
        charts=chart_data(_only(run, results), run.years, goal_paths),
        goals=goal_list,
        section_numbers=numbers,
        registers=registers,
        narrative=narrative,
        registers_as_of=moment.isoformat(),
        registers_as_of_shown=shown_time(moment, request.timezone),
    )


def _registers_moment(session: Session, request: ReportRequest, snapshot_id: int) -> datetime:
    """When the register sections are read as of: as asked (`report verify` asks for the
    recorded moment), else the newest change to a register the report prints, so that
    building twice without a change prints the same; the snapshot's moment when no
    register was ever written."""
    if request.registers_as_of is not None:
        return request.registers_as_of
    newest = newest_change(session, REPORTED_REGISTERS)
    return newest or snapshot_by_id(session, snapshot_id).as_of


def _safety_section(session: Session, results: Results, year: int) -> dict[str, Any]:
    """The safety register's figures, with LTIFR over the hours and headcount computed here."""

    def typed(indicator: str) -> float | None:
        value = results.value(indicator, "group", str(year))
        return None if math.isnan(value) else value  # NaN: not reported

    return report_section(session, year, typed("safety.hours_worked"), typed("hr.headcount_total"))


def _header(session: Session, request: ReportRequest, run: CalculationRun) -> dict:
    """Who and what the report is about: year, snapshot, company, files, software."""
    shot = snapshot_by_id(session, run.snapshot_id)
    root = load_org(session).root
    return {
        "year": request.year,
        "years": run.years,
        "snapshot_id": run.snapshot_id,
        "snapshot_hash": run.snapshot_hash,
        "snapshot_as_of": shown_time(shot.as_of, request.timezone) if shot else "",
        "observations": shot.observation_count if shot else 0,
        "factor_files": file_digests(request.factor_files),
        "version": esgledger.__version__,
        "company": {"en": root.name_en, "zh": root.name_zh} if root else {"en": "", "zh": ""},
        "audit_checkpoint": _audit_checkpoint(shot),
    }


def _boundary(session: Session) -> dict[str, int]:
    affiliates, facilities = load_org(session).boundary_counts()
    return {"affiliate_count": affiliates, "facility_count": facilities}


def _audit_checkpoint(shot: Snapshot | None) -> dict[str, Any] | None:
    """The audit checkpoint kept in the snapshot (none for snapshots older than checkpoints).

    Read from the snapshot, never taken now, so that rebuilding the report gives the same.
    """
    if shot is None or not shot.audit_checkpoint:
        return None
    return checkpoint.parse(
        shot.audit_checkpoint, Phrase.of("checkpoint.snapshot", id=shot.id)
    ).__dict__


def _only(run: CalculationRun, results: Results) -> CalculationRun:
    return CalculationRun(run.snapshot_id, run.snapshot_hash, run.years, (results,))


def section_numbers(config: ReportConfig) -> dict[str, str]:
    """``1, 2, 3`` for numbered sections and ``I, II`` for appendices, in document order."""
    numbers, body, appendix = {}, 0, 0
    for section in config.sections:
        if section.appendix:
            numbers[section.id] = _ROMAN[appendix]
            appendix += 1
        elif section.numbered:
            body += 1
            numbers[section.id] = str(body)
    return numbers


def annex_values(
    results: Results, lineage: Lineage, tables: list[Table], years: tuple[str, ...]
) -> list[AnnexValue]:
    """Every value of the tables, then every other indicator at its own boundary (the group,
    or the one boundary a scoped indicator exists for): the annex holds them all."""
    values, placed = [], set()
    for table in tables:
        for row in table.data_rows():
            placed.add((row.indicator, row.boundary))
            for cell in row.cells:
                if cell.value is not None:
                    figure = results.result(row.indicator, row.boundary, cell.year)
                    values.append(_annex(results, lineage, table.id, figure, cell.restated))
    for indicator in results.catalog:
        home = indicator.home_boundary
        if (indicator.id, home) in placed or home not in results.boundaries.grid.entities:
            continue
        for year in years:
            figure = results.result(indicator.id, home, year)
            if figure.reported:
                restated = bool(lineage.restated(indicator.id, home, year))
                values.append(_annex(results, lineage, ANNEX, figure, restated))
    return values


def _annex(
    results: Results, lineage: Lineage, table: str, figure: ResultValue, restated: bool
) -> AnnexValue:
    indicator, boundary, year = figure.indicator, figure.code, figure.period
    inputs = lineage.inputs(indicator)
    if results.catalog.get(indicator).kind is not Kind.INPUT:
        lid = lineage_id(lineage.snapshot_hash, indicator, boundary, year)
    else:
        lid = " ".join(f"r{i}" for i in lineage.revision_ids(indicator, boundary, year))
    return AnnexValue(
        table,
        indicator,
        boundary,
        year,
        figure.value,
        figure.unit,
        restated,
        figure.estimated_share,
        lid,
        inputs,
        lineage.formula(indicator),
    )
