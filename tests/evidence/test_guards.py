"""Each guard of the evidence tests, broken on purpose, lets through what it stops.

A test that passes whatever the code does proves nothing. Here each guard is removed in
turn (the content check judged by name, the re-hash on read, the entity check, the single
transaction) and the same situation the guard's test sets up is shown to go wrong, so the
tests in test_attach.py and test_blobs.py would fail if the guard broke.
"""

from __future__ import annotations

import hashlib
import mimetypes

import pytest

from esgledger.evidence import attach as attaching
from esgledger.evidence.links import evidence_for
from esgledger.ledger import files
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.files import FileInfo
from tests.evidence.helpers import MANAGER, REO, SMELT_REPORTER, pdf_bytes, zip_bytes
from tests.evidence.test_attach import attach_value, store, valued  # noqa: F401


def test_judged_by_its_name_a_zip_called_invoice_pdf_would_be_kept(
    valued,  # noqa: F811
    store,  # noqa: F811
    monkeypatch,
):
    def by_name(data, name, *, allowed, max_bytes):
        return mimetypes.guess_type(name)[0]

    monkeypatch.setattr(attaching, "check_evidence", by_name)
    monkeypatch.setattr(files, "check_file", lambda data, name, **kw: by_name(data, name, **kw))
    link = attach_value(valued, store, zip_bytes(), "invoice.pdf")
    assert link.media_type == "application/pdf"  # a ZIP, recorded as a PDF


def test_without_the_rehash_a_tampered_file_would_be_served(
    valued,  # noqa: F811
    store,  # noqa: F811
    monkeypatch,
):
    link = attach_value(valued, store, pdf_bytes())
    store.path(link.sha256).write_bytes(b"%PDF-1.4 forged")

    def trusting(session, root, sha256):
        data = files.as_store(root).get(sha256)
        return FileInfo(sha256, len(data), "application/pdf", "invoice.pdf"), data

    monkeypatch.setattr(attaching, "read_file", trusting)
    with unit_of_work(valued) as session:
        served = attaching.open_evidence(session, store, MANAGER, link.key)[2]
    assert served == b"%PDF-1.4 forged" and hashlib.sha256(served).hexdigest() != link.sha256


def test_without_the_entity_check_a_reporter_would_attach_to_another_entity(
    valued,  # noqa: F811
    store,  # noqa: F811
    monkeypatch,
):
    monkeypatch.setattr(attaching, "check_may_attach", lambda principal, entity: None)
    attach_value(valued, store, pdf_bytes(), who=SMELT_REPORTER, entity="METAL")
    with unit_of_work(valued) as session:
        assert len(evidence_for(session, "METAL", "2024", REO)) == 1


def test_committing_the_file_before_the_link_would_leave_a_file_without_its_link(
    valued,  # noqa: F811
    store,  # noqa: F811
    monkeypatch,
):
    """What the single transaction prevents: a stored_files row nobody links to."""
    real_store = attaching._store

    def committing_store(session, *args):
        info = real_store(session, *args)
        session.commit()
        return info

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away while writing the link")

    monkeypatch.setattr(attaching, "_store", committing_store)
    monkeypatch.setattr(attaching, "append_records", broken)
    with pytest.raises(RuntimeError):
        attach_value(valued, store, pdf_bytes())
    with unit_of_work(valued) as session:
        kept = session.get(files.StoredFile, hashlib.sha256(pdf_bytes()).hexdigest())
        assert kept is not None and evidence_for(session, "SMELT", "2024", REO) == []
