"""One chain per observation: no revision superseded twice, one first revision per observation.

Two writers acting on the same revision at the same moment could both append a successor
and fork the history. These indexes make that impossible whatever the code does
(ledger/chain.py turns a violation into a "changed meanwhile, reload" error). A ledger
that already holds a fork is refused with the forked observations named, untouched:
which branch is the right one is a decision for a person, not for a migration.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

from esgledger.errors import Joined, Phrase
from esgledger.ledger.database import DatabaseError

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_ROOT_WHERE = sa.text("parent_id IS NULL")


def upgrade() -> None:
    _refuse_existing_forks()
    with op.batch_alter_table("revisions", schema=None) as batch_op:
        batch_op.create_index("uq_revisions_parent", ["parent_id"], unique=True)
        batch_op.create_index(
            "uq_revisions_root",
            ["entity", "period", "indicator"],
            unique=True,
            sqlite_where=_ROOT_WHERE,
            postgresql_where=_ROOT_WHERE,
        )


def downgrade() -> None:
    with op.batch_alter_table("revisions", schema=None) as batch_op:
        batch_op.drop_index("uq_revisions_root")
        batch_op.drop_index("uq_revisions_parent")


def _refuse_existing_forks() -> None:
    forks = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT entity, period, indicator, parent_id FROM revisions "
                "WHERE parent_id IS NOT NULL GROUP BY entity, period, indicator, parent_id "
                "HAVING COUNT(*) > 1 "
                "UNION ALL "
                "SELECT entity, period, indicator, NULL FROM revisions WHERE parent_id IS NULL "
                "GROUP BY entity, period, indicator HAVING COUNT(*) > 1"
            )
        )
        .all()
    )
    if forks:  # the texts are the catalogue's (errors_text/ledger), which keeps their fields
        named = tuple(
            Phrase.of(
                "database.fork.successors" if parent else "database.fork.roots",
                entity=e,
                period=p,
                indicator=i,
                parent=parent,
            )
            for e, p, i, parent in forks[:10]
        )
        raise DatabaseError.coded(
            "database.fork.refused",
            count=len(forks),
            forks=Joined(named, separator="list.semicolon"),
        )
