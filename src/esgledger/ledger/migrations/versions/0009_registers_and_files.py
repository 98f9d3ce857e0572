"""Management registers (append-only records with a JSON payload) and stored files.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "register_records",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("register", sa.String(40), nullable=False),
        sa.Column("record_key", sa.String(160), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(40), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
    )
    op.create_index(
        "uq_register_records_version",
        "register_records",
        ["register", "record_key", "version"],
        unique=True,
    )
    op.create_index("ix_register_records_entity", "register_records", ["register", "entity"])
    op.create_table(
        "stored_files",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        sa.Column("stored_by", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("stored_files")
    op.drop_index("ix_register_records_entity", "register_records")
    op.drop_index("uq_register_records_version", "register_records")
    op.drop_table("register_records")
