"""A hazard from finding to closure, and the steps refused on the way (nothing changed)."""

from __future__ import annotations

from datetime import date

import pytest

from esgledger.errors import EsgError
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.files import read_file
from esgledger.ledger.reads.records import current_record, record_history
from esgledger.ledger.verify import verify_ledger
from esgledger.safety import hazards
from esgledger.safety.models import HAZARDS
from esgledger.safety.register import Entry
from tests.safety.helpers import (
    AUDITOR,
    INSPECTOR,
    MANAGER,
    SMELT_REPORTER,
    hazard_fields,
    png_bytes,
)

LIMIT = 5_000_000


def found(ledger, key="H-2024-0001", principal=INSPECTOR, **changes):
    with unit_of_work(ledger) as session:
        hazards.record_hazards(
            session, principal, [Entry(key, "SMELT", hazard_fields(**changes), 0)]
        )


def rectify(ledger, tmp_path, key="H-2024-0001", photos=None, principal=SMELT_REPORTER):
    with unit_of_work(ledger) as session:
        return hazards.rectify(
            session,
            principal,
            key,
            note="rail fitted",
            on=date(2024, 6, 8),
            photos=photos if photos is not None else [("after.png", png_bytes())],
            files_root=tmp_path / "files",
            max_bytes=LIMIT,
        )


def test_a_hazard_goes_from_finding_to_closure_with_its_photo(ledger, tmp_path):
    found(ledger)
    rectified = rectify(ledger, tmp_path)
    with unit_of_work(ledger) as session:
        hazards.verify(session, INSPECTOR, "H-2024-0001", on=date(2024, 6, 9))
        closed = hazards.close(session, INSPECTOR, "H-2024-0001", on=date(2024, 6, 9))
    assert closed.payload["status"] == "closed"
    with unit_of_work(ledger) as session:
        steps = [v.payload["status"] for v in record_history(session, HAZARDS, "H-2024-0001")]
        info, data = read_file(session, tmp_path / "files", rectified.payload["photos"][0])
        assert verify_ledger(session).ok
    assert steps == ["open", "rectified", "verified", "closed"]
    assert (info.media_type, data) == ("image/png", png_bytes())


def assert_unchanged(ledger, version=1, status="open"):
    with unit_of_work(ledger) as session:
        record = current_record(session, HAZARDS, "H-2024-0001")
    assert (record.version, record.payload["status"]) == (version, status)


def test_closing_without_verification_is_refused_and_changes_nothing(ledger, tmp_path):
    found(ledger)
    rectify(ledger, tmp_path)
    with pytest.raises(EsgError) as raised, unit_of_work(ledger) as session:
        hazards.close(session, INSPECTOR, "H-2024-0001", on=date(2024, 6, 9))
    assert raised.value.code == "safety_mgmt.close_unverified"
    assert "验收" in raised.value.render("zh") and "verified" in raised.value.render("en")
    assert_unchanged(ledger, version=2, status="rectified")


def test_a_hazard_imported_as_closed_without_verification_is_refused(ledger):
    with pytest.raises(EsgError) as raised:
        found(
            ledger,
            status="closed",
            rectified_on="2024-06-08",
            rectified_by="x",
            closed_on="2024-06-09",
        )
    assert raised.value.code == "safety_mgmt.close_unverified"
    with unit_of_work(ledger) as session:
        assert current_record(session, HAZARDS, "H-2024-0001") is None


def test_a_photo_that_is_not_an_image_is_refused_and_nothing_is_stored(ledger, tmp_path):
    found(ledger)
    with pytest.raises(EsgError) as raised:
        rectify(ledger, tmp_path, photos=[("after.png", b"%PDF-1.4 not a photo at all")])
    assert raised.value.code == "files.wrong_type"
    assert_unchanged(ledger)
    assert not (tmp_path / "files").exists() or not any((tmp_path / "files").rglob("*"))


def test_a_rectification_needs_a_photo(ledger, tmp_path):
    found(ledger)
    with pytest.raises(EsgError) as raised:
        rectify(ledger, tmp_path, photos=[])
    assert raised.value.code == "safety_mgmt.photo_needed"
    assert_unchanged(ledger)


def test_the_rectifier_cannot_verify_their_own_work(ledger, tmp_path):
    found(ledger)
    rectify(ledger, tmp_path, principal=MANAGER)
    with pytest.raises(EsgError) as raised, unit_of_work(ledger) as session:
        hazards.verify(session, MANAGER, "H-2024-0001", on=date(2024, 6, 9))
    assert raised.value.code == "safety_mgmt.self_verification"
    assert_unchanged(ledger, version=2, status="rectified")


def test_a_reporter_writes_only_its_own_sites_and_an_auditor_not_at_all(ledger):
    for principal in (AUDITOR,):
        with pytest.raises(EsgError) as raised:
            found(ledger, principal=principal)
        assert raised.value.code == "safety_mgmt.not_allowed"
    with pytest.raises(EsgError), unit_of_work(ledger) as session:
        entry = Entry("H-9", "METAL", hazard_fields(), 0)
        hazards.record_hazards(session, SMELT_REPORTER, [entry])
    found(ledger, principal=SMELT_REPORTER)
    assert_unchanged(ledger)


def test_a_hazard_past_its_deadline_is_listed_as_overdue(ledger):
    found(ledger, key="H-late", deadline="2024-06-10")
    found(ledger, key="H-in-time", deadline="2024-07-30")
    with unit_of_work(ledger) as session:
        records = [current_record(session, HAZARDS, k) for k in ("H-late", "H-in-time")]
    assert [h.key for h in hazards.overdue_hazards(records, date(2024, 7, 1))] == ["H-late"]
    assert hazards.overdue_hazards(records, date(2024, 6, 10)) == []
