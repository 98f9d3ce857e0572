"""Read a built report back: its payload, and the numbers its pages or sheets show.

HTML: the JSON script block, the ``data-key`` spans of the tables and the ``data-change``
spans of the YoY column. XLSX: the hidden payload sheet and the values sheet (the second
sheet, whatever its localised name). PDF: the payload attached to the file (an embedded
file named :data:`PDF_ATTACHMENT`) and the text of every page.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from esgledger.errors import EsgError
from esgledger.report.annex import PAYLOAD_SHEET
from esgledger.report.datablock import ELEMENT_ID, FORMAT, PDF_ATTACHMENT

# values sheet columns (0-based): indicator id, target, year, value
_ID, _TARGET, _YEAR, _VALUE = 1, 3, 4, 5


@dataclass
class ReportDocument:
    """A report as read from disk."""

    payload: dict[str, Any]
    shown: dict[str, str] = field(default_factory=dict)  # key → printed text (HTML)
    changes: dict[str, str] = field(default_factory=dict)  # indicator|target → YoY text
    cells: dict[str, float | None] = field(default_factory=dict)  # key → value (XLSX)
    text: str = ""  # the whole HTML
    content: bytes = b""  # the whole XLSX
    pages: list[str] = field(default_factory=list)  # the text of each PDF page


def read_report(path: Path) -> ReportDocument:
    """Parse an HTML or XLSX report built by esgledger."""
    if not path.is_file():
        raise EsgError.coded("report_file.missing", path=path)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        document = _read_html(path)
    elif suffix == ".xlsx":
        document = _read_xlsx(path)
    elif suffix == ".pdf":
        document = _read_pdf(path)
    else:
        raise EsgError.coded("report_file.suffix", path=path, suffix=suffix or "?")
    if document.payload.get("format") != FORMAT:
        raise EsgError.coded("report_file.no_block", path=path, block=FORMAT)
    return document


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.payload_text: list[str] = []
        self.shown: dict[str, str] = {}
        self.changes: dict[str, str] = {}
        self._target: tuple[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script" and found.get("id") == ELEMENT_ID:
            self._target = ("payload", "")
        elif tag == "span" and found.get("data-key"):
            self._target = ("shown", found["data-key"] or "")
        elif tag == "span" and found.get("data-change"):
            self._target = ("changes", found["data-change"] or "")
        self._text = []

    def handle_data(self, data: str) -> None:
        if self._target is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._target is None or tag not in ("span", "script"):
            return
        kind, key = self._target
        text = "".join(self._text)
        if kind == "payload":
            self.payload_text.append(text)
        else:
            getattr(self, kind)[key] = text.strip()
        self._target = None


def _read_html(path: Path) -> ReportDocument:
    collector = _Collector()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise EsgError.coded("report_file.not_utf8", path=path) from None
    collector.feed(text)
    if not collector.payload_text:
        raise EsgError.coded("report_file.no_block", path=path, block=ELEMENT_ID)
    payload = _json(path, collector.payload_text[0])
    return ReportDocument(payload, collector.shown, collector.changes, text=text)


def _read_xlsx(path: Path) -> ReportDocument:
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise EsgError.coded("report_file.not_xlsx", path=path, detail=str(exc)) from None
    if PAYLOAD_SHEET not in book.sheetnames:
        raise EsgError.coded("report_file.no_sheet", path=path, sheet=PAYLOAD_SHEET)
    text = "".join(str(row[0] or "") for row in book[PAYLOAD_SHEET].iter_rows(values_only=True))
    payload = _json(path, text)
    cells = {}
    for row in book.worksheets[1].iter_rows(min_row=2, values_only=True):
        if row and row[_ID]:
            value = row[_VALUE]
            cells[f"{row[_ID]}|{row[_TARGET]}|{row[_YEAR]}"] = (
                float(value) if isinstance(value, int | float) else None
            )
    book.close()
    return ReportDocument(payload, cells=cells, content=path.read_bytes())


def _read_pdf(path: Path) -> ReportDocument:
    content = path.read_bytes()
    try:
        reader = PdfReader(io.BytesIO(content))
        attached = reader.attachments.get(PDF_ATTACHMENT)
    except (PdfReadError, ValueError, KeyError) as exc:  # pypdf's ways of saying "not a PDF"
        raise EsgError.coded("report_file.not_pdf", path=path, detail=str(exc)) from None
    if not attached:
        raise EsgError.coded("report_file.no_attachment", path=path, attachment=PDF_ATTACHMENT)
    payload = _json(path, attached[0].decode("utf-8"))
    return ReportDocument(payload, pages=pdf_pages(content))


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page of a PDF, as pypdf extracts it (the same way on both sides)."""
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]


def _json(path: Path, text: str) -> dict[str, Any]:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise EsgError.coded("report_file.bad_json", path=path, detail=str(exc)) from None
