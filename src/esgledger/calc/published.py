"""A published report's figures, held against the engine's consolidated results.

A ledger that claims to reproduce a published report (the demo, or a group checking its
migrated history against the report it signed last year) is checked here: every figure of
the report, with the indicator, scope and period it stands for and its printed precision,
against what the engine computes from the ledger. The figures come from a CSV file written
from the report itself, never from the ledger's data, so the check fails when either side
changes: a published figure, or an input the engine reads.

A figure is *reproduced* when the engine's value, in the figure's unit, lies within the
figure's tolerance (half a unit of its last printed digit: ``919`` kgce/tREO allows 918.5 to
919.5). Otherwise it *differs*, by how much, or *cannot be computed*, and why: it has no
indicator, its scope is not in the organisation, or the engine leaves it empty (the reason
names the inputs the ledger lacks).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path

from esgledger.catalog.registry import Catalog
from esgledger.engine.compute import dependencies
from esgledger.engine.results import Results
from esgledger.errors import EsgError, Joined, Location, Problem, ValidationFailed
from esgledger.periods import Period
from esgledger.units import conversion_factor, is_known_unit

COLUMNS = (
    "indicator",
    "scope",
    "period",
    "value",
    "unit",
    "tolerance",
    "printed",
    "section",
    "table",
    "line",
    "note",
)
_SLACK = 1e-9  # relative: a float sum of exact parts may sit a hair beyond an exact bound


class Status(StrEnum):
    REPRODUCED = "reproduced"
    DIFFERS = "differs"
    NOT_COMPUTED = "cannot be computed"


@dataclass(frozen=True)
class PublishedFigure:
    """One number of the report: what it stands for, its value as printed, and where it is."""

    indicator: str  # empty: the report's figure has no indicator in the catalog
    scope: str  # the engine's boundary or entity code: group, subtree:SMELT, segment:..., SMELT-PV
    period: str
    value: Decimal  # in ``unit``
    unit: str
    tolerance: Decimal  # half a unit of the last printed digit, in ``unit``
    printed: str  # the figure as the report prints it
    section: str
    table: str
    line: int  # line of the report's text layer the figure is printed on
    note: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return self.indicator, self.scope, self.period

    @property
    def where(self) -> str:
        table = f", {self.table}" if self.table else ""
        return f"{self.section}{table} (line {self.line})"


@dataclass(frozen=True)
class Reproduction:
    """The engine's answer to one published figure."""

    figure: PublishedFigure
    status: Status
    engine: float | None = None  # in the figure's unit
    reason: str = ""

    @property
    def difference(self) -> float | None:
        """Engine minus published, in the figure's unit."""
        return None if self.engine is None else self.engine - float(self.figure.value)


