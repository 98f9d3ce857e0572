"""The audit log read one way: the API, the web page, the CLI and the export all use it.

Entries come newest first. A filter narrows them by entity, actor, action and a range of
days; every field left empty matches everything.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, String, cast, func, or_, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from esgledger.errors import EsgError
from esgledger.ledger.database import one_page
from esgledger.ledger.schema import AuditEntry, Revision


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to read; ``first_day`` and ``last_day`` are UTC days, both included.

    ``entity`` matches the entries about that entity's data: the changesets that wrote its
    revisions (imports, saves, approvals, rejections, deletions), its restatements
    and the changes to its place in the organisation.
    """

    entity: str | None = None
    actor: str | None = None
    action: str | None = None
    first_day: date | None = None
    last_day: date | None = None

    def __post_init__(self) -> None:
        if self.first_day and self.last_day and self.first_day > self.last_day:
            raise EsgError.coded("audit_log.range", first=self.first_day, last=self.last_day)


def filter_from_text(
    entity: str = "", actor: str = "", action: str = "", first_day: str = "", last_day: str = ""
) -> AuditFilter:
    """The filter a form sends, where a field left empty arrives as empty text.

    Raises:
        EsgError: a day not written as YYYY-MM-DD.
    """
    days = [_day(text, name) for text, name in ((first_day, "from"), (last_day, "to"))]
    return AuditFilter(entity.strip() or None, actor.strip() or None, action.strip() or None, *days)


def _day(text: str, field: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise EsgError.coded("audit_log.day", field=field, text=text) from None


def audit_page(
    session: Session, where: AuditFilter, offset: int, limit: int
) -> tuple[list[AuditEntry], int]:
    """One page of the matching entries, newest first, and how many match in all."""
    return one_page(session, _query(session, where), offset, limit)


def audit_entries(session: Session, where: AuditFilter) -> Iterator[AuditEntry]:
    """Every matching entry, newest first, read in batches (for an export of any size)."""
    yield from session.scalars(_query(session, where).execution_options(yield_per=1000))


def newest_audit_id(session: Session | Connection) -> int:
    """The id of the newest entry (0 for an empty log).

    Every write appends an entry, so this is an exact and cheap version of the ledger.
    """
    return session.scalar(select(func.max(AuditEntry.id))) or 0


def _query(session: Session, where: AuditFilter) -> Select[Any]:
    query = select(AuditEntry)
    if where.actor:
        query = query.where(AuditEntry.actor == where.actor)
    if where.action:
        query = query.where(AuditEntry.action == where.action)
    if where.first_day:
        query = query.where(AuditEntry.at >= datetime.combine(where.first_day, time()))
    if where.last_day:
        after = datetime.combine(where.last_day + timedelta(days=1), time())
        query = query.where(AuditEntry.at < after)
    if where.entity:
        query = query.where(_about_entity(session.get_bind().dialect.name, where.entity))
    return query.order_by(AuditEntry.id.desc())


def _about_entity(dialect: str, entity: str) -> ColumnElement[bool]:
    """Entries whose detail names ``entity`` or a changeset holding its revisions."""
    changesets = select(cast(Revision.changeset_id, String)).where(Revision.entity == entity)
    return or_(
        _detail(dialect, "changeset").in_(changesets),
        _detail(dialect, "entity") == entity,
        _detail(dialect, "code") == entity,
    )


def _detail(dialect: str, key: str) -> ColumnElement[Any]:
    """A top-level field of the entry's JSON detail, as text, on either database."""
    if dialect == "postgresql":
        return func.jsonb_extract_path_text(cast(AuditEntry.detail, JSONB), key)
    return cast(func.json_extract(AuditEntry.detail, f"$.{key}"), String)
