"""Explain one computed value: formula, parts, factors with citations, inputs down to rows.

Everything is read from the arrays and nodes the engine kept; nothing is recomputed. The
tree bottoms out at observations (revision id, period, value, source file and row).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import polars as pl

from esgledger.engine.arrays.grid import grid_label
from esgledger.engine.errors import CalculationError
from esgledger.engine.lineage import EVERY_ENTITY, REGION, Diagnostic
from esgledger.engine.results import Results
from esgledger.engine.years import SUMMED
from esgledger.errors import Phrase, close_matches


@dataclass
class FactorLine:
    key: str
    value: float
    unit: str
    dataset: str | None
    version: str | None
    citation: str | None
    confidence: str | None
    note: str | None = None
    citation_zh: str | None = None

    def cited(self, lang: str) -> str | None:
        """The citation in ``lang``: Chinese on a Chinese page when the factor file has it."""
        return self.citation_zh if lang == "zh" and self.citation_zh else self.citation


@dataclass
class Explanation:
    """One value and how it came about; ``children`` explain the values it was made from."""

    indicator: str
    name: str
    code: str
    period: str
    value: float | None
    unit: str
    recipe: str
    how: str
    estimated_share: float = 0.0
    weight: float | None = None
    parts: list[dict[str, Any]] = field(default_factory=list)
    factors: list[FactorLine] = field(default_factory=list)
    observations: list[dict[str, Any]] = field(default_factory=list)
    children: list[Explanation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the calculation's notices on this value
    truncated: bool = False
    # the notices behind ``notes`` (which are their English), each after the periods or
    # members it came through, so that a reader in another language gets them in it
    notices: list[Note] = field(default_factory=list, repr=False, compare=False)

    def note_texts(self, lang: str) -> list[str]:
        return [note_text(note, lang) for note in self.notices]

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The tree as JSON data, its notes in ``lang`` (the API's are English)."""
        return _with_notes(self, _clean(asdict(self)), lang)


Note = tuple[tuple[str, ...], Diagnostic]  # (the periods or members it came through, notice)


def note_text(note: Note, lang: str) -> str:
    prefixes, notice = note
    return ": ".join([*prefixes, notice.text(lang)])


def _with_notes(item: Explanation, data: dict[str, Any], lang: str) -> dict[str, Any]:
    data.pop("notices", None)
    data["notes"] = item.note_texts(lang)
    for child, child_data in zip(item.children, data.get("children", []), strict=True):
        _with_notes(child, child_data, lang)
    return data


def _unknown_code(results: Results, code: str) -> str:
    """The message for a code that is neither an entity nor a boundary, with the nearest ones
    (codes are upper case, so ``smelt`` finds ``SMELT``)."""
    codes = [*results.entities.grid.entities, *results.boundaries.grid.entities]
    close = close_matches(code, codes, n=3)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    shown = ", ".join(codes[:8])
    return (
        f"no entity or boundary {code!r}; {hint}known: {shown}, ... "
        "(`esgledger org show` lists the entities; boundaries are group, tag:..., segment:...)"
    )


def explain(
    results: Results, indicator: str, code: str, period: str, depth: int = 8
) -> Explanation:
    """The derivation of ``indicator`` for ``code`` (entity or boundary) in ``period``, a
    year or a computed month."""
    state = results.state_of(code)
    if code not in state.grid.entities:
        raise CalculationError(_unknown_code(results, code))
    if period not in state.grid.periods and period not in results.month_periods:
        raise CalculationError.coded(
            "results.period_not_computed_quoted", period=period, computed=computed_periods(results)
        )
    if indicator not in results.catalog:
        results.catalog.get(indicator)  # raises NotFoundError with suggestions
    return _explain(results.for_period(period), indicator, code, period, depth)


def computed_periods(results: Results) -> Phrase:
    """The years computed, and the months where monthly values exist, for a message."""
    years, months = ", ".join(results.entities.grid.periods), results.month_periods
    if months:
        return Phrase.of("results.computed_months", years=years, first=months[0], last=months[-1])
    return Phrase.of("results.computed_years", years=years)


def _explain(results: Results, indicator: str, code: str, period: str, depth: int) -> Explanation:
    state = results.state_of(code)
    row, col = state.grid.entity_index(code), state.grid.period_index(period)
    node = state.nodes.get(indicator)
    spec = results.catalog.get(indicator)
    value = results.value(indicator, code, period)
    share = state.estimated.get(indicator)
    item = Explanation(
        indicator,
        spec.name("en"),
        code,
        period,
        None if math.isnan(value) else value,
        spec.unit,
        node.recipe if node else "input",
        node.formula if node else "collected value",
        float(share[row, col]) if share is not None else 0.0,
    )
    item.notices = _notices(results, indicator, code, period)
    _go_deeper(item, results, node, depth)
    item.notes = item.note_texts("en")
    return item


