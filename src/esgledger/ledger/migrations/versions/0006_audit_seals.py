"""Audit seals: content hashes on revisions, seals on audit entries, checkpoints in snapshots.

Existing revisions get their content hash, and when the ledger already holds data one
``audit.baseline`` entry seals everything that exists, so that from here on every data row
is covered by the audit log. Entries written before keep their hashes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

import json

import sqlalchemy as sa
from alembic import op

from esgledger.ledger import sealing
from esgledger.ledger.audit import GENESIS_HASH, entry_hash
from esgledger.ledger.database import utcnow

_TABLES_AT_0006 = ("entities", "period_locks", "reporting_years", "snapshots")
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("revisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content_hash", sa.String(64), nullable=True))
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seal", sa.Text(), nullable=True))
    with op.batch_alter_table("snapshots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("audit_checkpoint", sa.Text(), nullable=True))
    connection = op.get_bind()
    _hash_existing_revisions(connection)
    _seal_existing_rows(connection)


def _hash_existing_revisions(connection: sa.Connection) -> None:
    headers = sealing.changeset_hashes(connection)
    update = sa.text("UPDATE revisions SET content_hash = :digest WHERE id = :id")
    for frame, hashes in sealing.revision_chunks(connection, headers, size=50_000):
        ids = frame["id"].to_list()
        connection.execute(
            update, [{"id": i, "digest": d} for i, d in zip(ids, hashes, strict=True)]
        )


def _seal_existing_rows(connection: sa.Connection) -> None:
    # only the tables that existed at this migration (later ones are added by theirs)
    tables = {name: sealing.SEALED_TABLES[name] for name in _TABLES_AT_0006}
    keys = sealing.all_keys(connection, tables)
    if not keys:
        return
    seal = json.dumps(sealing.build_seal(connection, keys), sort_keys=True, separators=(",", ":"))
    last = connection.execute(
        sa.text("SELECT id, entry_hash FROM audit_log ORDER BY id DESC LIMIT 1")
    ).first()
    entry_id = last[0] + 1 if last else 1
    prev = last[1] if last else GENESIS_HASH
    at = utcnow()
    detail = json.dumps({"reason": "schema 0006: rows written before seals existed"})
    connection.execute(
        _AUDIT_LOG.insert().values(
            id=entry_id,
            at=at,
            actor="esgledger",
            action="audit.baseline",
            detail=detail,
            prev_hash=prev,
            seal=seal,
            entry_hash=entry_hash(
                entry_id, at.isoformat(), "esgledger", "audit.baseline", detail, prev, seal
            ),
        )
    )


_AUDIT_LOG = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("at", sa.DateTime),
    sa.column("actor", sa.Text),
    sa.column("action", sa.String),
    sa.column("detail", sa.Text),
    sa.column("prev_hash", sa.String),
    sa.column("seal", sa.Text),
    sa.column("entry_hash", sa.String),
)


def downgrade() -> None:
    with op.batch_alter_table("snapshots", schema=None) as batch_op:
        batch_op.drop_column("audit_checkpoint")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("seal")
    with op.batch_alter_table("revisions", schema=None) as batch_op:
        batch_op.drop_column("content_hash")
