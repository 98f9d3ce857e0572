"""A report on a small ledger: index status from data, restatements, verify, reproducibility."""

from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from tests.report.conftest import RESTATED_REASON

from esgledger.engine.consolidate import GROUP
from esgledger.errors import EsgError
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.schema import Snapshot
from esgledger.report import ReportRequest, build_report, load_config, verify_report
from esgledger.report.annex import CHUNK, PAYLOAD_SHEET, annex_bytes
from esgledger.report.config import Strings
from esgledger.report.index import SECTION
from esgledger.report.payload import numbers_only
from esgledger.report.prepare import prepare
from esgledger.report.verify import payload_of
from esgledger.reporting_time import shown_time


@pytest.fixture
def facts(small_ledger, catalog):
    with unit_of_work(small_ledger) as session:
        return prepare(session, catalog, ReportRequest(2024), load_config())


def _build(database, catalog, out: Path, **options):
    options.setdefault("langs", ["en"])
    options.setdefault("formats", ["html", "xlsx"])
    return build_report(database, catalog, ReportRequest(2024, snapshot_id=1), out, **options)


def _index_row(html: str, code: str) -> str:
    match = re.search(rf'<td class="code">{re.escape(code)}</td>(.*?)</tr>', html, re.S)
    assert match, f"no index row {code}"
    return match.group(1)


def test_an_index_item_is_disclosed_exactly_when_one_of_its_indicators_has_a_value(
    facts, small_ledger, catalog
):
    with unit_of_work(small_ledger) as session:
        from esgledger.calc.service import run_calculation
        from esgledger.engine.methodset import get_method_sets

        run = run_calculation(
            session,
            catalog,
            get_method_sets("cn-default"),
            author="t",
            snapshot_id=facts.snapshot_id,
            years=[2023, 2024],
        )
    results = run.results[0]
    for framework, items in facts.index.items():
        for item in items:
            if any(place.startswith(SECTION) for place in item.places):
                continue  # answered by a section of the report itself (GRI 2-3)
            # each indicator at its own target: the group, or the one a scoped one exists for
            has_value = any(
                ind.home_boundary in results.boundaries.grid.entities
                and not math.isnan(results.value(ind.id, ind.home_boundary, "2024"))
                for ind in catalog.indicators_for(framework, item.code)
            )
            assert bool(item.places) == has_value, (framework, item.code)


def test_the_index_prints_the_section_or_a_slash(small_ledger, catalog, tmp_path):
    _build(small_ledger, catalog, tmp_path, formats=["html"])
    html = (tmp_path / "esg-report-2024-en.html").read_text(encoding="utf-8")
    # energy reported for 2024: disclosed in the energy table
    assert "3.2 Energy" in _index_row(html, "302-1")
    assert "E.1.3.4" in html and "3.2 Energy" in _index_row(html, "E.1.3.4")
    # water reported for 2023 only, nothing for 2024: not disclosed
    assert '<td class="missing">/</td>' in _index_row(html, "303-3")
    assert '<td class="missing">/</td>' in _index_row(html, "E.1.1.1")
    # never reported at all
    assert '<td class="missing">/</td>' in _index_row(html, "403-9")
    # no materiality assessment recorded: GRI 3-1 is not claimed by the empty section
    assert '<td class="missing">/</td>' in _index_row(html, "3-1")
    # the report answers it itself: the reporting period is in "About this report"
    assert "1 About this Report" in _index_row(html, "2-3")


def test_a_restated_value_and_the_values_computed_from_it_are_flagged(facts):
    energy = facts.table("energy")
    rows = {row.indicator: row for row in energy.data_rows() if row.boundary == GROUP}
    electricity = rows["energy.purchased_electricity"]
    restated = [c for c in electricity.cells if c.restated]
    assert [c.year for c in restated] == ["2023"]
    assert restated[0].value == pytest.approx(1050.0)  # 450 restated + 600
    assert any(n.kind == "restated" and RESTATED_REASON in n.reason for n in electricity.notes)
    total = rows["energy.total"]
    assert [c.year for c in total.cells if c.restated] == ["2023"]
    assert {n.kind for n in total.notes} == {"restated_input"}
    gas = rows["energy.natural_gas"]
    assert not any(c.restated for c in gas.cells)


def test_the_restatement_is_explained_under_its_table(small_ledger, catalog, tmp_path):
    _build(small_ledger, catalog, tmp_path, langs=["en", "zh"], formats=["html"])
    for lang in ("en", "zh"):
        html = (tmp_path / f"esg-report-2024-{lang}.html").read_text(encoding="utf-8")
        assert RESTATED_REASON in html
        assert '<span class="mk">R</span>' in html


def test_two_builds_of_one_snapshot_print_identical_numbers(small_ledger, catalog, tmp_path):
    _build(small_ledger, catalog, tmp_path / "a")
    _build(small_ledger, catalog, tmp_path / "b")
    first = payload_of(tmp_path / "a" / "esg-report-2024-en.html")
    second = payload_of(tmp_path / "b" / "esg-report-2024-en.html")
    assert numbers_only(first) == numbers_only(second)
    assert first["values"] == second["values"]


def test_verify_passes_on_untouched_reports(small_ledger, catalog, tmp_path):
    _build(small_ledger, catalog, tmp_path)
    for name in ("esg-report-2024-en.html", "esg-report-2024-en.xlsx"):
        result = verify_report(small_ledger, catalog, tmp_path / name)
        assert result.ok, result.differences
        assert result.checked > 10