def _go_deeper(item: Explanation, results: Results, node: Any, depth: int) -> None:
    """The parts, factors, observations and children of ``item``, ``depth`` levels down."""
    indicator, code, period = item.indicator, item.code, item.period
    if depth <= 0:
        item.truncated = True
        return
    if node is None:
        item.observations = _observations(results, indicator, code, period)
    elif node.recipe == SUMMED and results.months is not None:
        item.how = f"sum of the months; each: {node.formula}"
        item.parts, item.children = _months_of(results, indicator, code, period, depth)
        # a month's notes at the top too, unless the year already says the same
        own = set(item.note_texts("en"))
        item.notices += [
            ((c.period, *p), d)
            for c in item.children
            for p, d in c.notices
            if note_text((p, d), "en") not in own
        ]
    elif node.recipe == "consolidated":
        item.children = _contributors(results, indicator, code, period, depth)
        # the members' notes at the top too: a group figure rests on every one of them
        members = [((c.code, *p), d) for c in item.children for p, d in c.notices]
        item.notices += _distinct(members)
    else:
        state = results.state_of(code)
        row, col = state.grid.entity_index(code), state.grid.period_index(period)
        item.parts = [{"label": t.label, "value": _number(t.values[row, col])} for t in node.terms]
        item.factors = [
            _factor_line(use.key, *use.at(row, col), use.unit)
            for use in node.factors.values()
            if use.which[row, col] >= 0  # else the cell did not use this factor
        ]
        item.children = [
            _explain(results, d, code, period, depth - 1) for d in _unique(node.inputs)
        ]


def _distinct(notes: list[Note]) -> list[Note]:
    """The first of the notes that read alike (in English)."""
    seen: set[str] = set()
    kept = []
    for note in notes:
        text = note_text(note, "en")
        if text not in seen:
            seen.add(text)
            kept.append(note)
    return kept


def _months_of(
    results: Results, indicator: str, code: str, year: str, depth: int
) -> tuple[list[dict[str, Any]], list[Explanation]]:
    """A year that is the sum of its months: each month (and the value reported for the
    whole year, if any) as a part, and the explanation of each."""
    months = results.months
    layout = results.year_layout
    state = months.state_of(code)
    values = state.values[indicator]
    row = state.grid.entity_index(code)
    columns = list(layout.month_columns(year))
    own = int(layout.own[layout.years.index(year)])
    if own >= 0:
        columns.append(own)
    parts, children = [], []
    for col in columns:
        if np.isnan(values[row, col]):
            continue
        label = state.grid.periods[col]
        whole = " (reported for the whole year)" if col == own else ""
        parts.append({"label": f"{label}{whole}", "value": float(values[row, col])})
        # the same value split by time: a month does not count as a level of depth
        children.append(_explain(months, indicator, code, label, depth))
    return parts, children


def _notices(results: Results, indicator: str, code: str, period: str) -> list[Note]:
    """Notices of the calculation about this value: for this entity, its grid region, or
    every entity (a factor that changes within the period, a value left empty)."""
    state = results.state_of(code)
    who = {code, "*", EVERY_ENTITY}
    region = state.regions[state.grid.entity_index(code)] if state is results.entities else None
    if region:
        who.add(f"{REGION}{region}")
    found = [
        ((), d)
        for d in state.diagnostics.of(indicator)
        if d.period in (period, "*") and d.entity in who
    ]
    return _distinct(found)


def _contributors(
    results: Results, indicator: str, code: str, period: str, depth: int
) -> list[Explanation]:
    membership = results.membership
    row = membership.codes.index(code)
    values = results.entities.values.get(indicator)
    children = []
    for index in np.flatnonzero(membership.members[row]):
        entity = results.entities.grid.entities[index]
        col = results.entities.grid.period_index(period)
        if values is None or np.isnan(values[index, col]):
            continue
        child = _explain(results, indicator, entity, period, depth - 1)
        child.weight = float(membership.weights[row, index])
        children.append(child)
    return children


def _observations(results: Results, indicator: str, code: str, period: str) -> list[dict[str, Any]]:
    frame = results.cube.observations.filter(
        (pl.col("entity") == code) & (pl.col("indicator") == indicator)
    )
    granularity = results.entities.grid.granularity
    rows = [
        r
        for r in frame.sort("period").iter_rows(named=True)
        if grid_label(r["period"], granularity) == period
    ]
    return [
        {k: r[k] for k in ("revision_id", "period", "value", "quality", "source")} for r in rows
    ]


def _factor_line(key: str, value: float, factor: Any, note: str | None, unit: str) -> FactorLine:
    if factor is None:
        return FactorLine(key, value, unit, None, None, None, None, note)
    return FactorLine(
        key,
        value,
        unit,
        factor.dataset,
        factor.version,
        factor.citation,
        factor.confidence.value,
        note,
        factor.citation_zh,
    )


def _unique(items: tuple[str, ...]) -> list[str]:
    return list(dict.fromkeys(items))


def _number(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _clean(data: Any) -> Any:
    """JSON has no NaN: turn it into null, recursively."""
    if isinstance(data, float) and math.isnan(data):
        return None
    if isinstance(data, dict):
        return {k: _clean(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_clean(v) for v in data]
    return data
