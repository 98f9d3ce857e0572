"""The ledger's tables.

Observations are never updated in place: every change (a new value, a status change, a
deletion) is a new row in ``revisions`` that points to the row it supersedes. A
``changesets`` row says who made a batch of revisions, when, why, and from which file.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class EntityRow(Base):
    """An entity of the group tree as stored; edits are recorded in the audit log."""

    __tablename__ = "entities"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_en: Mapped[str] = mapped_column(Text)
    name_zh: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    parent: Mapped[str | None] = mapped_column(String(40))
    province: Mapped[str | None] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(Text)
    grid_region: Mapped[str | None] = mapped_column(String(40))
    division_code: Mapped[str | None] = mapped_column(String(6))
    ownership_share: Mapped[float] = mapped_column(Float, default=1.0)
    operational_control: Mapped[bool] = mapped_column(Boolean, default=True)
    financial_control: Mapped[bool] = mapped_column(Boolean, default=True)
    segment: Mapped[str | None] = mapped_column(String(40))
    tags: Mapped[str] = mapped_column(Text, default="")


class ReportingYear(Base):
    """The reporting calendar: observations may only be recorded for these years."""

    __tablename__ = "reporting_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class PeriodLock(Base):
    __tablename__ = "period_locks"

    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    locked_at: Mapped[datetime] = mapped_column(DateTime)
    locked_by: Mapped[str] = mapped_column(Text)


class Changeset(Base):
    """The header of a batch of revisions: who, when, why, and from which source file."""

    __tablename__ = "changesets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    action: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    source_file: Mapped[str | None] = mapped_column(Text)
    source_sha256: Mapped[str | None] = mapped_column(String(64))


class Revision(Base):
    """One state of one observation (entity, period, indicator)."""

    __tablename__ = "revisions"
    __table_args__ = (
        Index("ix_revisions_key", "entity", "period", "indicator", "id"),
        # One chain per observation (migration 0004, ledger/chain.py): no revision is
        # superseded twice, and only one revision of an observation starts it.
        Index("uq_revisions_parent", "parent_id", unique=True),
        Index(
            "uq_revisions_root",
            "entity",
            "period",
            "indicator",
            unique=True,
            sqlite_where=text("parent_id IS NULL"),
            postgresql_where=text("parent_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    changeset_id: Mapped[int] = mapped_column(ForeignKey("changesets.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))
    # The revision that entered this value (its changeset names the source file); empty
    # when this revision entered it itself. Status changes and locks carry it forward.
    origin_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))
    entity: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(10))
    indicator: Mapped[str] = mapped_column(String(120))
    value: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(Text)
    canonical_value: Mapped[float | None] = mapped_column(Float)
    canonical_unit: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), index=True)
    is_tombstone: Mapped[bool] = mapped_column(Boolean, default=False)
    # A change made after its period was locked, with a reason; reports flag it.
    restatement: Mapped[bool] = mapped_column(Boolean, default=False)
    quality: Mapped[str | None] = mapped_column(String(12))
    comment: Mapped[str | None] = mapped_column(Text)
    source_sheet: Mapped[str | None] = mapped_column(Text)
    source_row: Mapped[int | None] = mapped_column(Integer)
    # SHA-256 of every other column and of the changeset (ledger/integrity.py); the audit
    # entry that seals the changeset commits to it.
    content_hash: Mapped[str | None] = mapped_column(String(64))


class CurrentValue(Base):
    """The newest revision of each observation, so that listing them is not a scan of history.

    Derived data: the database fills it in the same transaction as every insert into
    ``revisions``, whoever makes it (triggers, migration 0008), and ``esgledger audit
    verify`` recomputes it from the revisions, which stay the truth. Status and deletion are
    copied from that revision (revisions never change) so that lists filter and count on
    this table alone.
    """

    __tablename__ = "current_values"
    __table_args__ = (
        # revision_id last: a page is found in the index alone (migration 0011)
        Index(
            "ix_current_values_listing",
            "is_tombstone",
            "entity",
            "indicator",
            "period",
            "revision_id",
        ),
        Index("ix_current_values_indicator", "indicator", "period"),
    )

    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    indicator: Mapped[str] = mapped_column(String(120), primary_key=True)
    revision_id: Mapped[int] = mapped_column(Integer, unique=True)
    status: Mapped[str] = mapped_column(String(12), index=True)
    is_tombstone: Mapped[bool] = mapped_column(Boolean)


class Snapshot(Base):
    """The approved values at a moment, identified by a hash of their content."""

    __tablename__ = "snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    as_of: Mapped[datetime] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(Text)
    observation_count: Mapped[int] = mapped_column(Integer)
    # The audit log's head when the snapshot was taken (ledger/checkpoint.py), signed when
    # a key is configured: a copy of the anchor inside every snapshot and report.
    audit_checkpoint: Mapped[str | None] = mapped_column(Text)


class SnapshotMember(Base):
    """Which revision a snapshot holds for each observation: the lineage of every figure."""

    __tablename__ = "snapshot_members"

    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshots.id"), primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"), primary_key=True)


class AuditEntry(Base):
    """One write, chained to the previous entry by hash so that edits to history show."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    # JSON: the hashes of the rows written with this entry (ledger/sealing.py); empty for
    # entries written before seals existed.
    seal: Mapped[str | None] = mapped_column(Text)
    entry_hash: Mapped[str] = mapped_column(String(64))


