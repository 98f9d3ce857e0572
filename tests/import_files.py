"""Crafted import files for the tests: workbooks whose zip or XML says something untrue."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook

ELECTRICITY = "energy.purchased_electricity"
HEADER = ["entity", "period", "indicator", "value", "unit"]
MONTHS = [["SMELT", f"2024-{m:02d}", ELECTRICITY, m * 100, "MWh"] for m in range(1, 13)]


def workbook_bytes(rows: list[list], title: str = "data") -> bytes:
    """A one-sheet workbook as openpyxl writes it (with a true <dimension>)."""
    book = Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite_part(xlsx: bytes, part: str, change) -> bytes:
    """The workbook with one zip member's bytes passed through ``change``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == part:
                data = change(data)
            target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def with_dimension(xlsx: bytes, ref: str) -> bytes:
    """The workbook with its first sheet declaring ``ref`` (e.g. A1 or A1:XFD1048576)."""
    return rewrite_part(
        xlsx,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(
            rb'<dimension ref="[^"]*" ?/>', f'<dimension ref="{ref}"/>'.encode(), xml
        ),
    )


def forged_sheet(xlsx: bytes) -> bytes:
    """The workbook claiming the largest sheet there is (A1:XFD1048576), with an empty
    row element at its last row, as a spreadsheet writes for a row given a height."""
    last_row = b'<row r="1048576" customHeight="1" ht="20"/></sheetData>'
    forged = with_dimension(xlsx, "A1:XFD1048576")
    return rewrite_part(
        forged, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</sheetData>", last_row)
    )


def with_extra_part(xlsx: bytes, name: str, data: bytes) -> bytes:
    """The workbook with one more zip member (a part nothing refers to)."""
    out = io.BytesIO(xlsx)
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return out.getvalue()
