"""Text written to CSV and XLSX stays text: the one guard against formula injection.

An entity name, a comment or a file path that begins with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return is run as a formula by Excel and LibreOffice when the file is opened
(OWASP "CSV Injection"). Every writer of a spreadsheet goes through this module:

* XLSX: text cells are written with the string data type, so openpyxl never turns
  ``=HYPERLINK(...)`` into a formula and a spreadsheet shows it as typed.
* CSV: text that a spreadsheet would run gets a leading apostrophe, which spreadsheets
  read as "this is text" and do not show.

Numbers are not text: a negative number stays a number, in a number cell or, in a CSV,
as ``-12.5`` without an apostrophe.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import polars as pl
from openpyxl.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_PLAIN_NUMBER = re.compile(_NUMBER)
_RUNNABLE = r"^[=+\-@\t\r]"


def is_runnable(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula rather than as written.

    >>> [is_runnable(t) for t in ("=1+1", "@SUM(A1)", "-2+3", "\\tx", "-12.5", "1e-3", "CO2")]
    [True, True, True, True, False, False, False]
    """
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)


def csv_text(value: Any) -> Any:
    """A value for a CSV writer: runnable text behind an apostrophe, anything else as is.

    >>> csv_text("=cmd|' /C calc'!A0"), csv_text("-5"), csv_text(-5), csv_text("SMELT")
    ("'=cmd|' /C calc'!A0", '-5', -5, 'SMELT')
    """
    return f"'{value}" if isinstance(value, str) and is_runnable(value) else value


def csv_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with :func:`csv_text` applied to every text column, column-wise."""
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(_RUNNABLE) & ~pl.col(name).str.contains(f"^{_NUMBER}$"))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.Utf8
    )


def xlsx_row(sheet: Worksheet, values: Iterable[Any]) -> list[Any]:
    """A row for ``sheet.append`` whose text cells are typed as text, never as formulas.

    Works for ordinary and write-only sheets alike (both take cells in ``append``).
    """
    return [_text_cell(sheet, value) if isinstance(value, str) else value for value in values]


def _text_cell(sheet: Worksheet, text: str) -> Cell:
    cell = Cell(sheet, row=1, column=1, value=text)  # append moves it into place
    cell.data_type = "s"  # after the value: assigning "=..." made it "f", a formula
    return cell
