"""What the register says as a whole: the heat map, counts, and each item's effects in CNY
(typed, or derived from the newest scenario analysis), for pages, the API and the report.

Computed over the register's columns at once (``records_frame``), never item by item.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sqlalchemy.orm import Session

from esgledger.climate_risks.analysis import Analysis, Derivation, derive, latest_analysis
from esgledger.climate_risks.checks import effect_cny
from esgledger.climate_risks.register import REGISTER, StoredItem, read_items
from esgledger.climate_risks.scales import load_scales
from esgledger.errors import EsgError
from esgledger.ledger.reads.records import current_records, records_frame


@dataclass(frozen=True)
class Effects:
    """An item's financial effects in CNY: current, anticipated (typed) and derived."""

    current: tuple[float, float] | None
    anticipated: tuple[float, float] | None
    derived: Derivation | None
    derived_problem: str | None = None


def effects_of(stored: StoredItem, analysis: Analysis | None) -> Effects:
    """The effects of one item; a derived effect without a run (or a pathway the run lacks)
    is named as a problem instead of a figure."""
    item = stored.item
    current = effect_cny(item.current_effect) if item.current_effect else None
    anticipated = effect_cny(item.anticipated_effect) if item.anticipated_effect else None
    derived, problem = None, None
    if item.derived_effect is not None:
        if analysis is None:
            problem = "climate_risks.no_results"
        else:
            try:
                derived = derive(analysis, item.derived_effect)
            except EsgError as exc:
                problem = exc.code
    return Effects(current, anticipated, derived, problem)


def heat_map(session: Session, scope: set[str] | None = None) -> pl.DataFrame:
    """Items per likelihood x impact cell, with their keys: one row per occupied cell."""
    records = current_records(session, REGISTER, entities=scope)
    frame = records_frame(records, ["likelihood", "impact", "category"])
    if frame.is_empty():
        return pl.DataFrame(
            schema={"likelihood": pl.Int64, "impact": pl.Int64, "count": pl.UInt32,
                    "keys": pl.List(pl.String)}
        )  # fmt: skip
    return (
        frame.group_by("likelihood", "impact")
        .agg(pl.len().alias("count"), pl.col("key").sort().alias("keys"))
        .sort("likelihood", "impact")
    )


def heat_grid(cells: pl.DataFrame) -> list[list[dict]]:
    """The 5 x 5 grid, highest likelihood first, each cell with its grade and its keys."""
    scales = load_scales()
    held = {(r["likelihood"], r["impact"]): r["keys"] for r in cells.iter_rows(named=True)}
    return [
        [
            {"likelihood": lk, "impact": im, "keys": held.get((lk, im), []),
             "grade": scales.grade(lk * im)}
            for im in sorted(scales.impact)
        ]
        for lk in sorted(scales.likelihood, reverse=True)
    ]  # fmt: skip


@dataclass(frozen=True)
class RegisterSummary:
    """The register in numbers, with each item and its effects (for the report)."""

    items: list[tuple[StoredItem, Effects]]
    counts: dict[str, int]
    by_horizon: dict[str, int]
    analysis: Analysis | None


def register_summary(session: Session, scope: set[str] | None = None) -> RegisterSummary:
    """The public summary the report section and the IFRS S2 index answers read."""
    stored = read_items(session, scope=scope)
    analysis = latest_analysis(session)
    scales = load_scales()
    frame = pl.DataFrame(
        {"kind": [scales.kind_of(s.item.category) for s in stored],
         "horizon": [s.item.horizon for s in stored]},
        schema={"kind": pl.String, "horizon": pl.String},
    )  # fmt: skip
    counts = dict(frame.group_by("kind").len().iter_rows())
    by_horizon = dict(frame.group_by("horizon").len().iter_rows())
    items = sorted(
        ((s, effects_of(s, analysis)) for s in stored),
        key=lambda pair: (-pair[0].item.score, pair[0].item.key),
    )
    return RegisterSummary(items, counts, by_horizon, analysis)


def heat_map_of(items: list[StoredItem]) -> pl.DataFrame:
    """The heat-map cells of a list already read (a filtered page draws what it lists)."""
    frame = pl.DataFrame(
        {"key": [s.item.key for s in items],
         "likelihood": [s.item.likelihood for s in items],
         "impact": [s.item.impact for s in items]},
        schema={"key": pl.String, "likelihood": pl.Int64, "impact": pl.Int64},
    )  # fmt: skip
    return (
        frame.group_by("likelihood", "impact")
        .agg(pl.len().alias("count"), pl.col("key").sort().alias("keys"))
        .sort("likelihood", "impact")
    )


REPORT_YEARS = (2030, 2035, 2050)


def report_view(session: Session, year: int) -> dict:
    """The register as the report's climate section shows it: plain data, both languages
    side by side (the report picks one), amounts in CNY; empty when there are no items."""
    summary = register_summary(session)
    if not summary.items:
        return {}
    scales = load_scales()
    horizons = {
        name: {"en": h.en, "zh": h.zh, "years": h.years(year)}
        for name, h in scales.horizons.items()
    }
    items = [_report_item(stored, effects, scales) for stored, effects in summary.items]
    return {
        "items": items,
        "counts": summary.counts,
        "by_horizon": summary.by_horizon,
        "horizons": horizons,
        "scenarios": _report_scenarios(summary.analysis),
    }


def _report_item(stored: StoredItem, effects: Effects, scales) -> dict:
    item = stored.item
    grade = scales.grade(item.score)
    derived = effects.derived
    return {
        "key": item.key, "title": {"en": item.title_en, "zh": item.title_zh},
        "kind": scales.kind_of(item.category),
        "category": scales.category(item.category).model_dump(include={"en", "zh"}),
        "horizon": item.horizon, "likelihood": item.likelihood, "impact": item.impact,
        "grade": {"en": grade.en, "zh": grade.zh}, "entities": list(item.entities),
        "current": effects.current, "anticipated": effects.anticipated,
        "derived": (derived.low_cny, derived.high_cny) if derived else None,
        "derived_year": item.derived_effect.year if item.derived_effect else None,
        # free text is printed only in the report of its own language (no mixed pages)
        "response": {"en": item.response_en, "zh": item.response_zh},
        "description": {"en": item.description_en, "zh": item.description_zh},
        "owner": item.owner,
    }  # fmt: skip


def _report_scenarios(analysis: Analysis | None) -> dict | None:
    """Carbon cost per pathway and price scenario in a few years (the resilience table)."""
    if analysis is None:
        return None
    frame = analysis.frame().filter(pl.col("year").is_in(REPORT_YEARS))
    return {
        "base_year": analysis.base_year,
        "years": [y for y in REPORT_YEARS if y in frame["year"].to_list()],
        "prices": [{"id": p.id, "en": p.name_en, "zh": p.name_zh} for p in analysis.prices],
        "pathways": [p.model_dump() for p in analysis.pathways],
        "rows": frame.select(
            "pathway", "price_scenario", "year", "carbon_cost_cny", "lever_cost_cny"
        ).to_dicts(),
    }
