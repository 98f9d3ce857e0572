"""Sign-off per indicator and entity, and how a later revision makes a sign-off stale.

A sign-off (register ``assurance.signoffs``, key ``<engagement>|<entity>|<indicator>``)
records the revision id of every value of the indicator and entity in the engagement's
year at the moment of signing. It is refused while a query on that scope is not closed or a
finding on it is not closed. A value revised afterwards (a new revision, a deletion, a new
period) no longer matches what was signed: the sign-off is shown as stale until signed again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from esgledger.assurance.engagements import (
    engagement,
    engagement_record,
    of_engagement,
    require_assurer,
)
from esgledger.assurance.model import FINDINGS, QUERIES, SIGNOFFS, refuse
from esgledger.assurance.population import current_of
from esgledger.auth.service import Principal
from esgledger.ledger.reads.records import RecordView
from esgledger.ledger.reads.revision_history import revision_history
from esgledger.ledger.records import RecordChange, append_record


def open_items(session: Session, code: str, entity: str, indicator: str) -> list[RecordView]:
    """The queries and findings on (entity, indicator) that are not closed yet."""
    found = []
    for register in (QUERIES, FINDINGS):
        for record in of_engagement(session, register, code):
            payload = record.payload
            same = payload["entity"] == entity and payload["indicator"] == indicator
            if same and payload["status"] != "closed":
                found.append(record)
    return found


def signed_revisions(
    session: Session, year: int, entities: list[str], indicators: list[str]
) -> pl.DataFrame:
    """(entity, indicator, period, revision_id) of the current values, deletions as null."""
    history = revision_history(session, entities=entities, indicators=indicators, years=[year])
    current = current_of(history).filter(pl.col("period").str.slice(0, 4) == str(year))
    return current.select(
        "entity",
        "indicator",
        "period",
        revision_id=pl.when(~pl.col("is_tombstone")).then(pl.col("revision_id")),
    ).sort(["entity", "indicator", "period"])


def sign_off(
    session: Session,
    principal: Principal,
    code: str,
    entity: str,
    indicator: str,
    conclusion: str = "",
) -> RecordView:
    """Sign off one indicator of one entity, refused while anything on it is open."""
    require_assurer(principal, SIGNOFFS)
    payload = engagement(session, code).payload
    if entity not in payload["entities"] or indicator not in payload["indicators"]:
        raise refuse("workpaper.out_of_scope", entity=entity, indicator=indicator)
    pending = open_items(session, code, entity, indicator)
    if pending:
        keys = ", ".join(record.key.split("|")[-1] for record in pending)
        raise refuse("workpaper.signoff_open", entity=entity, indicator=indicator, items=keys)
    values = signed_revisions(session, int(payload["year"]), [entity], [indicator])
    record: dict[str, Any] = {
        "engagement": code,
        "entity": entity,
        "indicator": indicator,
        "conclusion": conclusion.strip(),
        "revisions": {row["period"]: row["revision_id"] for row in values.to_dicts()},
    }
    key = f"{code}|{entity}|{indicator}"
    append_record(
        session,
        SIGNOFFS,
        RecordChange(key, record, entity=entity),
        actor=principal.username,
        action="assurance.signoff",
    )
    return engagement_record(session, SIGNOFFS, key)


def signoff_states(session: Session, code: str) -> list[dict[str, Any]]:
    """Every sign-off of the engagement with ``stale`` and the periods that changed since."""
    signoffs = of_engagement(session, SIGNOFFS, code)
    if not signoffs:
        return []
    year = int(engagement(session, code).payload["year"])
    entities = sorted({r.payload["entity"] for r in signoffs})
    indicators = sorted({r.payload["indicator"] for r in signoffs})
    now = signed_revisions(session, year, entities, indicators)
    signed = _signed_frame(signoffs)
    both = signed.join(now, on=["entity", "indicator", "period"], how="full", coalesce=True)
    changed = both.filter(
        pl.col("signed_id").ne_missing(pl.col("revision_id")) & pl.col("entity").is_in(entities)
    )
    return [_state(record, changed) for record in signoffs]


def _signed_frame(signoffs: list[RecordView]) -> pl.DataFrame:
    rows = [
        (r.payload["entity"], r.payload["indicator"], period, revision)
        for r in signoffs
        for period, revision in r.payload["revisions"].items()
    ]
    schema = {"entity": pl.Utf8, "indicator": pl.Utf8, "period": pl.Utf8, "signed_id": pl.Int64}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _state(record: RecordView, changed: pl.DataFrame) -> dict[str, Any]:
    mine = changed.filter(
        (pl.col("entity") == record.payload["entity"])
        & (pl.col("indicator") == record.payload["indicator"])
    )
    return {
        "record": record,
        "stale": mine.height > 0,
        "changed_periods": sorted(mine["period"].to_list()),
    }


def scope_signoffs(states: list[dict[str, Any]]) -> Mapping[tuple[str, str], dict[str, Any]]:
    return {(s["record"].payload["entity"], s["record"].payload["indicator"]): s for s in states}
