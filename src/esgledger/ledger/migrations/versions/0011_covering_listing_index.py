"""The listing index of current values also holds the revision id.

A page of the observations list is found in ``current_values`` alone (its order, its
offset, its revision ids: an index-only scan on PostgreSQL) before the page's hundred
revisions are read; without the revision id in the index the database sorted the whole
table and joined every skipped row to its revision (about 20 ms for a page near the end of
the demo's 7,000 values, 1.4 ms with this index; benchmarks/api_load.py, random pages).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

LISTING = ["is_tombstone", "entity", "indicator", "period"]


def upgrade() -> None:
    op.drop_index("ix_current_values_listing", table_name="current_values")
    op.create_index("ix_current_values_listing", "current_values", [*LISTING, "revision_id"])


def downgrade() -> None:
    op.drop_index("ix_current_values_listing", table_name="current_values")
    op.create_index("ix_current_values_listing", "current_values", LISTING)
