"""The population an engagement samples from: the current values in its scope.

One row per value of the engagement's year (entity, period, indicator) with its current
revision, its magnitude in the engagement's common unit (through the unit registry; a value
in a unit of another dimension has none and cannot be drawn by monetary-unit sampling) and
its risk flags, all computed over columns:

- ``yoy_change``: the entity's annual total of the indicator moved by more than the share in
  data/sampling.yaml against the year before;
- ``late_revision``: the value was changed (a second or later revision) that many days or
  more after year end;
- ``restated``: the value was restated after its period was locked;
- ``no_evidence``: no file in the register ``evidence.links`` backs the value;
- ``plausibility``: the review's plausibility check flagged the entity's year.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from esgledger.assurance.sampling import parameters
from esgledger.engine.methods.process import ANODE, METAL
from esgledger.errors import EsgError
from esgledger.ledger.reads.records import current_records
from esgledger.ledger.reads.revision_history import revision_history
from esgledger.units import conversion_factor

EVIDENCE_LINKS = "evidence.links"
KEY = ["entity", "period", "indicator"]


def current_of(history: pl.DataFrame) -> pl.DataFrame:
    """The newest revision of each observation in ``history``, with its revision count."""
    counts = history.group_by(KEY).agg(revisions=pl.len())
    newest = history.sort("revision_id").group_by(KEY).last()
    return newest.join(counts, on=KEY)


def magnitudes(frame: pl.DataFrame, common_unit: str) -> pl.DataFrame:
    """``frame`` with ``magnitude``: |canonical value| in ``common_unit``, null if unconvertible."""
    factors: dict[str, float | None] = {}
    for unit in frame["canonical_unit"].unique().drop_nulls().to_list():
        try:
            factors[unit] = conversion_factor(unit, common_unit)
        except EsgError:
            factors[unit] = None
    table = pl.DataFrame(
        {"canonical_unit": list(factors), "factor": list(factors.values())},
        schema={"canonical_unit": pl.Utf8, "factor": pl.Float64},
    )
    joined = frame.join(table, on="canonical_unit", how="left")
    return joined.with_columns(magnitude=(pl.col("canonical_value") * pl.col("factor")).abs()).drop(
        "factor"
    )


def scope_evidence(session: Session, history: pl.DataFrame) -> pl.DataFrame:
    """The evidence links (register ``evidence.links``) behind the observations in
    ``history``: attached to the value itself, or to an import that wrote one of its
    revisions (the import's id is its changeset's id; one link per entity it wrote), as
    ``evidence.links.evidence_for`` reads them. One row per (observation, file)."""
    entities = history["entity"].unique().to_list()
    links = [r.payload for r in current_records(session, EVIDENCE_LINKS, entities=entities)]
    fields = ("sha256", "name", "media_type", "target", "import_id", *KEY)
    table = pl.DataFrame(
        [[link.get(name) for name in fields] for link in links],
        schema=dict.fromkeys(fields, pl.Utf8),
        orient="row",
    )
    own = table.filter(pl.col("target") == "value").join(
        history.select(KEY).unique(), on=KEY, how="inner"
    )
    written = history.select(*KEY, import_id=pl.col("changeset_id").cast(pl.Utf8)).unique()
    imported = (
        table.filter(pl.col("target") == "import")
        .drop("period", "indicator")
        .join(written, on=["entity", "import_id"], how="inner")
    )
    return pl.concat([own, imported.select(own.columns)]).unique(subset=[*KEY, "sha256"])


def population(
    session: Session,
    engagement: Mapping[str, Any],
    plausibility: Mapping[tuple[str, int], list[str]] | None = None,
) -> pl.DataFrame:
    """The engagement's population with magnitudes and risk flags (see the module text)."""
    year = int(engagement["year"])
    history = revision_history(
        session,
        entities=engagement["entities"],
        indicators=engagement["indicators"],
        years=[year - 1, year],
    )
    current = current_of(history).filter(~pl.col("is_tombstone"))
    current = current.with_columns(year=pl.col("period").str.slice(0, 4).cast(pl.Int64))
    this_year = current.filter(pl.col("year") == year)
    frame = magnitudes(this_year, engagement.get("common_unit", "tCO2e"))
    frame = frame.join(_yoy_flags(current, year), on=["entity", "indicator"], how="left")
    return _flags(frame, scope_evidence(session, history), year, plausibility or {})


def _yoy_flags(current: pl.DataFrame, year: int) -> pl.DataFrame:
    share = parameters()["risk"]["yoy_change_share"]
    totals = current.group_by(["entity", "indicator", "year"]).agg(
        total=pl.col("canonical_value").sum()
    )
    now = totals.filter(pl.col("year") == year).drop("year")
    before = totals.filter(pl.col("year") == year - 1).drop("year").rename({"total": "before"})
    both = now.join(before, on=["entity", "indicator"], how="left")
    change = (pl.col("total") - pl.col("before")).abs() / pl.col("before").abs()
    return both.select(
        "entity",
        "indicator",
        yoy_share=pl.when(pl.col("before") != 0).then(change),
    ).with_columns(yoy_change=pl.col("yoy_share").fill_null(0.0) > share)


def _flags(
    frame: pl.DataFrame,
    evidence: pl.DataFrame,
    year: int,
    plausibility: Mapping[tuple[str, int], list[str]],
) -> pl.DataFrame:
    late_after = datetime(year + 1, 1, 1) + timedelta(
        days=parameters()["risk"]["late_revision_days"]
    )
    evidenced = evidence.select(KEY).unique().with_columns(evidenced=pl.lit(True))
    flagged_entities = [entity for entity, y in plausibility if y == year]
    frame = frame.join(evidenced, on=KEY, how="left")
    return frame.with_columns(
        late_revision=(pl.col("created_at") >= late_after) & (pl.col("revisions") > 1),
        restated=pl.col("restatement").fill_null(False),
        no_evidence=pl.col("evidenced").is_null(),
        plausibility=pl.col("entity").is_in(flagged_entities)
        & pl.col("indicator").is_in([ANODE, METAL]),
        yoy_change=pl.col("yoy_change").fill_null(False),
    ).drop("evidenced")
