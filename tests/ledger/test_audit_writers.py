"""Two writers appending to the audit log at once both land, one after the other.

A writer reads the last entry, then inserts the next one chained onto it. If another
writer commits its entry in between, both claim the same id: the second insert fails
(the web server's worker thread and a request once did exactly that). The test makes
that interleaving happen: when the first writer is about to insert, a second writer
starts in another thread and is given a second to commit before the first goes on.
"""

from __future__ import annotations

import threading

from sqlalchemy import event

from esgledger.ledger import audit
from esgledger.ledger.database import unit_of_work


def _second_writer(ledger, errors: list[BaseException]) -> None:
    try:
        with unit_of_work(ledger) as session:
            audit.record(session, "worker", "job.finish", {})
    except BaseException as exc:  # reported by the test, which runs in another thread
        errors.append(exc)


def test_a_writer_committing_between_read_and_insert_waits_its_turn(ledger):
    errors: list[BaseException] = []
    second = threading.Thread(target=_second_writer, args=(ledger, errors))
    first_thread = threading.get_ident()

    def start_second_writer(_conn, _cursor, statement, *_args) -> None:
        inserting = statement.startswith("INSERT INTO audit_log")
        if threading.get_ident() == first_thread and inserting and second.ident is None:
            second.start()
            second.join(timeout=1.0)  # long enough to commit, were nothing in its way

    event.listen(ledger, "before_cursor_execute", start_second_writer)
    try:
        with unit_of_work(ledger) as session:
            audit.record(session, "request", "campaign.open", {})
    finally:
        event.remove(ledger, "before_cursor_execute", start_second_writer)
    second.join(timeout=30)

    assert errors == []
    with unit_of_work(ledger) as session:
        chain = audit.verify_chain(session)
    assert chain.ok and chain.entries >= 2
