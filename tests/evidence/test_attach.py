"""Evidence attached to values and imports: checked by content, linked, detached, read back."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from esgledger.catalog import load_catalog
from esgledger.errors import EsgError, NotFoundError
from esgledger.evidence import attach as attaching
from esgledger.evidence.attach import (
    attach_to_import,
    attach_to_value,
    detach,
    open_evidence,
)
from esgledger.evidence.links import REGISTER, evidence_for, evidence_for_import
from esgledger.evidence.types import EvidenceRefused, allowed_types
from esgledger.ledger.blobs import FolderBlobs
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.imports.apply import import_file
from esgledger.ledger.reads.records import record_history
from esgledger.ledger.schema import AuditEntry, RecordVersion, StoredFile
from tests.evidence.helpers import (
    AUDITOR,
    EXE,
    MANAGER,
    REO,
    SMELT_REPORTER,
    pdf_bytes,
    png_bytes,
    upload,
    xlsx_bytes,
    zip_bytes,
)


@pytest.fixture
def valued(ledger, write_csv):
    """SMELT and METAL with a 2024 REO output, imported by one file (changeset 1)."""
    rows = [("SMELT", "2024", REO, "120", "tREO", ""), ("METAL", "2024", REO, "80", "tREO", "")]
    with unit_of_work(ledger) as session:
        import_file(session, write_csv("reo.csv", rows), "wang.smelt", load_catalog())
    return ledger


@pytest.fixture
def store(tmp_path):
    return FolderBlobs(tmp_path / "files")


def attach_value(database, store, data, name="invoice.pdf", who=MANAGER, entity="SMELT"):
    with unit_of_work(database) as session:
        return attach_to_value(session, store, who, upload(data, name), entity=entity,
                               period="2024", indicator=REO)  # fmt: skip


@pytest.mark.parametrize(
    "data,name",
    [(pdf_bytes(), "invoice.pdf"), (png_bytes(), "meter.png"), (xlsx_bytes(), "meters.xlsx")],
)
def test_a_pdf_an_image_and_a_workbook_are_attached_to_a_value(valued, store, data, name):
    link = attach_value(valued, store, data, name)
    with unit_of_work(valued) as session:
        found = evidence_for(session, "SMELT", "2024", REO)
        _, info, read = open_evidence(session, store, AUDITOR, link.key)
    assert [(f.name, f.target, f.revision_id, f.size) for f in found] == [
        (name, "value", 1, len(data))
    ]
    assert read == data and info.sha256 == link.sha256


@pytest.mark.parametrize("data,found", [(zip_bytes(), "application/zip"), (EXE, "x-msdownload")])
def test_a_pdf_that_is_really_a_zip_or_a_program_is_refused_by_its_content(
    valued, store, data, found
):
    with pytest.raises(EvidenceRefused) as raised:
        attach_value(valued, store, data, "invoice.pdf")
    error = raised.value
    assert error.code == "evidence_file.wrong_type" and found in error.params["found"]
    for lang in ("en", "zh"):
        assert "invoice.pdf" in error.text(lang) and "PDF" in error.text(lang)
    assert "请上传" in error.text("zh")
    with unit_of_work(valued) as session:
        assert evidence_for(session, "SMELT", "2024", REO) == []
    assert not store.root.exists()  # refused before a byte was kept


def test_the_allowed_types_are_a_setting(valued, store):
    only_pdf = attaching.Upload("meter.png", png_bytes(), allowed_types(["pdf"]), 1 << 20)
    with unit_of_work(valued) as session, pytest.raises(EvidenceRefused) as raised:
        attach_to_value(session, store, MANAGER, only_pdf, entity="SMELT", period="2024",
                        indicator=REO)  # fmt: skip
    assert raised.value.params["found"] == "PNG" and raised.value.params["allowed"] == "PDF"
    with pytest.raises(EsgError, match="not a media type"):
        allowed_types(["pdf", "docx"])


def test_a_file_over_the_size_limit_is_refused_and_one_at_the_limit_is_kept(valued, store):
    data = pdf_bytes()
    with unit_of_work(valued) as session, pytest.raises(EvidenceRefused) as raised:
        attach_to_value(session, store, MANAGER, upload(data, max_bytes=len(data) - 1),
                        entity="SMELT", period="2024", indicator=REO)  # fmt: skip
    assert raised.value.code == "evidence_file.too_large"
    assert "invoice.pdf" in raised.value.text("zh") and "上限" in raised.value.text("zh")
    with unit_of_work(valued) as session:
        attach_to_value(session, store, MANAGER, upload(data, max_bytes=len(data)),
                        entity="SMELT", period="2024", indicator=REO)  # fmt: skip
        assert len(evidence_for(session, "SMELT", "2024", REO)) == 1


def test_an_empty_file_is_refused(valued, store):
    with pytest.raises(EvidenceRefused, match="empty"):
        attach_value(valued, store, b"", "scan.pdf")


def test_a_value_that_was_never_saved_takes_no_evidence(valued, store):
    with unit_of_work(valued) as session, pytest.raises(EsgError) as raised:
        attach_to_value(session, store, MANAGER, upload(pdf_bytes()), entity="SMELT",
                        period="2023", indicator=REO)  # fmt: skip
    assert raised.value.code == "evidence_file.no_value"


def test_a_reporter_attaches_only_to_its_own_entities_and_an_auditor_not_at_all(valued, store):
    attach_value(valued, store, pdf_bytes(), who=SMELT_REPORTER)
    for who, entity in ((SMELT_REPORTER, "METAL"), (AUDITOR, "SMELT")):
        with pytest.raises(EsgError) as raised:
            attach_value(valued, store, pdf_bytes("other"), who=who, entity=entity)
        assert raised.value.code == "evidence_file.not_allowed"
    with unit_of_work(valued) as session:
        assert len(evidence_for(session, "SMELT", "2024", REO)) == 1
        assert evidence_for(session, "METAL", "2024", REO) == []


def test_a_reporter_cannot_read_another_entitys_evidence_an_auditor_reads_all(valued, store):
    link = attach_value(valued, store, pdf_bytes(), entity="METAL")
    with unit_of_work(valued) as session:
        with pytest.raises(NotFoundError):
            open_evidence(session, store, SMELT_REPORTER, link.key)
        assert open_evidence(session, store, AUDITOR, link.key)[2] == pdf_bytes()


def test_detaching_retires_the_link_and_keeps_its_history_and_the_file(valued, store):
    link = attach_value(valued, store, pdf_bytes())
    with unit_of_work(valued) as session:
        detach(session, SMELT_REPORTER, link.key, "wrong invoice")
    with unit_of_work(valued) as session:
        assert evidence_for(session, "SMELT", "2024", REO) == []
        versions = record_history(session, REGISTER, link.key)
        with pytest.raises(NotFoundError):
            open_evidence(session, store, MANAGER, link.key)
        assert session.get(StoredFile, link.sha256) is not None
    assert [v.retired for v in versions] == [False, True]
    assert versions[-1].reason == "wrong invoice"
    assert store.path(link.sha256).read_bytes() == pdf_bytes()
    again = attach_value(valued, store, pdf_bytes())  # attached again: the record revives
    assert (again.key, again.version) == (link.key, 3)


def test_evidence_attached_to_an_import_shows_for_every_value_it_wrote(valued, store):
    with unit_of_work(valued) as session:
        attach_to_import(session, store, MANAGER, upload(xlsx_bytes(), "meters.xlsx"),
                         import_id=1)  # fmt: skip
    with unit_of_work(valued) as session:
        smelt = evidence_for(session, "SMELT", "2024", REO)
        metal = evidence_for(session, "METAL", "2024", REO)
        own = evidence_for(session, "SMELT", "2024", REO, include_imports=False)
        by_import = evidence_for_import(session, "1")
        for_smelt = evidence_for_import(session, "1", ["SMELT"])
    assert [(f.target, f.import_id, f.name) for f in smelt] == [("import", "1", "meters.xlsx")]
    assert [(f.entity, f.sha256) for f in metal] == [("METAL", smelt[0].sha256)] and own == []
    assert [f.name for f in by_import] == ["meters.xlsx"]
    assert [f.entity for f in for_smelt] == ["SMELT"]


def test_a_reporter_cannot_attach_to_an_import_that_wrote_other_entities(valued, store):
    with unit_of_work(valued) as session, pytest.raises(EsgError) as raised:
        attach_to_import(session, store, SMELT_REPORTER, upload(pdf_bytes()), import_id=1)
    assert raised.value.code == "evidence_file.not_allowed"
    with unit_of_work(valued) as session, pytest.raises(EsgError) as raised:
        attach_to_import(session, store, MANAGER, upload(pdf_bytes()), import_id=99)
    assert raised.value.code == "evidence_file.no_import"


def test_nothing_is_half_saved_when_the_link_cannot_be_written(valued, store, monkeypatch):
    """The file's row, its audit entry and the link commit together or not at all; the
    bytes already in the store stay as a harmless orphan (attach.py's docstring)."""

    def counts(session):
        return [session.scalar(select(func.count()).select_from(t))
                for t in (StoredFile, RecordVersion, AuditEntry)]  # fmt: skip

    with unit_of_work(valued) as session:
        before = counts(session)

    def broken(*args, **kwargs):
        raise EsgError("the database went away while writing the link")

    monkeypatch.setattr(attaching, "append_records", broken)
    with pytest.raises(EsgError, match="went away"):
        attach_value(valued, store, pdf_bytes())
    monkeypatch.undo()
    with unit_of_work(valued) as session:
        assert counts(session) == before
        assert evidence_for(session, "SMELT", "2024", REO) == []
    link = attach_value(valued, store, pdf_bytes())  # the orphan is reused, not duplicated
    assert store.path(link.sha256).read_bytes() == pdf_bytes()


def test_a_tampered_file_is_reported_not_served(valued, store):
    link = attach_value(valued, store, pdf_bytes())
    store.path(link.sha256).write_bytes(pdf_bytes("a different invoice"))
    with unit_of_work(valued) as session, pytest.raises(EsgError) as raised:
        open_evidence(session, store, AUDITOR, link.key)
    assert raised.value.code == "stored_file.changed"
    assert "invoice.pdf" in raised.value.text("en") and "备份" in raised.value.text("zh")
    store.path(link.sha256).unlink()
    with unit_of_work(valued) as session, pytest.raises(EsgError) as raised:
        open_evidence(session, store, AUDITOR, link.key)
    assert raised.value.code == "stored_file.missing"
