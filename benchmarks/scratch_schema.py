"""A PostgreSQL schema made for one benchmark run and dropped after it, shared by the scripts.

The benchmarks run as scripts (``python benchmarks/NAME.py``), so this module is imported
from the scripts' own folder.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, text

PG_URL = os.environ.get(
    "ESGLEDGER_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@contextmanager
def scratch_schema_database() -> Iterator[Engine]:
    """An engine whose search path is a new, empty schema; the schema goes with it."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    database = create_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield database
    finally:
        database.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