def test_verify_finds_an_edited_number_on_the_page(small_ledger, catalog, tmp_path):
    _build(small_ledger, catalog, tmp_path, formats=["html"])
    path = tmp_path / "esg-report-2024-en.html"
    html = path.read_text(encoding="utf-8")
    key = 'data-key="energy.purchased_electricity|group|2024">1,200<'
    assert key in html
    path.write_text(html.replace(key, key.replace("1,200", "1,100")), encoding="utf-8")
    result = verify_report(small_ledger, catalog, path)
    assert not result.ok
    assert any("energy.purchased_electricity|group|2024" in d for d in result.differences)


def test_verify_finds_an_edited_value_in_the_data_block(small_ledger, catalog, tmp_path):
    _build(small_ledger, catalog, tmp_path, formats=["html"])
    path = tmp_path / "esg-report-2024-en.html"
    html = path.read_text(encoding="utf-8")
    start = html.index('id="esgledger-report-data">') + len('id="esgledger-report-data">')
    end = html.index("</script>", start)
    payload = json.loads(html[start:end])
    entry = next(v for v in payload["values"] if v["key"] == "energy.natural_gas|group|2024")
    entry["value"], entry["text"] = 13000.0, "13,000"
    path.write_text(html[:start] + json.dumps(payload) + html[end:], encoding="utf-8")
    result = verify_report(small_ledger, catalog, path)
    assert any("energy.natural_gas|group|2024: report 13000.0" in d for d in result.differences)


def test_verify_finds_an_edited_cell_of_the_annex(small_ledger, catalog, tmp_path):
    _build(small_ledger, catalog, tmp_path, formats=["xlsx"])
    path = tmp_path / "esg-report-2024-en.xlsx"
    book = load_workbook(path)
    sheet = book.worksheets[1]
    row = next(
        r
        for r in sheet.iter_rows(min_row=2)
        if r[1].value == "energy.natural_gas" and r[4].value == 2024
    )
    row[5].value = 1.0
    book.save(path)
    result = verify_report(small_ledger, catalog, path)
    assert not result.ok
    assert any("the workbook holds 1.0" in d for d in result.differences)


def test_the_annex_lists_every_value_with_unit_and_lineage(facts, small_ledger, catalog, tmp_path):
    _build(small_ledger, catalog, tmp_path, formats=["xlsx"])
    book = load_workbook(tmp_path / "esg-report-2024-en.xlsx")
    assert book["_esgledger"].sheet_state == "hidden"
    rows = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(facts.annex)
    by_key = {(r[1], r[3], r[4]): r for r in rows}
    gas = by_key[("energy.natural_gas", "group", 2024)]
    assert gas[5] == 12000 and gas[6] == "Nm3" and re.fullmatch(r"r\d+", gas[9])
    total = by_key[("energy.total", "group", 2024)]
    assert total[9].startswith("L") and len(total[9]) == 17
    assert all(r[9] for r in rows), "every value has a lineage id"


def test_the_annex_writes_text_that_looks_like_a_formula_as_text(facts, catalog):
    """A company name is the user's; the payload is cut into cells where it happens to be."""
    facts.company = {"en": '=HYPERLINK("http://x.test","y")'}
    payload = {"k": "a" * (CHUNK - len('{"k": "')) + "=1+1"}
    book = load_workbook(io.BytesIO(annex_bytes(facts, Strings("en"), catalog, payload)))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert book.worksheets[0]["A1"].value == facts.company["en"]
    assert book[PAYLOAD_SHEET]["A2"].value == '=1+1"}'
    assert any(c.data_type == "n" for c in cells), "numbers are still numbers"


def test_a_year_outside_the_calendar_is_refused_with_a_message(small_ledger, catalog, tmp_path):
    with pytest.raises(EsgError, match="2030 is not a reporting year"):
        build_report(small_ledger, catalog, ReportRequest(2030), tmp_path)


def test_the_cover_dates_the_snapshot_in_the_reporting_time_zone(small_ledger, catalog):
    with unit_of_work(small_ledger) as session:
        as_of = session.get(Snapshot, 1).as_of
        for zone in ("Asia/Shanghai", "America/New_York"):
            request = ReportRequest(2024, snapshot_id=1, timezone=zone)
            facts = prepare(session, catalog, request, load_config())
            assert facts.snapshot_as_of == shown_time(as_of, zone)


def test_the_index_says_where_its_item_titles_are_not_the_frameworks_own_wording(
    small_ledger, catalog, tmp_path
):
    """The SASAC system's official Chinese wording could not be checked: the report says so
    under that index rather than presenting its titles as SASAC's."""
    _build(small_ledger, catalog, tmp_path, formats=["html"], langs=["zh", "en"])
    for lang in ("zh", "en"):
        html = (tmp_path / f"esg-report-2024-{lang}.html").read_text(encoding="utf-8")
        sasac = html.split('id="ix-sasac"')[1].split("</table>")[0]
        note = Strings(lang)("index.titles.sasac")
        assert f'<p class="note">{note}</p>' in sasac
        gri = html.split('id="ix-gri"')[1].split("</table>")[0]
        assert '<p class="note">' not in gri, "GRI titles carry no such note"
