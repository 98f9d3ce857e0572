"""Management registers: append-only records sealed by the audit log, and evidence files."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import text

from esgledger.errors import ErrorKind, EsgError
from esgledger.ledger import files
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.reads.records import (
    current_record,
    current_records,
    record_history,
    records_frame,
)
from esgledger.ledger.records import RecordChange, RecordConflict, append_record, append_records
from esgledger.ledger.verify import EDITED_ROW, verify_ledger

HAZARDS = "safety.hazards"


def write(database, *changes, actor="li.wei", reason=None):
    with unit_of_work(database) as session:
        return append_records(
            session, HAZARDS, changes, actor=actor, action="hazard.record", reason=reason
        )


def test_a_change_appends_a_version_and_keeps_the_old_one(database):
    write(database, RecordChange("H-1", {"grade": "general", "found": 3}, entity="SMELT"))
    write(
        database,
        RecordChange("H-1", {"grade": "major", "found": 3}, entity="SMELT", expected_version=1),
        reason="regraded after inspection",
    )
    with unit_of_work(database) as session:
        now = current_record(session, HAZARDS, "H-1")
        history = record_history(session, HAZARDS, "H-1")
    assert (now.version, now.payload["grade"], now.reason) == (
        2,
        "major",
        "regraded after inspection",
    )
    assert [v.payload["grade"] for v in history] == ["general", "major"]


def test_a_stale_edit_is_refused_and_changes_nothing(database):
    write(database, RecordChange("H-1", {"grade": "general"}))
    write(database, RecordChange("H-1", {"grade": "major"}, expected_version=1))
    with pytest.raises(RecordConflict) as raised:
        write(database, RecordChange("H-1", {"grade": "closed"}, expected_version=1))
    assert raised.value.kind is ErrorKind.USER
    assert "version 2, not 1" in raised.value.message
    with unit_of_work(database) as session:
        assert current_record(session, HAZARDS, "H-1").payload == {"grade": "major"}


def test_a_new_record_under_a_taken_key_is_refused(database):
    write(database, RecordChange("H-1", {"grade": "general"}))
    with pytest.raises(RecordConflict, match="already holds a record 'H-1'"):
        write(database, RecordChange("H-1", {"grade": "other"}, expected_version=0))


def test_retired_records_leave_the_current_list_but_keep_their_history(database):
    write(
        database,
        RecordChange("H-1", {"n": 1}, entity="SMELT"),
        RecordChange("H-2", {"n": 2}, entity="MINE"),
    )
    write(database, RecordChange("H-2", {"n": 2}, entity="MINE", retire=True))
    with unit_of_work(database) as session:
        assert [r.key for r in current_records(session, HAZARDS)] == ["H-1"]
        assert [r.key for r in current_records(session, HAZARDS, include_retired=True)] == [
            "H-1",
            "H-2",
        ]
        assert [r.key for r in current_records(session, HAZARDS, entities=["MINE"])] == []
        assert len(record_history(session, HAZARDS, "H-2")) == 2


def test_a_register_reads_as_a_frame_for_column_arithmetic(database):
    write(
        database,
        RecordChange("H-1", {"found": 3, "closed": 2}, entity="SMELT"),
        RecordChange("H-2", {"found": 5, "closed": 5}, entity="MINE"),
    )
    with unit_of_work(database) as session:
        frame = records_frame(current_records(session, HAZARDS), ["found", "closed"])
    assert frame["closed"].sum() / frame["found"].sum() == pytest.approx(7 / 8)


def test_editing_a_stored_record_is_caught_by_audit_verify(database):
    write(database, RecordChange("H-1", {"grade": "general"}))
    with unit_of_work(database) as session:
        assert verify_ledger(session).ok
    with database.begin() as connection:
        connection.execute(text('UPDATE register_records SET payload = \'{"grade":"none"}\''))
    with unit_of_work(database) as session:
        found = verify_ledger(session)
    assert not found.ok
    assert (found.breaks[0].kind, found.breaks[0].table) == (EDITED_ROW, "register_records")


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return out.getvalue()


def test_a_file_is_kept_once_under_its_hash_and_read_back(database, tmp_path):
    data = png_bytes()
    with unit_of_work(database) as session:
        first = files.store_file(
            session, tmp_path / "files", data, name="a.png", actor="li", max_bytes=1000
        )
        again = files.store_file(
            session, tmp_path / "files", data, name="b.png", actor="li", max_bytes=1000
        )
    assert first == again and first.media_type == "image/png"
    with unit_of_work(database) as session:
        info, read = files.read_file(session, tmp_path / "files", first.sha256)
    assert read == data and info.name == "a.png"


def test_a_file_is_judged_by_its_content_not_its_name(database, tmp_path):
    with unit_of_work(database) as session, pytest.raises(files.FileRefused) as raised:
        files.store_file(
            session,
            tmp_path / "files",
            b"MZ\x90\x00 not a photo",
            name="photo.jpg",
            actor="li",
            max_bytes=1000,
        )
    assert raised.value.code == "files.wrong_type"
    assert not (tmp_path / "files").exists()


def test_a_file_over_the_limit_is_refused(database, tmp_path):
    with (
        unit_of_work(database) as session,
        pytest.raises(files.FileRefused, match="over the limit"),
    ):
        files.store_file(
            session, tmp_path / "files", png_bytes(), name="a.png", actor="li", max_bytes=10
        )


def test_a_file_changed_on_disk_is_reported_not_served(database, tmp_path):
    with unit_of_work(database) as session:
        info = files.store_file(
            session, tmp_path / "files", png_bytes(), name="a.png", actor="li", max_bytes=1000
        )
    files.file_path(tmp_path / "files", info.sha256).write_bytes(b"\x89PNG tampered")
    with unit_of_work(database) as session, pytest.raises(EsgError, match="changed on disk"):
        files.read_file(session, tmp_path / "files", info.sha256)


def test_single_change_helper_appends_one_version(database):
    with unit_of_work(database) as session:
        row = append_record(
            session, HAZARDS, RecordChange("H-9", {"x": 1}), actor="a", action="hazard.record"
        )
    assert row.version == 1