class RecordVersion(Base):
    """One version of one record of a management register (materiality topics, risks,
    hazards, permits ...): registers are append-only like observations.

    A record is named by its register and key; each change is a new row with the next
    version, its fields as canonical JSON in ``payload``. The newest version is the
    record's state; a retired record's newest version has ``retired`` set. Rows are sealed
    by the audit entry written with them (``sealing.py``) like entities and snapshots.
    """

    __tablename__ = "register_records"
    __table_args__ = (
        Index("uq_register_records_version", "register", "record_key", "version", unique=True),
        Index("ix_register_records_entity", "register", "entity"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    register: Mapped[str] = mapped_column(String(40))
    record_key: Mapped[str] = mapped_column(String(160))
    version: Mapped[int] = mapped_column(Integer)
    entity: Mapped[str | None] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    author: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str | None] = mapped_column(Text)


class StoredFile(Base):
    """A file kept as evidence (a photo, a site plan, an invoice), named by its SHA-256.

    The bytes live outside the database in a content-addressed folder (``ledger/files.py``);
    this row says what they are and who stored them, and the audit entry seals it.
    """

    __tablename__ = "stored_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(Text)
    stored_at: Mapped[datetime] = mapped_column(DateTime)
    stored_by: Mapped[str] = mapped_column(Text)


class MeterReading(Base):
    """One interval reading of a meter, as first received (migration 0010).

    ``at`` is the start of the interval in UTC (a counter's instant for counter meters).
    A later, different value for the same meter and instant does not overwrite this row:
    it is kept in ``meter_reading_corrections`` (``ledger/readings.py``). On PostgreSQL
    the table is partitioned by month.
    """

    __tablename__ = "meter_readings"

    meter: Mapped[str] = mapped_column(String(80), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(40))


class MeterReadingCorrection(Base):
    """A reading received again with a different value: the newest one counts."""

    __tablename__ = "meter_reading_corrections"
    __table_args__ = (Index("ix_meter_reading_corrections_meter", "meter", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meter: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(DateTime)
    value: Mapped[float] = mapped_column(Float)
    previous_value: Mapped[float] = mapped_column(Float)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(40))


class MeterDeadLetter(Base):
    """A message that could not be taken as readings, kept whole with the reason."""

    __tablename__ = "meter_dead_letters"
    __table_args__ = (Index("ix_meter_dead_letters_received", "received_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(40))
    meter: Mapped[str | None] = mapped_column(String(80))
    reason_code: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)
