"""Current values: the newest revision of each observation, kept by the database itself.

Listing current values used to find the newest revision of every observation by grouping
the whole ``revisions`` table on each request. ``current_values`` holds that answer, one
row per observation, with the indexes the lists, filters and pages use.

The database keeps it, in the same transaction as the insert, by a trigger on
``revisions``: every writer is covered, row inserts, batches and PostgreSQL's COPY alike,
without the writers knowing. A revision only replaces the row when it is newer (a larger
id), so the order of rows within one statement does not matter. PostgreSQL runs the
trigger once per statement over the inserted rows (a transition table), so a bulk import
costs one upsert, not one per row. ``revision_id`` has no foreign key: derived data must
not make the database refuse a change that only the audit check should judge.

Keep in mind for later migrations: SQLite's batch mode rebuilds a table and drops its
triggers; a migration that alters ``revisions`` in batch mode must create the trigger
again (the tests of current values fail otherwise). ``esgledger audit verify`` compares
the table with the revisions (ledger/current_values.py).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_COLUMNS = "entity, period, indicator, revision_id, status, is_tombstone"
_NEWER = (
    "ON CONFLICT (entity, period, indicator) DO UPDATE SET revision_id = excluded.revision_id, "
    "status = excluded.status, is_tombstone = excluded.is_tombstone "
    "WHERE excluded.revision_id > current_values.revision_id"
)
_SQLITE_TRIGGER = f"""
CREATE TRIGGER revisions_current_value AFTER INSERT ON revisions
BEGIN
    INSERT INTO current_values ({_COLUMNS})
    VALUES (NEW.entity, NEW.period, NEW.indicator, NEW.id, NEW.status, NEW.is_tombstone)
    {_NEWER};
END
"""
_POSTGRES_FUNCTION = f"""
CREATE FUNCTION revisions_current_value() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO current_values ({_COLUMNS})
    SELECT DISTINCT ON (entity, period, indicator)
           entity, period, indicator, id, status, is_tombstone
    FROM new_revisions
    ORDER BY entity, period, indicator, id DESC
    {_NEWER};
    RETURN NULL;
END
$$
"""
_POSTGRES_TRIGGER = """
CREATE TRIGGER revisions_current_value AFTER INSERT ON revisions
REFERENCING NEW TABLE AS new_revisions
FOR EACH STATEMENT EXECUTE FUNCTION revisions_current_value()
"""
_BACKFILL = f"""
INSERT INTO current_values ({_COLUMNS})
SELECT entity, period, indicator, id, status, is_tombstone FROM revisions
WHERE id IN (SELECT MAX(id) FROM revisions GROUP BY entity, period, indicator)
"""


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:  # no writer may slip a revision in between the backfill and the trigger
        op.execute("LOCK TABLE revisions IN SHARE ROW EXCLUSIVE MODE")
    _create_table()
    op.execute(_BACKFILL)
    if postgres:
        op.execute(_POSTGRES_FUNCTION)
        op.execute(_POSTGRES_TRIGGER)
    else:
        op.execute(_SQLITE_TRIGGER)


def _create_table() -> None:
    op.create_table(
        "current_values",
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("indicator", sa.String(120), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("is_tombstone", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("entity", "period", "indicator"),
        sa.UniqueConstraint("revision_id"),
    )
    op.create_index(
        "ix_current_values_listing",
        "current_values",
        ["is_tombstone", "entity", "indicator", "period"],
    )
    op.create_index("ix_current_values_indicator", "current_values", ["indicator", "period"])
    op.create_index("ix_current_values_status", "current_values", ["status"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER revisions_current_value ON revisions")
        op.execute("DROP FUNCTION revisions_current_value()")
    else:
        op.execute("DROP TRIGGER revisions_current_value")
    op.drop_table("current_values")
