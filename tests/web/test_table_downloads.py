"""Every table a page shows downloads as XLSX holding what the table shows.

The page and the file are compared through a second HTML parser (tinyhtml5, the one
WeasyPrint uses), so a fault in the download's own reading of the page shows up here.
"""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
import tinyhtml5
from openpyxl import load_workbook

from esgledger.web.table_download import ShownTable, cell_value, table_workbook
from tests.web.test_forms import ELECTRICITY, post_form

XHTML = "{http://www.w3.org/1999/xhtml}"
PAGES = {  # page → user who sees it, in the small ledger of tests/web/conftest.py
    "/": "manager",
    "/completeness?year=2023": "manager",
    "/entry": "reporter",
    "/entry/SMELT/2024-01": "reporter",
    "/review": "manager",
    "/review/SMELT/2024": "manager",
    f"/observations/SMELT/2023-01/{ELECTRICITY}": "manager",
    "/explain?indicator=energy.purchased_electricity&code=SMELT&period=2023": "manager",
}
HIDDEN = {"script", "style", "template", "button", "svg"}


def _text(element) -> str:
    """A cell's text as a reader sees it (the download's rules, written independently)."""
    if element.get("hidden") is not None or element.tag.removeprefix(XHTML) in HIDDEN:
        return element.tail or ""
    tag = element.tag.removeprefix(XHTML)
    if tag == "option" and element.get("selected") is None:
        return element.tail or ""
    own = element.text or ""
    if tag == "input" and element.get("type") in (None, "text"):
        own = element.get("value") or ""
    if tag == "br":
        own = " "
    return own + "".join(_text(child) for child in element) + (element.tail or "")


def shown_rows(html: str, name: str) -> list[list[str]]:
    """The rows of the table ``name`` as text, by tinyhtml5."""
    root = tinyhtml5.parse(html)
    (table,) = [t for t in root.iter(f"{XHTML}table") if t.get("data-table") == name]
    rows = []
    for tr in table.iter(f"{XHTML}tr"):
        cells = [c for c in tr if c.tag in (f"{XHTML}td", f"{XHTML}th")]
        rows.append([" ".join(_text(c).removesuffix(c.tail or "").split()) for c in cells])
    return rows


def downloaded_rows(content: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [
        [_as_shown(v) for v in row if v is not None] for row in sheet.iter_rows(values_only=True)
    ]


def _as_shown(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _plain(row: list[str]) -> list[str]:
    """Cells compared as numbers where they are numbers, the missing mark dropped."""
    return [_as_shown(cell_value(c, True)) for c in row if c and c != "—"]


@pytest.mark.parametrize("page", list(PAGES))
def test_every_table_on_a_page_downloads_as_the_table_it_shows(page, client_for):
    client = client_for(PAGES[page])
    if page.startswith("/review"):
        post_form(client_for("reporter"), {ELECTRICITY: "1100"}, action="submit")
    html = client.get(page).text
    names = re.findall(r'<table data-table="([^"]+)"', html)
    assert names, f"{page} shows no downloadable table"
    assert html.count("<table") == len(names), f"{page} has a table without a download"
    for name in names:
        (link,) = re.findall(rf'href="([^"]+)" download data-download="{re.escape(name)}"', html)
        response = client.get(unescape(link))
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
        shown = [_plain(r) for r in shown_rows(html, name)]
        assert [_plain(r) for r in downloaded_rows(response.content)] == shown, name


def test_headers_are_in_the_language_of_the_page(client_for):
    client = client_for("manager")
    client.cookies.set("lang", "zh")
    response = client.get("/completeness", params={"year": "2023", "xlsx": "completeness"})
    header = downloaded_rows(response.content)[0]
    assert header[0] == "实体"


def test_text_that_looks_like_a_formula_is_written_as_text():
    table = ShownTable(header=[["name"]], body=[['=HYPERLINK("http://x")'], [12.5]])
    sheet = load_workbook(io.BytesIO(table_workbook("t", table))).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("=HYPERLINK")
    assert sheet["A3"].value == 12.5


def test_an_unknown_table_is_a_404_naming_the_tables_of_the_page(client_for):
    response = client_for("manager").get("/completeness", params={"xlsx": "nothing-here"})
    assert response.status_code == 404
    text = unescape(response.text)
    assert "no table named 'nothing-here'" in text and "completeness" in text
