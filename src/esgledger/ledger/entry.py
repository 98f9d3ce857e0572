"""Values typed into a form, restatements after lock, and the summaries reviewers read.

Form values go through the same checks as an imported file (they are turned into a table
of text cells), plus optimistic concurrency: each field carries the revision id its
editor saw, and a save is refused when someone else changed the value in between. The
comparison runs under the ledger's write lock (:mod:`esgledger.ledger.chain`), so two saves
made from the same revision at the same moment cannot both pass it.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from esgledger.catalog import Kind
from esgledger.catalog.registry import Catalog
from esgledger.errors import EsgError, NotFoundError
from esgledger.ledger import audit
from esgledger.ledger.calendar import is_locked, locked_periods
from esgledger.ledger.chain import ConflictError, hold_write_lock
from esgledger.ledger.imports.apply import ImportResult, import_rows
from esgledger.ledger.imports.context import suggestion
from esgledger.ledger.imports.reader import ROW_COLUMNS, RawTable
from esgledger.ledger.orgstore import load_org
from esgledger.ledger.revisions import LOCKED, Selection, append, latest_revisions, open_changeset
from esgledger.ledger.schema import Revision
from esgledger.periods import Period
from esgledger.units import conversion_factor

# ConflictError lives in ledger.chain; callers of the form save may import it from here.
__all__ = ["ConflictError", "FormValue", "restate", "save_form", "status_summary"]


@dataclass(frozen=True)
class FormValue:
    """One field of a data-entry form, with the revision the editor saw (None if empty)."""

    indicator: str
    value: str
    unit: str | None = None
    seen_revision: int | None = None
    comment: str | None = None


def save_form(
    session: Session,
    author: str,
    catalog: Catalog,
    entity: str,
    period: str,
    values: list[FormValue],
    *,
    submit: bool = False,
) -> ImportResult:
    """Record a form's values for one entity and period, all or nothing.

    Raises:
        ConflictError: a value changed since the editor loaded it; nothing is saved.
        ImportRejected: a value is invalid (same checks and messages as a file import).
    """
    hold_write_lock(session)  # the comparison below then holds until the commit
    _check_unchanged(session, entity, period, values)
    rows = [
        ("form", n, v.indicator, entity, period, v.indicator, v.value, v.unit, v.comment, None)
        for n, v in enumerate(values, start=1)
        if v.value.strip()
    ]
    frame = pl.DataFrame(rows, schema={c: pl.Utf8 for c in ROW_COLUMNS}, orient="row")
    frame = frame.with_columns(pl.col("row").cast(pl.Int64))
    digest = hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()
    table = RawTable(name=f"form {entity} {period}", sha256=digest, frame=frame)
    return import_rows(
        session, table, author, catalog, submit=submit, where=f"form {entity} {period}"
    )


def _restated_indicator(session: Session, catalog: Catalog, entity: str, indicator: str) -> Any:
    """The catalog entry of a restated value, once entity and indicator are known to exist.

    Same rules as an import (``imports/checks.py``) and the same 404 as the API's checks.
    """
    entities = [e.code for e in load_org(session)]
    if entity not in entities:
        hint = suggestion(entity, entities) or ""
        raise NotFoundError.coded("workflow.restate_entity", entity=entity, hint=hint)
    if indicator not in catalog:
        hint = suggestion(indicator, [i.id for i in catalog]) or ""
        raise NotFoundError.coded("workflow.restate_indicator", indicator=indicator, hint=hint)
    spec = catalog.get(indicator)
    if spec.kind is not Kind.INPUT:
        raise EsgError.coded("access.computed_not_collected", indicator=indicator)
    return spec


def _check_unchanged(session: Session, entity: str, period: str, values: list[FormValue]) -> None:
    current = {r.indicator: r.id for r in latest_revisions(session, Selection([entity], [period]))}
    changed = [v.indicator for v in values if current.get(v.indicator) != v.seen_revision]
    if changed:
        raise ConflictError.about(
            changed,
            "workflow.form_changed",
            count=len(changed),
            entity=entity,
            period=period,
            named=", ".join(changed[:5]),
        )


def restate(
    session: Session,
    author: str,
    catalog: Catalog,
    entity: str,
    period: str,
    indicator: str,
    value: float,
    unit: str,
    reason: str,
) -> Revision:
    """Correct a value of a locked period: a new locked revision marked as a restatement."""
    if not reason.strip():
        raise EsgError.coded("workflow.restate_reason")
    if not is_locked(Period.parse(period), locked_periods(session)):
        raise EsgError.coded("workflow.not_locked", period=period)
    spec = _restated_indicator(session, catalog, entity, indicator)
    canonical = value * conversion_factor(unit, spec.unit)
    key = {"entity": entity, "period": period, "indicator": indicator}
    hold_write_lock(session)
    previous = next(
        iter(latest_revisions(session, Selection([entity], [period], [indicator]))), None
    )
    row = {
        **dict.fromkeys(("quality", "source_sheet", "source_row", "origin_id")),
        **key,
        "value": repr(value),
        "unit": unit,
        "canonical_value": canonical,
        "canonical_unit": spec.unit,
        "status": LOCKED,
        "is_tombstone": False,
        "restatement": True,
        "comment": reason,
        "parent_id": previous.id if previous else None,
    }
    append(session, open_changeset(session, author, "restate", reason=reason), [row])
    audit.record(
        session, author, "restate", {**key, "value": value, "unit": unit, "reason": reason}
    )
    return latest_revisions(session, Selection([entity], [period], [indicator]))[0]


def status_summary(
    session: Session, entities: list[str] | None = None
) -> dict[tuple[str, int], dict[str, int]]:
    """Current observations counted by status, per entity and year (review queue, completeness)."""
    counts: dict[tuple[str, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for revision in latest_revisions(session, Selection(entities=entities)):
        if not revision.is_tombstone:
            key = (revision.entity, Period.parse(revision.period).year)
            counts[key][revision.status] += 1
    return {key: dict(value) for key, value in counts.items()}
