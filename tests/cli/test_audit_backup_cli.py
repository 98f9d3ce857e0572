"""`esgledger audit verify/checkpoint`, `backup` and `restore` as a user meets them."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pytest
from tests.cli.test_cli import db  # noqa: F401 (the fixture: an initialised SQLite ledger)

from esgledger.cli.audit_cmd import AuditChainBroken
from esgledger.cli.backup_cmd import restore
from esgledger.cli.main import main
from esgledger.reporting_time import to_reporting_time


def fill(db_url, tmp_path):
    data = tmp_path / "data.csv"
    data.write_text(
        "entity,period,indicator,value,unit,comment\nSMELT,2024,production.reo_output,5000,tREO,\n",
        encoding="utf-8",
    )
    assert main(["import", str(data), "--db", db_url, "--submit"]) == 0
    assert main(["approve", "--db", db_url]) == 0
    return db_url.removeprefix("sqlite:///")


def test_an_edited_value_fails_verify_and_names_the_revision(db, tmp_path, capsys):  # noqa: F811
    path = fill(db, tmp_path)
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE revisions SET canonical_value = 1 WHERE id = 2")
    assert main(["audit", "verify", "--db", db]) == 1
    err = capsys.readouterr().err
    assert "revisions 2: edited data row" in err and "SMELT 2024" in err


def test_an_edited_value_fails_verify_in_chinese(db, tmp_path, capsys):  # noqa: F811
    path = fill(db, tmp_path)
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE revisions SET canonical_value = 1 WHERE id = 2")
    assert main(["--lang", "zh", "audit", "verify", "--db", db]) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误：台账校验未通过。第一处断点：revisions 2: edited data row")
    assert "数据库在 esgledger 之外被改动过：请恢复备份（`esgledger restore`）" in err


def test_a_restored_ledger_that_does_not_verify_is_reported_in_chinese(db, tmp_path, capsys):  # noqa: F811
    path = fill(db, tmp_path)
    with sqlite3.connect(path) as raw:  # edited before the backup: the archive holds it
        raw.execute("UPDATE revisions SET canonical_value = 1 WHERE id = 2")
    archive = tmp_path / "ledger.zip"
    assert main(["backup", "--out", str(archive), "--db", db]) == 0
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    with pytest.raises(AuditChainBroken) as broken:
        restore(archive, db=target)
    assert broken.value.code == "command.audit.restored_broken"
    chinese = broken.value.render("zh")
    assert chinese.startswith("已恢复，但台账校验未通过。第一处断点：revisions 2: edited data row")
    assert "\n" in chinese and "条审计记录和" in chinese
    assert main(["--lang", "zh", "restore", str(archive), "--db", target, "--replace"]) == 1
    assert capsys.readouterr().err.startswith("错误：已恢复，但台账校验未通过。")


def test_a_checkpoint_file_catches_a_cut_off_tail(db, tmp_path, capsys):  # noqa: F811
    path = fill(db, tmp_path)
    kept = tmp_path / "head.json"
    assert main(["audit", "checkpoint", "--out", str(kept), "--db", db]) == 0
    assert main(["audit", "verify", "--checkpoint", str(kept), "--db", db]) == 0
    with sqlite3.connect(path) as raw:  # the newest entry and the rows it sealed
        raw.execute("DELETE FROM revisions WHERE id = 2")
        raw.execute("DELETE FROM changesets WHERE id = 2")
        raw.execute("DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)")
        # and the current value derived from them, else `audit verify` names it
        raw.execute("UPDATE current_values SET revision_id = 1, status = 'submitted'")
    assert main(["audit", "verify", "--db", db]) == 0  # invisible without the checkpoint
    assert main(["audit", "verify", "--checkpoint", str(kept), "--db", db]) == 1
    assert "truncated tail" in capsys.readouterr().err


def test_a_signed_checkpoint_is_checked_with_the_key(db, tmp_path, capsys, monkeypatch):  # noqa: F811
    fill(db, tmp_path)
    kept = tmp_path / "head.json"
    monkeypatch.setenv("ESGLEDGER_AUDIT_KEY", "vault")
    assert main(["audit", "checkpoint", "--out", str(kept), "--db", db]) == 0
    assert main(["audit", "verify", "--checkpoint", str(kept), "--db", db]) == 0
    monkeypatch.setenv("ESGLEDGER_AUDIT_KEY", "another")
    assert main(["audit", "verify", "--checkpoint", str(kept), "--db", db]) == 1
    assert "forged checkpoint" in capsys.readouterr().err


def test_backup_and_restore_from_the_command_line(db, tmp_path, capsys):  # noqa: F811
    fill(db, tmp_path)
    archive = tmp_path / "ledger.zip"
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    assert main(["backup", "--out", str(archive), "--db", db]) == 0
    assert main(["restore", str(archive), "--db", target]) == 0
    # the console wraps at the terminal's width, and where depends on the temp path's length
    assert "audit log intact" in " ".join(capsys.readouterr().out.split())
    assert main(["restore", str(archive), "--db", target]) == 1
    assert "not empty" in capsys.readouterr().err
    assert main(["restore", str(archive), "--db", target, "--replace"]) == 0
    assert main(["audit", "verify", "--db", target]) == 0


def test_a_file_that_is_not_a_backup_is_refused_clearly(db, tmp_path, capsys):  # noqa: F811
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello", encoding="utf-8")
    assert main(["restore", str(bogus), "--db", f"sqlite:///{tmp_path / 'x.db'}"]) == 1
    assert "is not an esgledger backup" in capsys.readouterr().err


def test_the_audit_log_shows_times_in_the_reporting_time_zone(db, tmp_path, capsys, monkeypatch):  # noqa: F811
    path = fill(db, tmp_path)
    with sqlite3.connect(path) as raw:
        (stored,) = raw.execute("SELECT at FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    moment = datetime.fromisoformat(stored)
    for zone in ("Asia/Shanghai", "UTC"):
        monkeypatch.setenv("ESGLEDGER_TIMEZONE", zone)
        capsys.readouterr()
        assert main(["audit", "log", "--limit", "1", "--db", db]) == 0
        shown = to_reporting_time(moment, zone).strftime("%Y-%m-%d %H:%M:%S")
        assert shown in capsys.readouterr().out.replace("\n", " ")
