"""Compare a report file with the same report rebuilt from the ledger, unit by unit.

A *unit* is one thing a reader can see or a renderer uses, with where it is: a run of text,
an attribute (an SVG bar's geometry, a link's target, a row's key), a spreadsheet cell, a
line of a PDF page. Both documents are cut into units in document order and aligned with
:class:`difflib.SequenceMatcher`, so an edited word, a swapped row label, a deleted row or
a changed chart shows up as a difference at its place, whatever kind of content it is.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from html.parser import HTMLParser

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from esgledger.report.annex import PAYLOAD_SHEET
from esgledger.report.datablock import ELEMENT_ID

SHOWN_TEXT = 90  # characters of a unit quoted in a difference
SHOWN_PER_STRETCH = 4  # differences listed per stretch of changed units, then a count
_VOID = frozenset(  # HTML elements without an end tag
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)


@dataclass(frozen=True)
class Unit:
    """One comparable piece of a document and where a reader finds it."""

    where: str
    text: str


def differences(found: list[Unit], rebuilt: list[Unit]) -> list[str]:
    """What the file shows that the rebuilt report does not, and the reverse."""
    matcher = SequenceMatcher(
        None, [u.text for u in found], [u.text for u in rebuilt], autojunk=False
    )
    lines = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        olds, news = found[i1:i2], rebuilt[j1:j2]
        stretch = max(len(olds), len(news))
        for k in range(min(stretch, SHOWN_PER_STRETCH)):
            old = olds[k] if k < len(olds) else None
            new = news[k] if k < len(news) else None
            lines.append(_line(old, new))
        if stretch > SHOWN_PER_STRETCH:
            last = (olds or news)[-1].where
            lines.append(f"{last}: … and {stretch - SHOWN_PER_STRETCH} more in this stretch")
    return lines


def _line(old: Unit | None, new: Unit | None) -> str:
    if old is None and new is not None:
        return f"{new.where}: the report lacks «{_quote(new.text)}», which the ledger gives"
    if new is None and old is not None:
        return f"{old.where}: the report shows «{_quote(old.text)}», which the ledger does not give"
    assert old is not None and new is not None  # one side is always present
    return (
        f"{old.where}: the report shows «{_quote(old.text)}», the ledger gives «{_quote(new.text)}»"
    )


def _quote(text: str) -> str:
    return text if len(text) <= SHOWN_TEXT else text[: SHOWN_TEXT - 1] + "…"


# --- HTML ---------------------------------------------------------------------------------


class _Units(HTMLParser):
    """Text runs and attributes of every element, with the ids and keys around them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.units: list[Unit] = []
        self._stack: list[tuple[str, str]] = []  # (tag, label for the location)
        self._skip = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script" and found.get("id") == ELEMENT_ID:
            self._skip = True  # the data block is compared as data, key by key
        label = _label(tag, found)
        where = self._where(label)
        for name, value in attrs:
            self.units.append(Unit(where, f"<{tag} {name}={value or ''}>"))
        if tag not in _VOID:
            self._stack.append((tag, label))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        where = self._where(_label(tag, dict(attrs)))
        self.units.append(Unit(where, f"<{tag}>"))
        for name, value in attrs:
            self.units.append(Unit(where, f"<{tag} {name}={value or ''}>"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._skip = False
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._skip:
            self.units.append(Unit(self._where(""), text))

    def _where(self, own: str) -> str:
        labels = [label for _, label in self._stack if label]
        if own:
            labels.append(own)
        return " › ".join(labels[-3:]) or "document"


def _label(tag: str, attrs: dict[str, str | None]) -> str:
    """How a difference names an element: its id, row or cell key, or chart."""
    if attrs.get("data-key"):
        return f"value {attrs['data-key']}"
    if attrs.get("data-change"):
        return f"change {attrs['data-change']}"
    if attrs.get("data-row"):
        return f"row {attrs['data-row']}"
    if attrs.get("id") and tag in ("section", "div", "figure", "table"):
        return f"#{attrs['id']}"
    chart = [c for c in (attrs.get("class") or "").split() if c.startswith("chart-")]
    return f"chart {chart[0][6:]}" if chart else ""


def html_units(html: str) -> list[Unit]:
    parser = _Units()
    parser.feed(html)
    parser.close()
    return parser.units


# --- XLSX ---------------------------------------------------------------------------------


def xlsx_units(content: bytes) -> list[Unit]:
    """Every non-empty cell of every sheet but the data block, with its sheet and address."""
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        return list(_cells(book))
    finally:
        book.close()


def _cells(book) -> Iterator[Unit]:
    for sheet in book.worksheets:
        if sheet.title == PAYLOAD_SHEET:
            continue
        yield Unit(f"sheet {sheet.title}", f"sheet {sheet.title} ({sheet.sheet_state})")
        for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
            for column, value in enumerate(row, 1):
                if value is not None:
                    yield Unit(f"{sheet.title}!{get_column_letter(column)}{number}", repr(value))


# --- PDF ----------------------------------------------------------------------------------


def pdf_units(pages: list[str]) -> list[Unit]:
    """One unit per non-empty line of each page's text."""
    return [
        Unit(f"page {number}", " ".join(line.split()))
        for number, text in enumerate(pages, 1)
        for line in text.splitlines()
        if line.strip()
    ]
