"""The public summary of safety risk management: what the report and the pages show.

One read of the registers gives the year's rates per site and for the group, the risk
points by grade, the overdue hazards, drills, and LTIFR (from the reconciliation, which
reads the typed hours worked and headcount).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from esgledger.auth.service import Principal
from esgledger.catalog.registry import Catalog
from esgledger.ledger.reads.records import RecordView
from esgledger.safety.hazards import overdue_hazards
from esgledger.safety.lec import lec_method
from esgledger.safety.models import HAZARDS, RISK_POINTS
from esgledger.safety.rates import correction_rate, counts_by_site
from esgledger.safety.reconcile import Reconciliation, reconcile, register_views
from esgledger.safety.register import visible_records
from esgledger.safety.riskmap import MapPoint


@dataclass(frozen=True)
class SafetySummary:
    year: int
    as_of: date
    by_site: pl.DataFrame  # entity, found, major_found, corrected, overdue, drills, ...
    totals: dict[str, int]
    correction_rate: float | None
    overdue_rate: float | None
    grades: dict[str, int]  # risk points per grade id, highest first
    overdue: tuple[RecordView, ...]
    reconciliation: Reconciliation | None


def summary(
    session: Session,
    principal: Principal,
    year: int,
    as_of: date,
    catalog: Catalog | None = None,
) -> SafetySummary:
    """The year's safety figures from the registers (with the reconciliation when a catalog
    is given: it computes the typed values)."""
    registers = register_views(session, principal)
    by_site = counts_by_site(registers, year, as_of)
    totals = {name: int(by_site[name].sum()) for name in by_site.columns if name != "entity"}
    found = totals.get("found", 0)
    grades = Counter(p.payload["grade"] for p in visible_records(session, principal, RISK_POINTS))
    return SafetySummary(
        year=year,
        as_of=as_of,
        by_site=by_site,
        totals=totals,
        correction_rate=correction_rate(found, totals.get("corrected", 0)),
        overdue_rate=None if not found else 100.0 * totals.get("overdue", 0) / found,
        grades={grade.id: grades.get(grade.id, 0) for grade in lec_method().grades},
        overdue=tuple(overdue_hazards(registers["hazards"], as_of)),
        reconciliation=None
        if catalog is None
        else reconcile(session, principal, catalog, [year - 2, year - 1, year], as_of),
    )


def map_points(session: Session, principal: Principal, site: str) -> list[MapPoint]:
    """The risk points of one site, for the four-colour map."""
    return [
        MapPoint(
            p.key,
            p.payload["name"],
            p.payload["grade"],
            p.payload["d"],
            p.payload.get("x"),
            p.payload.get("y"),
        )
        for p in visible_records(session, principal, RISK_POINTS)
        if p.entity == site
    ]


def hazard_rows(records: list[RecordView]) -> list[dict[str, Any]]:
    """Hazards as table rows (key, site and fields)."""
    return [{"key": r.key, "entity": r.entity, **r.payload} for r in records]


__all__ = ["HAZARDS", "SafetySummary", "hazard_rows", "map_points", "summary"]
