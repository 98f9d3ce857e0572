"""Every table a page shows downloads as XLSX, cell for cell as shown.

A table marked ``data-table="NAME"`` gets a link to the same page with ``?xlsx=NAME``;
:meth:`PageEnv.render <esgledger.web.render.PageEnv.render>` renders the page as usual
and, for such a request, answers with that table as a workbook instead. Reading the
rendered HTML (rather than the data behind it) is what makes the file match the table:
the same rows, in the same order, with the same headers in the page's language.

Cells of a ``num`` column are written as numbers (the figure as shown, separators
removed), every other cell as text through :mod:`esgledger.spreadsheet_cells`, so an
entity name such as ``=HYPERLINK(...)`` stays text.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.styles import Font

from esgledger.errors import NotFoundError
from esgledger.ledger.imports.resolve import number_text
from esgledger.spreadsheet_cells import xlsx_row

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLE_NAME = re.compile(r"^[\w.:-]{1,200}$")  # explain names its tables by node
SKIPPED = {"script", "style", "template", "button", "option", "svg"}  # no cell text
VOID = {"input", "br", "img", "wbr", "hr"}  # elements without an end tag
NO_VALUE = "—"  # how pages show a missing figure


@dataclass
class ShownTable:
    """A table as the page shows it: header rows, then body rows, as cell values."""

    header: list[list[object]] = field(default_factory=list)
    body: list[list[object]] = field(default_factory=list)


class _TableReader(HTMLParser):
    """Collects the cells of the one table named ``name`` (and every table's name).

    A cell's value is its text as a reader sees it: hidden elements, buttons, scripts,
    graphics and unchosen options are left out, a text box counts with its value, and
    a cell spanning columns or rows leaves the cells it covers empty.
    """

    def __init__(self, name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.name, self.names, self.table = name, [], None
        self._depth = self._skipping = 0
        self._row: list[object] | None = None
        self._cell: list[str] | None = None
        self._numeric = self._in_head = self._all_th = False
        self._span = self._rows_down = 1
        self._spanned: dict[int, int] = {}  # column → rows still covered by a rowspan above
        self._hidden_tag: str | None = None  # the element with ``hidden`` we are inside
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table":
            self._enter_table(found.get("data-table"))
        if self._depth and not self._hides(tag, found):
            self._start(tag, found)

    def _hides(self, tag: str, found: dict[str, str | None]) -> bool:
        """Whether ``tag`` is, or is inside, something the reader does not see."""
        if self._hidden_tag:
            self._hidden_depth += tag == self._hidden_tag
        elif "hidden" in found and tag not in VOID:
            self._hidden_tag, self._hidden_depth = tag, 1
        elif tag in SKIPPED and not (tag == "option" and "selected" in found):
            self._skipping += 1
        return bool(self._hidden_tag or self._skipping)

    def _start(self, tag: str, found: dict[str, str | None]) -> None:
        if tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._row, self._all_th = [], True
        elif tag in ("td", "th") and self._row is not None:
            self._fill_spanned_rows()
            self._cell, self._span = [], int(found.get("colspan") or 1)
            self._rows_down = int(found.get("rowspan") or 1)
            self._numeric = "num" in (found.get("class") or "").split()
            self._all_th = self._all_th and tag == "th"
        elif tag == "input" and self._cell is not None and found.get("type") in (None, "text"):
            self._cell.append(found.get("value") or "")
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def _enter_table(self, name: str | None) -> None:
        if name:
            self.names.append(name)
        if self._depth or (name == self.name and self.table is None):
            self._depth += 1
            self.table = self.table or ShownTable()

    def handle_endtag(self, tag: str) -> None:
        if not self._depth:
            return
        if self._hidden_tag:
            self._hidden_depth -= tag == self._hidden_tag
            self._hidden_tag = self._hidden_tag if self._hidden_depth else None
        elif tag in SKIPPED:
            self._skipping = max(self._skipping - 1, 0)
        elif tag == "table":
            self._depth -= 1
        elif tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None:
            self._end_cell()
        elif tag == "tr" and self._row is not None:
            self._end_row()

    def _end_cell(self) -> None:
        text = " ".join("".join(self._cell or []).split())
        row = self._row if self._row is not None else []
        if self._rows_down > 1:
            self._spanned[len(row)] = self._rows_down - 1
        numeric = self._numeric and not self._in_head
        row.extend([cell_value(text, numeric)] + [None] * (self._span - 1))
        self._cell = None

    def _end_row(self) -> None:
        self._fill_spanned_rows()
        table = self.table or ShownTable()
        header = self._in_head or (self._all_th and not table.body)
        (table.header if header else table.body).append(self._row or [])
        self._row = None

    def _fill_spanned_rows(self) -> None:
        """Leave empty the cells a rowspan from a row above covers, so columns stay aligned."""
        row = self._row if self._row is not None else []
        while self._spanned.get(len(row)):
            self._spanned[len(row)] -= 1
            row.append(None)

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._skipping and not self._hidden_tag:
            self._cell.append(data)


def cell_value(text: str, numeric: bool) -> object:
    """A shown cell as a workbook value: a number where the column holds figures.

    >>> cell_value("1,234", True), cell_value("—", True), cell_value("+5.2%", True)
    (1234.0, None, '+5.2%')
    >>> cell_value("2024", False)
    '2024'
    """
    if text == NO_VALUE:
        return None
    if numeric:
        try:
            return float(number_text(text))
        except ValueError:
            return text
    return text


def shown_table(html: str, name: str) -> ShownTable:
    """The table ``name`` of a rendered page.

    Raises:
        NotFoundError: the page shows no table of that name (the message lists its tables).
    """
    reader = _TableReader(name)
    reader.feed(html)
    if reader.table is None:
        shown = ", ".join(reader.names) or "none"
        raise NotFoundError.coded("page.no_table", name=name, shown=shown)
    return reader.table


def table_workbook(title: str, table: ShownTable) -> bytes:
    """The one writer of downloaded tables: headers in bold and frozen, text kept as text."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for row in table.header:
        sheet.append(xlsx_row(sheet, row))
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for row in table.body:
        sheet.append(xlsx_row(sheet, row))
    sheet.freeze_panes = sheet.cell(row=len(table.header) + 1, column=1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def download(html: str, name: str, page: str) -> Response:
    """The response to ``?xlsx=NAME``: that table of the rendered page as a workbook."""
    if not TABLE_NAME.match(name):
        raise NotFoundError.coded("page.not_a_table", name=name)
    words = [part for part in re.split(r"[^A-Za-z0-9]+", f"{page} {name}") if part]
    filename = "-".join(words)[:120] + ".xlsx"
    return Response(
        table_workbook(name, shown_table(html, name)),
        media_type=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
