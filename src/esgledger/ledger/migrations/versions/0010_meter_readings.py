"""Meter readings: interval time series, their corrections, day totals and dead letters.

Readings are the one high-volume thing the ledger keeps (a plant's meters send a value
every 15 minutes: about 2,900 a month each), so they are plain rows rather than
registers. On PostgreSQL ``meter_readings`` is partitioned by month (declarative range
partitioning on ``at``); the month partitions are created as readings for them arrive
(``ledger/readings.py``). SQLite keeps one plain table.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TABLE meter_readings ("
            " meter VARCHAR(80) NOT NULL, at TIMESTAMP NOT NULL,"
            " value DOUBLE PRECISION NOT NULL, received_at TIMESTAMP NOT NULL,"
            " source VARCHAR(40) NOT NULL, PRIMARY KEY (meter, at)"
            ") PARTITION BY RANGE (at)"
        )
    else:
        op.create_table(
            "meter_readings",
            sa.Column("meter", sa.String(80), primary_key=True),
            sa.Column("at", sa.DateTime(), primary_key=True),
            sa.Column("value", sa.Float(), nullable=False),
            sa.Column("received_at", sa.DateTime(), nullable=False),
            sa.Column("source", sa.String(40), nullable=False),
        )
    op.create_table(
        "meter_reading_corrections",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("meter", sa.String(80), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("previous_value", sa.Float(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
    )
    op.create_index(
        "ix_meter_reading_corrections_meter", "meter_reading_corrections", ["meter", "at"]
    )
    op.create_table(
        "meter_dead_letters",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("meter", sa.String(80), nullable=True),
        sa.Column("reason_code", sa.String(60), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
    )
    op.create_index("ix_meter_dead_letters_received", "meter_dead_letters", ["received_at"])


def downgrade() -> None:
    op.drop_index("ix_meter_dead_letters_received", "meter_dead_letters")
    op.drop_table("meter_dead_letters")
    op.drop_index("ix_meter_reading_corrections_meter", "meter_reading_corrections")
    op.drop_table("meter_reading_corrections")
    op.drop_table("meter_readings")
