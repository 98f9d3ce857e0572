"""The error file of a refused upload: the user's own workbook, each problem beside its row.

Nothing of a refused file is imported; this file shows where to fix it. Every sheet with
problems gains a column at its right ("Problems in this row") holding what is wrong and
what to do, the cells at fault are filled red, and a first sheet lists every problem by
file, sheet, row and column. The importer skips both (the list sheet by name, the column by
its ``NOTE_MARK`` in a template's marker row, or its unknown header in a long sheet), so the
corrected file can be uploaded as it is. A CSV upload comes back as a workbook of its rows.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

import openpyxl
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from esgledger.errors import Problem, render
from esgledger.ledger.imports.layout import (
    NOTE_MARK,
    SKIPPED_SHEETS,
    TEMPLATE_MARK,
    WIDE_FIXED,
    canonical_header,
)
from esgledger.spreadsheet_cells import xlsx_row
from esgledger.workbooks.texts import language, text

BAD = PatternFill("solid", fgColor="FFC7CE")
NOTE = PatternFill("solid", fgColor="FFEB9C")
_CELL_COLUMN = re.compile(r"^([A-Z]{1,3}) \(")  # a wide sheet's value cell: "F (2024-01)"
_CSV_SHEET = {"en": "data", "zh": "数据"}


def error_file_bytes(
    path: Path, shown_name: str, problems: Sequence[Problem], more: int, lang: str
) -> bytes:
    """The error file of the upload at ``path`` (``.xlsx`` or ``.csv``) as XLSX bytes."""
    lang = language(lang)
    workbook = _opened(path, lang)
    sheets = _SheetNotes(workbook, lang)
    for problem in problems:
        sheets.note(problem)
    sheets.finish()
    _list_sheet(workbook, shown_name, problems, more, lang)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _opened(path: Path, lang: str) -> Workbook:
    if path.suffix.lower() != ".csv":
        return openpyxl.load_workbook(path)  # the checked upload: its size is within limits
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _CSV_SHEET[lang]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for record in csv.reader(handle):
            sheet.append(xlsx_row(sheet, record))
    return workbook


class _SheetNotes:
    """Problems gathered per sheet and row, then written into a new column of each sheet."""

    def __init__(self, workbook: Workbook, lang: str) -> None:
        self.workbook, self.lang = workbook, lang
        self.data = [s for s in workbook.worksheets if s.title.lower() not in SKIPPED_SHEETS]
        self.rows: dict[tuple[str, int], list[str]] = {}

    def sheet(self, name: str | None) -> Worksheet | None:
        if name is None:  # a CSV: its one sheet
            return self.data[0] if self.data else None
        return self.workbook[name] if name in self.workbook.sheetnames else None

    def note(self, problem: Problem) -> None:
        where = problem.location
        sheet = self.sheet(where.sheet)
        if sheet is None or where.row is None:
            return
        letter = cell_letter(sheet, where.column)
        if letter is not None:
            sheet[f"{letter}{where.row}"].fill = BAD
        said = problem.explained(self.lang)
        if letter:
            said = f"{letter}: {said}"
        self.rows.setdefault((sheet.title, where.row), []).append(said)

    def finish(self) -> None:
        """Each noted sheet's problem column, one past its last column."""
        for sheet in self.data:
            noted = {row: said for (title, row), said in self.rows.items() if title == sheet.title}
            if noted:
                _note_column(sheet, noted, self.lang)


def _note_column(sheet: Worksheet, noted: dict[int, list[str]], lang: str) -> None:
    column = sheet.max_column + 1
    wide = sheet.cell(row=1, column=1).value == TEMPLATE_MARK
    if wide:
        sheet.cell(row=1, column=column).value = NOTE_MARK
    header = sheet.cell(row=2 if wide else 1, column=column)
    header.value = text("errors_column", lang)
    header.font, header.fill = Font(bold=True), NOTE
    for row, said in noted.items():
        cell = sheet.cell(row=row, column=column)
        cell.value = "\n".join(said)
        cell.data_type = "s"  # the problem quotes the user's text: never a formula
        cell.fill, cell.alignment = NOTE, Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions[get_column_letter(column)].width = 70


def cell_letter(sheet: Worksheet, column: str | None) -> str | None:
    """The letter of the column a problem names: "F (2024-01)", or a layout column's name."""
    if not column:
        return None
    found = _CELL_COLUMN.match(column)
    if found:
        return found.group(1)
    if sheet.cell(row=1, column=1).value == TEMPLATE_MARK:
        return get_column_letter(WIDE_FIXED.index(column) + 1) if column in WIDE_FIXED else None
    for cell in sheet[1]:
        if canonical_header(cell.value) == column:
            return cell.column_letter
    return None


def _list_sheet(
    workbook: Workbook, name: str, problems: Sequence[Problem], more: int, lang: str
) -> None:
    """The first sheet: a summary line, then one row per problem (file, place, what to do)."""
    sheet = workbook.create_sheet(text("errors_sheet", lang), 0)
    column = get_column_letter(max(s.max_column for s in workbook.worksheets[1:] or [sheet]))
    sheet.append(xlsx_row(sheet, [text("e_summary", lang, file=name, column=column)]))
    keys = ("e_file", "e_sheet", "e_row", "e_column", "e_value", "e_problem", "e_fix")
    sheet.append(xlsx_row(sheet, [text(key, lang) for key in keys]))
    for cell in sheet[2]:
        cell.font, cell.fill = Font(bold=True), NOTE
    for problem in problems:
        where = problem.location
        reason, fix = _said(problem, lang)
        sheet.append(
            xlsx_row(
                sheet,
                [
                    name,
                    where.sheet or "",
                    where.row,
                    where.column or "",
                    problem.value or "",
                    reason,
                    fix,
                ],
            )
        )
    if more:
        sheet.append(xlsx_row(sheet, [text("e_more", lang, more=more)]))
    for letter, width in zip("ABCDEFG", (24, 14, 8, 16, 18, 60, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    for other in workbook.worksheets:
        other.sheet_view.tabSelected = other is sheet  # one tab selected, not a group
    workbook.active = 0


def _said(problem: Problem, lang: str) -> tuple[str, str]:
    """What is wrong and what to do, in ``lang``."""
    if problem.code is None:
        return problem.reason, problem.fix
    return (
        render(f"{problem.code}.reason", lang, **problem.params),
        render(f"{problem.code}.fix", lang, **problem.params),
    )
