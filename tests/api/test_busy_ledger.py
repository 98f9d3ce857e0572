"""A write that finds the ledger busy with another write gets a 503 to retry, never a 500."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import OperationalError

from esgledger.ledger.database import is_busy
from tests.api.test_observations import form


def test_a_save_while_another_writer_holds_the_ledger_is_a_503_with_retry_after(api):
    database = api.app.state.database.url.database
    holder = sqlite3.connect(database, timeout=0.1)
    holder.execute("BEGIN IMMEDIATE")  # a long import holds the write lock like this
    try:
        response = api.client("smelt").post("/api/v1/observations", json=form(None, "5000"))
    finally:
        holder.rollback()
        holder.close()
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] == "5"
    body = response.json()
    assert (
        body["error"]["code"] == "ledger_busy" and "nothing was written" in body["error"]["message"]
    )
    assert api.revision("SMELT", "2024", "production.reo_output") is None
    again = api.client("smelt").post("/api/v1/observations", json=form(None, "5000"))
    assert again.status_code == 200, again.text


def test_only_lock_waits_count_as_busy():
    locked = OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
    broken = OperationalError("INSERT", {}, sqlite3.OperationalError("no such table: revisions"))
    assert is_busy(locked) and not is_busy(broken)
