"""The only write path of observations: append revisions, never update them.

A changeset (who, when, why, source) groups the revisions it adds. Every revision points
to the one it supersedes for the same (entity, period, indicator), so an observation's
history is a walk along ``parent_id``. Status changes and deletions are revisions too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from esgledger.errors import EsgError, Phrase
from esgledger.ledger import audit
from esgledger.ledger.chain import hold_write_lock, raise_if_fork, refuse_stale
from esgledger.ledger.database import count_rows, fetched, utcnow
from esgledger.ledger.integrity import with_content_hashes
from esgledger.ledger.locks import LockError, is_locked, locked_periods
from esgledger.ledger.schema import Changeset, CurrentValue, Revision
from esgledger.periods import Period

DRAFT, SUBMITTED, APPROVED, REJECTED, LOCKED = (
    "draft",
    "submitted",
    "approved",
    "rejected",
    "locked",
)
STATUSES = (DRAFT, SUBMITTED, APPROVED, REJECTED, LOCKED)
PUBLISHED_STATUSES = (APPROVED, LOCKED)

# The statuses each action may start from. Approving a draft directly is allowed only
# when the caller asks for it (a single-person group has nobody to submit to).
TRANSITIONS = {
    SUBMITTED: (DRAFT, REJECTED),
    APPROVED: (SUBMITTED,),
    REJECTED: (SUBMITTED,),
    LOCKED: (APPROVED,),
}


class WorkflowError(EsgError):
    """A status change that the workflow does not allow."""


@dataclass(frozen=True)
class Selection:
    """Which observations a command acts on; ``None`` means any."""

    entities: Sequence[str] | None = None
    periods: Sequence[str] | None = None
    indicators: Sequence[str] | None = None

    def apply(
        self, query: Select[Any], table: type[Revision] | type[CurrentValue] = Revision
    ) -> Select[Any]:
        """``query`` narrowed to the selection, on the key columns of ``table``."""
        if self.entities:
            query = query.where(table.entity.in_(self.entities))
        if self.periods:
            query = query.where(table.period.in_(self.periods))
        if self.indicators:
            query = query.where(table.indicator.in_(self.indicators))
        return query


def open_changeset(
    session: Session,
    author: str,
    action: str,
    *,
    reason: str | None = None,
    source_file: str | None = None,
    source_sha256: str | None = None,
) -> Changeset:
    changeset = Changeset(
        author=author,
        created_at=utcnow(),
        action=action,
        reason=reason,
        source_file=source_file,
        source_sha256=source_sha256,
    )
    session.add(changeset)
    session.flush()
    return changeset


def latest_ids(
    selection: Selection = Selection(),
    *,
    statuses: Iterable[str] | None = None,
    as_of: datetime | None = None,
) -> Select[Any]:
    """Ids of the newest revision per observation, among some statuses or times, from history.

    Without ``statuses`` or ``as_of`` this is what ``current_values`` holds; it stays here
    as the truth that table is checked against (:mod:`.current_values`).
    """
    query = select(func.max(Revision.id)).group_by(
        Revision.entity, Revision.period, Revision.indicator
    )
    if statuses is not None:
        query = query.where(Revision.status.in_(tuple(statuses)))
    if as_of is not None:
        query = query.join(Changeset, Changeset.id == Revision.changeset_id).where(
            Changeset.created_at <= as_of
        )
    return selection.apply(query)


# The order of every list of current values (the columns of ix_current_values_listing).
LISTING = (CurrentValue.entity, CurrentValue.indicator, CurrentValue.period)


def _current(selection: Selection, columns: Mapping[str, str] | None = None) -> Select[Any]:
    """The current revisions of the selection in listing order, found in ``current_values``.

    With ``columns`` (label: Revision attribute) it selects those columns under those labels.
    """
    query = _chosen(columns).join(CurrentValue, CurrentValue.revision_id == Revision.id)
    return selection.apply(query.order_by(*LISTING), CurrentValue)


def _chosen(columns: Mapping[str, str] | None) -> Select[Any]:
    chosen = [getattr(Revision, a).label(n) for n, a in columns.items()] if columns else [Revision]
    return select(*chosen)


def latest_revisions(session: Session, selection: Selection = Selection()) -> list[Revision]:
    """The current state of every selected observation, deletions included."""
    return list(session.scalars(_current(selection)))


def current_page(
    session: Session,
    selection: Selection = Selection(),
    *,
    status: str | None = None,
    offset: int = 0,
    limit: int = 100,
    columns: Mapping[str, str] | None = None,
    total: int | None = None,
) -> tuple[list[Any], int]:
    """One page of the current observations (deletions left out) and how many there are.

    The database counts and slices ``current_values`` on its indexes: a page of a large
    ledger reads its own rows only, and the count never touches the revisions. The page
    holds Revision objects, or with ``columns`` (label: Revision attribute) plain rows of
    those columns, which cost a fraction of building the objects. A caller that counted
    the selection in the same state of the ledger passes its ``total`` and saves the count.
    """
    shown = [CurrentValue.is_tombstone.is_(False)]
    if status is not None:
        shown.append(CurrentValue.status == status)
    if total is None:
        total = count_rows(
            session, selection.apply(select(CurrentValue.revision_id).where(*shown), CurrentValue)
        )
    if offset >= total:  # also keeps a huge offset away from the database's integers
        return [], total
    listed = selection.apply(select(CurrentValue.revision_id, *LISTING).where(*shown), CurrentValue)
    # The page is chosen in current_values first (ordered, offset, limited: an index-only
    # scan of ix_current_values_listing) and only its rows are joined to their revisions;
    # joining first reads a revision for every skipped row and sorts them all.
    page = listed.order_by(*LISTING).offset(offset).limit(limit).subquery()
    query = (
        _chosen(columns)
        .join(page, page.c.revision_id == Revision.id)
        .order_by(*(page.c[column.key] for column in LISTING))
    )
    return fetched(session, query), total


def append(session: Session, changeset: Changeset, rows: list[dict[str, Any]]) -> int:
    """Insert revisions for ``changeset`` in one statement; rows hold Revision columns.

    Each row's ``parent_id`` must be its observation's newest revision (None: the
    observation has none yet), checked under the write lock (see :mod:`.chain`).

    Raises:
        ConflictError: another writer changed one of these observations meanwhile.
    """
    if rows:
        hold_write_lock(session)
        refuse_stale(session, rows)
        # render_nulls keeps one statement shape for rows with and without a comment, so
        # the driver batches them instead of splitting into thousands of statements.
        statement = insert(Revision).execution_options(render_nulls=True)
        try:
            session.execute(statement, with_content_hashes(changeset, rows))
        except IntegrityError as exc:  # the single-chain indexes: a fork is a lost race
            raise_if_fork(exc)
            raise
    return len(rows)


def successor(revision: Revision, **changes: Any) -> dict[str, Any]:
    """The column values of a revision that supersedes ``revision`` with ``changes``."""
    keep = (
        "entity",
        "period",
        "indicator",
        "value",
        "unit",
        "canonical_value",
        "canonical_unit",
        "status",
        "is_tombstone",
        "quality",
        "comment",
        "source_sheet",
        "source_row",
        "restatement",
    )
    row = {name: getattr(revision, name) for name in keep}
    row.update(changes, parent_id=revision.id, origin_id=revision.origin_id or revision.id)
    return row


def change_status(
    session: Session,
    author: str,
    to_status: str,
    selection: Selection,
    *,
    reason: str | None = None,
    include_drafts: bool = False,
) -> int:
    """Move every selected observation that may make this step to ``to_status``.

    Returns:
        How many observations changed status (0 when none was in a starting status).
    """
    starts = starting_statuses(to_status, include_drafts)
    if to_status == REJECTED and not reason:
        raise WorkflowError.coded("workflow.reject_reason_option")
    hold_write_lock(session)
    current = [r for r in latest_revisions(session, selection) if r.status in starts]
    if not current:
        return 0
    write_step(session, author, to_status, current, reason, {"selection": _describe(selection)})
    return len(current)


def starting_statuses(to_status: str, include_drafts: bool) -> tuple[str, ...]:
    """The statuses ``to_status`` may be reached from (drafts too, when asked for approval)."""
    return TRANSITIONS[to_status] + ((DRAFT,) if include_drafts and to_status == APPROVED else ())


def write_step(
    session: Session,
    author: str,
    to_status: str,
    current: list[Revision],
    reason: str | None,
    which: dict[str, Any],
) -> None:
    """One changeset of status successors and its audit entry."""
    changeset = open_changeset(session, author, to_status, reason=reason)
    append(session, changeset, [successor(r, status=to_status) for r in current])
    audit.record(
        session,
        author,
        to_status,
        {"changeset": changeset.id, "observations": len(current), "reason": reason, **which},
    )


def delete(session: Session, author: str, selection: Selection, reason: str) -> int:
    """Delete observations by appending tombstones; the old values stay in history."""
    if not reason:
        raise WorkflowError.coded("workflow.delete_reason_option")
    hold_write_lock(session)
    current = [r for r in latest_revisions(session, selection) if not r.is_tombstone]
    if not current:
        return 0
    _refuse_locked(session, current)
    changeset = open_changeset(session, author, "delete", reason=reason)
    tombstones = [
        successor(r, status=DRAFT, is_tombstone=True, value=None, canonical_value=None)
        for r in current
    ]
    append(session, changeset, tombstones)
    audit.record(
        session,
        author,
        "delete",
        {
            "changeset": changeset.id,
            "observations": len(current),
            "reason": reason,
            "selection": _describe(selection),
        },
    )
    return len(current)


def _refuse_locked(session: Session, current: list[Revision]) -> None:
    """A deletion may not touch a locked period: its figures are published."""
    locks = locked_periods(session)
    locked = [r for r in current if is_locked(Period.parse(r.period), locks)]
    if locked:
        named = ", ".join(f"{r.entity} {r.period} {r.indicator}" for r in locked[:5])
        more = Phrase.of("workflow.more", count=len(locked) - 5) if len(locked) > 5 else ""
        raise LockError.coded("workflow.delete_locked", named=named, more=more)


def history(
    session: Session, entity: str, period: str, indicator: str
) -> list[tuple[Revision, Changeset]]:
    """Every revision of one observation, oldest first, with its changeset."""
    query = (
        select(Revision, Changeset)
        .join(Changeset, Changeset.id == Revision.changeset_id)
        .where(
            and_(
                Revision.entity == entity,
                Revision.period == period,
                Revision.indicator == indicator,
            )
        )
        .order_by(Revision.id)
    )
    return [(revision, changeset) for revision, changeset in session.execute(query)]


def changeset_entities(session: Session, changeset_id: int) -> list[str] | None:
    """The entities one changeset wrote values of (None: there is no such changeset)."""
    if session.get(Changeset, changeset_id) is None:
        return None
    query = select(Revision.entity).where(Revision.changeset_id == changeset_id).distinct()
    return sorted(session.scalars(query))


def _describe(selection: Selection) -> dict[str, Any]:
    return {
        "entities": list(selection.entities or []),
        "periods": list(selection.periods or []),
        "indicators": list(selection.indicators or []),
    }
