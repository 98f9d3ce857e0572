"""Performance tables from a calculation: which rows, their values, changes and footnotes.

Rows are decided by the configuration and by the data: the rows a table lists come first,
then every other indicator of its catalog topics that has a group value in a year shown.
Nothing is typed by hand, so a new indicator in the catalog appears in the report as soon
as the ledger holds a value for it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from esgledger.engine.consolidate import GROUP
from esgledger.engine.results import Results
from esgledger.errors import EsgError, Joined, Phrase
from esgledger.report.config import ReportConfig, RowSpec, TableSpec
from esgledger.report.facts import Cell, Note, Row, Table
from esgledger.report.fmt import decimals_for, yoy_change
from esgledger.report.lineage import Lineage

ESTIMATE_NOTE_SHARE = 0.005  # below half a percent an estimate is not worth a footnote


def check_config(config: ReportConfig, results: Results) -> None:
    """Refuse a configuration naming indicators, topics or boundaries that do not exist."""
    catalog, boundaries = results.catalog, results.boundaries.grid.entities
    topics = set(catalog.topics())
    problems: list[Phrase] = []
    for table in config.tables():
        problems += [
            Phrase.of("report_config.no_topic", table=table.id, topic=t)
            for t in table.topics
            if t not in topics
        ]
        for row in table.rows:
            problems += _row_problems(table.id, row, catalog, boundaries)
    frameworks = set(catalog.frameworks())
    problems += [
        Phrase.of("report_config.no_framework", framework=f)
        for f in config.frameworks
        if f not in frameworks
    ]
    if problems:
        raise EsgError.coded(
            "report_config.unknown_names",
            problems=Joined(tuple(problems), separator="list.semicolon"),
            topics=", ".join(sorted(topics)),
            boundaries=", ".join(boundaries),
        )


Published = frozenset[tuple[str, str, str]] | None  # (indicator, boundary, year) of a report


def _row_problems(table: str, row: RowSpec, catalog, boundaries: tuple[str, ...]) -> list[Phrase]:
    """An unknown indicator or boundary, or a scoped indicator asked for at another one."""
    if row.indicator is None:
        return []
    if row.indicator not in catalog:
        return [Phrase.of("report_config.no_indicator", table=table, indicator=row.indicator)]
    scope = catalog.get(row.indicator).scope
    if scope is not None and row.boundary not in (None, scope):
        return [
            Phrase.of(
                "report_config.scoped",
                table=table,
                indicator=row.indicator,
                scope=scope,
                boundary=row.boundary,
            )
        ]
    if row.boundary not in (None, GROUP) and row.boundary not in boundaries:
        return [Phrase.of("report_config.no_boundary", table=table, boundary=row.boundary)]
    return []


def row_boundary(row: RowSpec, catalog) -> str:
    """The boundary a row reads: the one it names, else the indicator's own (scope or group)."""
    return row.boundary or catalog.get(row.indicator).home_boundary


def build_tables(
    config: ReportConfig,
    results: Results,
    lineage: Lineage,
    years: Sequence[str],
    prefix: str,
    published: Published = None,
) -> list[Table]:
    """Every performance table of the configuration, numbered ``prefix.1``, ``prefix.2`` ...

    With ``published`` (the figures of a published report the ledger models), every value
    that is not one of them is marked modeled.
    """
    built = []
    for number, spec in enumerate(config.tables(), start=1):
        rows = _rows(spec, config, results, lineage, years, published)
        built.append(Table(spec.id, f"{prefix}.{number}", spec.title, tuple(rows)))
    return built


def _rows(
    spec: TableSpec,
    config: ReportConfig,
    results: Results,
    lineage: Lineage,
    years: Sequence[str],
    published: Published,
) -> list[Row]:
    catalog = results.catalog
    listed = {
        r.indicator
        for r in spec.rows
        if r.indicator and row_boundary(r, catalog) == catalog.get(r.indicator).home_boundary
    }
    skip = listed | set(spec.exclude)
    rest = [
        RowSpec(indicator=ind.id, decimals=spec.decimals.get(ind.id))
        for topic in spec.topics
        for ind in results.catalog.by_topic(topic)
        if ind.id not in skip
    ]
    rows = []
    for item in (*spec.rows, *rest):
        if item.heading is not None:
            rows.append(_heading(item.heading))
            continue
        row = _row(item, config, results, lineage, years, published)
        if row is not None:
            rows.append(row)
    return _drop_empty_headings(rows)


def _heading(key: str) -> Row:
    return Row("", "", "", 1.0, "", 0, (), None, heading=key)


def _row(
    item: RowSpec,
    config: ReportConfig,
    results: Results,
    lineage: Lineage,
    years: Sequence[str],
    published: Published,
) -> Row | None:
    indicator = item.indicator or ""
    boundary = row_boundary(item, results.catalog)
    if boundary not in results.boundaries.grid.entities:
        return None  # a scoped indicator of a tag or segment this organisation does not have
    values = [_value(results, indicator, boundary, year) for year in years]
    if all(v is None for v in values):
        return None
    unit = results.catalog.get(indicator).unit
    display = config.units.get(unit)
    scale = display.scale if display else 1.0
    notes = _notes(results, lineage, indicator, boundary, years)
    restated_years = {n.year for n in notes if n.kind.startswith("restated")}
    estimated_years = {n.year for n in notes if n.kind == "estimated"}
    cells = tuple(
        Cell(
            f"{indicator}|{boundary}|{y}",
            y,
            v,
            y in restated_years,
            y in estimated_years,
            published is not None and v is not None and (indicator, boundary, y) not in published,
        )
        for y, v in zip(years, values, strict=True)
    )
    scaled = [v * scale if v is not None else None for v in values]
    change = yoy_change(values[-1], values[-2], unit) if len(values) > 1 else None
    return Row(
        indicator,
        boundary,
        unit,
        scale,
        (display.label if display and display.label else unit),
        decimals_for(scaled, item.decimals),
        cells,
        change,
        tuple(notes),
    )


def _notes(
    results: Results, lineage: Lineage, indicator: str, boundary: str, years: Sequence[str]
) -> list[Note]:
    notes = []
    for year in years:
        for found in lineage.restated(indicator, boundary, year):
            kind = "restated" if found.indicator == indicator else "restated_input"
            notes.append(
                Note(
                    kind,
                    year,
                    found.indicator,
                    found.entity,
                    found.period,
                    found.reason,
                    found.date,
                )
            )
    share = results.estimated_share(indicator, boundary, years[-1])
    if share >= ESTIMATE_NOTE_SHARE:
        notes.append(Note("estimated", years[-1], indicator, share=share))
    return notes


def _drop_empty_headings(rows: list[Row]) -> list[Row]:
    """A sub-heading stays only when a data row follows it before the next heading."""
    kept = []
    for position, row in enumerate(rows):
        following = rows[position + 1] if position + 1 < len(rows) else None
        if row.is_heading and (following is None or following.is_heading):
            continue
        kept.append(row)
    return kept


def _value(results: Results, indicator: str, boundary: str, year: str) -> float | None:
    value = results.value(indicator, boundary, year)
    return None if math.isnan(value) else value
