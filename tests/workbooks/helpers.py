"""What the workbook tests read back from an XLSX, the way openpyxl (and Excel) sees it."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet


def opened(content: bytes):
    return load_workbook(BytesIO(content))


def rule_at(sheet: Worksheet, cell: str) -> DataValidation | None:
    """The data-validation rule covering ``cell``, or None."""
    found = [rule for rule in sheet.data_validations.dataValidation if cell in rule.sqref]
    assert len(found) <= 1, f"{cell} is under {len(found)} rules"
    return found[0] if found else None


def column(sheet: Worksheet, letter: str, first: int = 3) -> list:
    return [sheet[f"{letter}{row}"].value for row in range(first, sheet.max_row + 1)]
