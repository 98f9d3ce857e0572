"""A report shows its register sections as they stood when it was built: `report verify`
still matches after the registers move on, and a new build shows the change."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.climate_risks.items import item
from tests.report.conftest import make_small_ledger

from esgledger.climate_risks.service import save_item
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.reads.records import current_records, reading_as_of
from esgledger.report import ReportRequest, build_report, verify_report

HTML = "esg-report-2024-en.html"
TITLE = "Carbon market expansion"


def _risk(database, catalog, key: str, title: str) -> None:
    fields = item(key=key, title_en=title, targets=[])
    with unit_of_work(database) as session:
        save_item(session, catalog, None, fields, actor="ann", scope=None, expected_version=0)


def _build(database, catalog, out: Path) -> Path:
    build_report(database, catalog, ReportRequest(2024), out, langs=["en"], formats=["html"])
    return out / HTML


@pytest.fixture
def ledger(tmp_path: Path, catalog):
    database = make_small_ledger(tmp_path, catalog)
    _risk(database, catalog, "CR-01", TITLE)
    yield database
    database.dispose()


def test_a_risk_added_after_the_build_leaves_the_report_verifiable(ledger, catalog, tmp_path):
    report = _build(ledger, catalog, tmp_path / "first")
    assert TITLE in report.read_text(encoding="utf-8")
    _risk(ledger, catalog, "CR-02", "Extreme heat at the smelter")
    result = verify_report(ledger, catalog, report)
    assert result.ok, result.differences


def test_a_new_build_shows_the_register_as_it_is_now(ledger, catalog, tmp_path):
    _build(ledger, catalog, tmp_path / "first")
    _risk(ledger, catalog, "CR-02", "Extreme heat at the smelter")
    again = _build(ledger, catalog, tmp_path / "second").read_text(encoding="utf-8")
    assert "Extreme heat at the smelter" in again and TITLE in again


def test_the_cover_names_the_moment_the_registers_were_read(ledger, catalog, tmp_path):
    html = _build(ledger, catalog, tmp_path / "first").read_text(encoding="utf-8")
    assert "Management registers as recorded at" in html


def test_register_reads_see_only_versions_recorded_by_the_moment(ledger, catalog):
    with unit_of_work(ledger) as session:
        before = current_records(session, "climate.risks")[0].recorded_at
    _risk(ledger, catalog, "CR-02", "Extreme heat at the smelter")
    with unit_of_work(ledger) as session:
        with reading_as_of(session, before):
            assert [r.key for r in current_records(session, "climate.risks")] == ["CR-01"]
        assert len(current_records(session, "climate.risks")) == 2
