"""Retired certificates and claimed green power become market-based Scope 2 inputs.

Market-based Scope 2 (``ghg.scope2_market_based``) reads ``energy.green_power_purchased``
[MWh per month] as electricity at its own, zero, factor. Here the month's total of an
entity's retirements (GEC: certificates × 1 MWh; direct green power: the MWh claimed) is
written as that observation, a DRAFT through the ledger's import, so it is checked,
versioned and reviewed like any figure; ``carbon_assets.scope2_feed`` keeps its lineage
(the retirements that make it up and the changeset that wrote it).

No double counting: a certificate or a contract-month is retired once (the register
refuses a second claim); the observation is set to the month's total, never added to, so
feeding again writes nothing new; and the total may not exceed the entity's purchased
electricity of the month, which the green power is a part of.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import polars as pl
from sqlalchemy.orm import Session

from esgledger.carbon_assets.compliance import movements_frame
from esgledger.carbon_assets.model import refuse
from esgledger.carbon_assets.register import MOVEMENTS
from esgledger.carbon_assets.rules import rules
from esgledger.catalog.registry import Catalog
from esgledger.ledger.database import utcnow
from esgledger.ledger.frames import approved_frame
from esgledger.ledger.imports.apply import import_rows
from esgledger.ledger.imports.reader import ROW_COLUMNS, RawTable
from esgledger.ledger.reads.records import RecordView, current_records
from esgledger.ledger.records import RecordChange, append_records

LINEAGE = "carbon_assets.scope2_feed"
ELECTRICITY = "energy.purchased_electricity"  # the catalog's unit is MWh


@dataclass(frozen=True)
class GreenMonth:
    """The green electricity one entity claims for one month, and the retirements behind it."""

    entity: str
    period: str
    mwh: float
    retirements: tuple[str, ...]


def green_by_month(movements: list[RecordView], year: int | None = None) -> list[GreenMonth]:
    """Retired MWh per entity and month (certificates converted at the rules' MWh each)."""
    frame = movements_frame(movements).filter(pl.col("kind") == "retirement")
    if year is not None:
        frame = frame.filter(pl.col("period").str.starts_with(f"{year}-"))
    per_mwh = (
        pl.when(pl.col("instrument") == "gec").then(rules().mwh_per_certificate).otherwise(1.0)
    )
    grouped = (
        frame.with_columns(mwh=pl.col("quantity") * per_mwh)
        .group_by("entity", "period")
        .agg(pl.col("mwh").sum(), pl.col("key").sort())
        .sort("entity", "period")
    )
    return [
        GreenMonth(row["entity"], row["period"], float(row["mwh"]), tuple(row["key"]))
        for row in grouped.iter_rows(named=True)
    ]


def feed_scope2(
    session: Session,
    catalog: Catalog,
    *,
    actor: str,
    year: int | None = None,
    electricity: dict[tuple[str, str], float] | None = None,
) -> list[GreenMonth]:
    """Write the retired green electricity of each month as DRAFT observations with lineage.

    ``electricity`` maps (entity, month) to purchased electricity [MWh] (default: the
    approved values of ``energy.purchased_electricity``); a month whose retirements exceed
    it is refused (green power is a part of it). A month without a value is not checked.
    """
    months = green_by_month(current_records(session, MOVEMENTS), year)
    if electricity is None:
        electricity = approved_electricity(session)
    for month in months:
        bought = electricity.get((month.entity, month.period))
        if bought is not None and month.mwh > bought + 1e-9:
            raise refuse(
                "carbon_asset.more_than_consumed", entity=month.entity, period=month.period,
                green=month.mwh, bought=bought,
            )  # fmt: skip
    if not months:
        return months
    indicator = rules().scope2_indicator
    rows = [
        ("carbon assets", n, "value", m.entity, m.period, indicator, repr(m.mwh), "MWh",
         f"retired: {', '.join(m.retirements)}", None)
        for n, m in enumerate(months, start=1)
    ]  # fmt: skip
    frame = pl.DataFrame(rows, schema=dict.fromkeys(ROW_COLUMNS, pl.Utf8), orient="row")
    frame = frame.with_columns(pl.col("row").cast(pl.Int64))
    digest = hashlib.sha256(json.dumps(rows).encode()).hexdigest()
    name = "carbon asset retirements" + (f" {year}" if year else "")
    outcome = import_rows(session, RawTable(name, digest, frame), actor, catalog, where=name)
    if outcome.changeset_id is not None:
        _record_lineage(session, months, indicator, outcome.changeset_id, actor)
    return months


def approved_electricity(session: Session) -> dict[tuple[str, str], float]:
    """Approved purchased electricity [MWh] per (entity, period), as it stands now."""
    frame = approved_frame(session, utcnow()).filter(pl.col("indicator") == ELECTRICITY)
    return {
        (row["entity"], row["period"]): float(row["value"])
        for row in frame.select("entity", "period", "value").iter_rows(named=True)
    }


def _record_lineage(
    session: Session, months: list[GreenMonth], indicator: str, changeset: int, actor: str
) -> None:
    changes = [
        RecordChange(
            f"{m.entity}|{m.period}",
            {
                "entity": m.entity,
                "period": m.period,
                "indicator": indicator,
                "mwh": m.mwh,
                "retirements": list(m.retirements),
                "changeset": changeset,
            },
            entity=m.entity,
        )
        for m in months
    ]
    append_records(session, LINEAGE, changes, actor=actor, action="carbon_assets.scope2_feed")
