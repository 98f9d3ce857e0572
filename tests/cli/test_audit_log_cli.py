"""`esgledger audit log`: the same filters as the API and the web page, and a CSV export."""

from __future__ import annotations

import csv

from tests.cli.test_audit_backup_cli import fill
from tests.cli.test_cli import db  # noqa: F401 (the fixture: an initialised SQLite ledger)

from esgledger.cli.main import main
from esgledger.ledger.database import utcnow


def _log(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["audit", "log", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_log_filters_by_entity_and_action(db, tmp_path, capsys):  # noqa: F811
    fill(db, tmp_path)
    code, out, _ = _log(capsys, "--db", db, "--entity", "SMELT")
    assert code == 0 and "2 of 2 matching entries" in out
    assert "import" in out and "approved" in out and "org.load" not in out
    code, out, _ = _log(capsys, "--db", db, "--action", "import", "--limit", "1")
    assert code == 0 and "1 of 1 matching entries" in out


def test_a_day_range_in_the_future_matches_nothing(db, capsys):  # noqa: F811
    year = utcnow().year + 1
    code, out, _ = _log(capsys, "--db", db, "--from", f"{year}-01-01")
    assert code == 0 and "0 of 0 matching entries" in out


def test_a_reversed_day_range_is_a_user_error(db, capsys):  # noqa: F811
    code, _, err = _log(capsys, "--db", db, "--from", "2024-05-02", "--to", "2024-05-01")
    assert code == 1 and "give the earlier day first" in err and "Traceback" not in err


def test_csv_exports_every_matching_entry(db, tmp_path, capsys):  # noqa: F811
    fill(db, tmp_path)
    out = tmp_path / "audit.csv"
    code, printed, _ = _log(capsys, "--db", db, "--entity", "SMELT", "--csv", str(out))
    assert code == 0 and str(out) in printed
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["action"] for row in rows] == ["approved", "import"]
