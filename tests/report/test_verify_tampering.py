"""`report verify` finds every kind of edit to a report: one test per kind of tampering.

Each test edits its own copy of the small ledger's report (ledger and report are built
once for the module; verifying only reads the ledger): it changes one thing a reader sees
(a target's status, a chart, a count in the text, a unit, two row labels, a row, an index
entry, a PDF page, an annex cell) and expects verify to name it. An untouched report of each
format verifies clean, so the differences found are the edits and nothing else.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine
from tests.report.conftest import make_small_ledger

from esgledger.errors import EsgError
from esgledger.report import ReportRequest, build_report, verify_report
from esgledger.report.pdf import html_to_pdf

TARGETS = """\
targets:
  - id: electricity-cap
    name: {en: "Purchased electricity cap", zh: 外购电力上限}
    indicator: energy.purchased_electricity
    scope: group
    type: absolute_cap
    target_year: 2025
    target_value: 2000
    unit: MWh
    source: "test: a cap the small group meets"
"""
HTML = "esg-report-2024-en.html"


def _report(database, catalog, folder: Path, formats: list[str]) -> Path:
    targets = folder / "targets.yaml"
    targets.write_text(TARGETS, encoding="utf-8")
    request = ReportRequest(2024, snapshot_id=1, targets_file=targets)
    build_report(database, catalog, request, folder / "out", langs=["en"], formats=formats)
    return folder / "out"


@pytest.fixture(scope="module")
def small_ledger(tmp_path_factory: pytest.TempPathFactory, catalog) -> Iterator[Engine]:
    """The small ledger, built once for the module: verifying a report only reads it."""
    database = make_small_ledger(tmp_path_factory.mktemp("ledger"), catalog)
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def built_report(small_ledger, catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _report(small_ledger, catalog, tmp_path_factory.mktemp("report"), ["html", "xlsx"])


@pytest.fixture
def report(built_report: Path, tmp_path: Path) -> Path:
    """This test's copy of the small group's English report (HTML, XLSX) with one target."""
    return Path(shutil.copytree(built_report, tmp_path / "out"))


@pytest.fixture
def pdf_report(small_ledger, catalog, tmp_path: Path) -> Path:
    """The same report with its PDF (laying out a PDF takes seconds: only where needed)."""
    return _report(small_ledger, catalog, tmp_path, ["html", "pdf"])


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} is not in the report"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _found(database, catalog, path: Path) -> list[str]:
    result = verify_report(database, catalog, path)
    assert not result.ok, "verify passed a tampered report"
    return result.differences


def test_an_untouched_report_verifies_in_every_format(pdf_report, small_ledger, catalog):
    for name in (HTML, "esg-report-2024-en.pdf"):
        result = verify_report(small_ledger, catalog, pdf_report / name)
        assert result.ok, result.differences
        assert result.checked > 10 and result.units > 50


def test_an_untouched_annex_verifies(report, small_ledger, catalog):
    result = verify_report(small_ledger, catalog, report / "esg-report-2024-en.xlsx")
    assert result.ok, result.differences
    assert result.checked > 10 and result.units > 50


def test_a_changed_target_status_is_found(report, small_ledger, catalog):
    _edit(report / HTML, 'status-met">met', 'status-met">Missed')
    found = _found(small_ledger, catalog, report / HTML)
    assert any("row target electricity-cap" in d and "Missed" in d for d in found)


def test_a_changed_chart_is_found(report, small_ledger, catalog):
    html = (report / HTML).read_text(encoding="utf-8")
    chart = html.index('class="chart ')
    mark = re.compile(r'(<path[^>]*? d=")M(-?\d)').search(html, chart)
    assert mark, "no chart mark in the report"
    tampered = html[: mark.start(2)] + str(int(mark.group(2)) + 7) + html[mark.end(2) :]
    (report / HTML).write_text(tampered, encoding="utf-8")
    found = _found(small_ledger, catalog, report / HTML)
    assert any(d.startswith("chart ") or "› chart " in d for d in found), found


def test_a_changed_count_in_the_text_is_found(report, small_ledger, catalog):
    html = (report / HTML).read_text(encoding="utf-8")
    count = re.search(r"(\d+) (?:branches|entities|observations)", html)
    assert count, "the report states no count in its text"
    tampered = html.replace(count.group(0), count.group(0).replace(count.group(1), "99"), 1)
    (report / HTML).write_text(tampered, encoding="utf-8")
    found = _found(small_ledger, catalog, report / HTML)
    assert any("99" in d for d in found)


def test_a_changed_unit_is_found(report, small_ledger, catalog):
    row = 'data-row="energy.purchased_electricity|group">'
    html = (report / HTML).read_text(encoding="utf-8")
    start = html.index(row)
    unit = html.index('<td class="unit">', start)
    end = html.index("</td>", unit)
    tampered = html[:unit] + '<td class="unit">GWh' + html[end:]
    (report / HTML).write_text(tampered, encoding="utf-8")
    found = _found(small_ledger, catalog, report / HTML)
    assert any("row energy.purchased_electricity|group" in d and "GWh" in d for d in found)


def test_row_labels_swapped_between_indicators_are_found(report, small_ledger, catalog):
    html = (report / HTML).read_text(encoding="utf-8")
    labels = re.findall(r'<td class="ind">([^<]+)</td>', html)
    first, second = labels[0], labels[1]
    tampered = html.replace(f'"ind">{first}<', '"ind">@@<', 1)
    tampered = tampered.replace(f'"ind">{second}<', f'"ind">{first}<', 1)
    tampered = tampered.replace('"ind">@@<', f'"ind">{second}<', 1)
    (report / HTML).write_text(tampered, encoding="utf-8")
    found = _found(small_ledger, catalog, report / HTML)
    assert any(first in d and second in d for d in found), found


def test_a_deleted_row_is_found(report, small_ledger, catalog):
    html = (report / HTML).read_text(encoding="utf-8")
    start = html.index('<tr data-row="energy.natural_gas|group">')
    end = html.index("</tr>", start) + len("</tr>")
    (report / HTML).write_text(html[:start] + html[end:], encoding="utf-8")
    found = _found(small_ledger, catalog, report / HTML)
    assert any("energy.natural_gas|group: the report lacks" in d for d in found), found


def test_a_changed_index_status_is_found(report, small_ledger, catalog):
    html = (report / HTML).read_text(encoding="utf-8")
    row = re.search(r'<tr data-row="gri [^"]+">.*?<td class="missing">/</td>', html, re.S)
    assert row, "no undisclosed GRI item in the small report"
    claimed = row.group(0).replace('<td class="missing">/</td>', "<td>3 Performance</td>")
    (report / HTML).write_text(html.replace(row.group(0), claimed, 1), encoding="utf-8")
    found = _found(small_ledger, catalog, report / HTML)
    assert any("row gri " in d and "3 Performance" in d for d in found), found


def test_a_pdf_laid_out_from_an_edited_page_is_found(report, small_ledger, catalog):
    html = (report / HTML).read_text(encoding="utf-8")
    label = '<td class="ind">Purchased electricity'
    assert label in html
    edited = html.replace(label, '<td class="ind">Purchased steam', 1)
    pdf = report / "esg-report-2024-en.pdf"
    pdf.write_bytes(html_to_pdf(edited))  # same data block attached, other text printed
    found = _found(small_ledger, catalog, pdf)
    assert any(d.startswith("page ") and "Purchased steam" in d for d in found), found


def test_a_pdf_without_a_data_block_is_refused_with_a_message(tmp_path, small_ledger, catalog):
    import weasyprint  # a PDF made by hand, without the attachment

    pdf = tmp_path / "plain.pdf"
    pdf.write_bytes(weasyprint.HTML(string="<p>ESG report</p>").write_pdf())
    with pytest.raises(EsgError, match=r"no esgledger-report-data\.json attached"):
        verify_report(small_ledger, catalog, pdf)


def test_a_changed_label_and_a_deleted_row_of_the_annex_are_found(report, small_ledger, catalog):
    path = report / "esg-report-2024-en.xlsx"
    book = load_workbook(path)
    values = book.worksheets[1]
    values["C2"] = "Something else"
    values.delete_rows(5)
    book.save(path)
    found = _found(small_ledger, catalog, path)
    assert any("!C2" in d and "Something else" in d for d in found), found
    assert len(found) >= 2


def test_a_changed_targets_file_is_named(small_ledger, catalog, tmp_path):
    report = _report(small_ledger, catalog, tmp_path, ["html"])  # its own targets file
    targets = tmp_path / "targets.yaml"
    targets.write_text(TARGETS.replace("2000", "1000"), encoding="utf-8")
    found = _found(small_ledger, catalog, report / HTML)
    assert any(d.startswith("targets: the report was built with") for d in found)