def read_figures(path: Path, catalog: Catalog) -> tuple[PublishedFigure, ...]:
    """The figures of a published-figures CSV file (columns :data:`COLUMNS`), all checked.

    Lines starting with ``#`` before the header are comments (the file's source and rules).

    Raises:
        ValidationFailed: every bad row at once, each with its row, column and a fix.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    except OSError as error:  # a missing or unreadable file is the user's to fix
        raise EsgError.coded(
            "published_report.unreadable", path=str(path), reason=error.strerror
        ) from error
    comments = next((n for n, line in enumerate(lines) if not line.startswith("#")), len(lines))
    reader = csv.DictReader(lines[comments:])
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    rows = list(reader)
    if missing:
        raise EsgError.coded(
            "published_report.header",
            path=str(path),
            missing=Joined(tuple(missing)),
            columns=Joined(COLUMNS),
        )
    figures, problems = [], []
    for number, row in enumerate(rows, start=comments + 2):
        found = _row_problems(row, catalog, Location(file=path.name, row=number))
        problems.extend(found)
        if not found:
            figures.append(_figure(row))
    if problems:
        raise ValidationFailed.refusing(
            problems, "published_report.refused", path=str(path), count=len(problems)
        )
    return tuple(figures)


def _row_problems(row: dict[str, str], catalog: Catalog, where: Location) -> list[Problem]:
    def problem(column: str, code: str, **params: object) -> Problem:
        place = Location(file=where.file, row=where.row, column=column)
        return Problem.coded(place, row.get(column), code, **params)

    found = []
    for column in ("value", "tolerance"):
        number = _decimal(row.get(column))
        if number is None or number < 0:
            found.append(problem(column, "published_report.row.not_number"))
    if not (row.get("line") or "").isdigit():
        found.append(problem("line", "published_report.row.not_line"))
    if not row.get("scope") or not row.get("printed") or not row.get("section"):
        found.append(problem("scope", "published_report.row.empty"))
    try:
        Period.parse(row.get("period") or "")
    except EsgError:  # reported as this row's problem with the others
        found.append(problem("period", "published_report.row.not_period"))
    reason = _unit_problem(row.get("indicator") or "", row.get("unit") or "", catalog)
    if reason:
        column, code, params = reason
        found.append(problem(column, code, **params))
    return found


def _unit_problem(
    indicator: str, unit: str, catalog: Catalog
) -> tuple[str, str, dict[str, object]] | None:
    """(column, code, params) when the indicator is unknown or the unit does not fit it."""
    if not is_known_unit(unit):
        return "unit", "published_report.row.unknown_unit", {}
    if not indicator:
        return None
    if indicator not in catalog:
        return "indicator", "published_report.row.unknown_indicator", {}
    wanted = catalog.get(indicator).unit
    if not _converts(unit, wanted):
        return "unit", "published_report.row.unit_mismatch", {"unit": wanted}
    return None


def _decimal(text: str | None) -> Decimal | None:
    try:
        return Decimal((text or "").strip())
    except InvalidOperation:  # not a number: the caller reports the cell
        return None


def _converts(unit: str, to: str) -> bool:
    try:
        conversion_factor(unit, to)
    except EsgError:  # incompatible dimensions
        return False
    return True


def _figure(row: dict[str, str]) -> PublishedFigure:
    return PublishedFigure(
        indicator=row["indicator"].strip(),
        scope=row["scope"].strip(),
        period=row["period"].strip(),
        value=Decimal(row["value"].strip()),
        unit=row["unit"].strip(),
        tolerance=Decimal(row["tolerance"].strip()),
        printed=row["printed"],
        section=row["section"],
        table=row.get("table") or "",
        line=int(row["line"]),
        note=row.get("note") or "",
    )


def reproduce(figures: Sequence[PublishedFigure], results: Results) -> list[Reproduction]:
    """Each figure against the engine's value for its indicator, scope and period."""
    return [_reproduce(figure, results) for figure in figures]


def _reproduce(figure: PublishedFigure, results: Results) -> Reproduction:
    if not figure.indicator:
        reason = figure.note or "the catalog has no indicator for it"
        return Reproduction(figure, Status.NOT_COMPUTED, reason=reason)
    state = results.state_of(figure.scope)
    if figure.scope not in state.grid.entities:
        reason = f"{figure.scope} is neither an entity nor a boundary of the ledger"
        return Reproduction(figure, Status.NOT_COMPUTED, reason=reason)
    if figure.period not in state.grid.periods:
        reason = f"the calculation did not cover {figure.period}"
        return Reproduction(figure, Status.NOT_COMPUTED, reason=reason)
    computed = results.result(figure.indicator, figure.scope, figure.period)
    if not computed.reported:
        reason = _why_empty(results, figure.indicator, figure.scope, figure.period)
        return Reproduction(figure, Status.NOT_COMPUTED, reason=reason)
    engine = computed.to(figure.unit).value
    bound = float(figure.tolerance) + _SLACK * max(1.0, abs(float(figure.value)))
    within = abs(engine - float(figure.value)) <= bound
    return Reproduction(figure, Status.REPRODUCED if within else Status.DIFFERS, engine)


def _why_empty(results: Results, indicator: str, code: str, period: str) -> str:
    """The empty inputs the value rests on, found by walking down its empty dependencies."""
    missing: list[str] = []
    seen: set[str] = set()
    pending = [indicator]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        spec = results.catalog.get(current)
        if spec.kind.value == "input":
            missing.append(current)
            continue
        needs = dependencies(results.catalog, spec)
        pending.extend(d for d in needs if math.isnan(results.value(d, code, period)))
    if not missing:
        return "the engine leaves it empty"
    return f"the engine leaves it empty: the ledger has no {', '.join(sorted(missing))} there"


def summary(reproductions: Sequence[Reproduction]) -> str:
    """``N of M published figures reproduced by the engine`` and what the others are."""
    count = {status: 0 for status in Status}
    for item in reproductions:
        count[item.status] += 1
    text = (
        f"{count[Status.REPRODUCED]} of {len(reproductions)} published figures reproduced "
        "by the engine"
    )
    rest = [f"{count[s]} {s.value}" for s in (Status.DIFFERS, Status.NOT_COMPUTED) if count[s]]
    return text + (f" ({', '.join(rest)})" if rest else "")


def published_keys(figures: Sequence[PublishedFigure]) -> frozenset[tuple[str, str, str]]:
    """(indicator, scope, period) of every figure with an indicator: what a report may
    print without marking it as modeled."""
    return frozenset(figure.key for figure in figures if figure.indicator)
