"""Excel data validation on a template sheet: the units of each row, numbers in its cells.

One rule per distinct unit list (rows whose indicators share a unit share the rule) and one
per number rule (any number, or zero and more), each covering its cells as ranges. Excel
and LibreOffice refuse a value that breaks them as it is typed; the importer still checks
everything, since a spreadsheet can be edited by programs that ignore validation.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from esgledger.catalog.model import Frequency, Indicator
from esgledger.units import unit_choices
from esgledger.workbooks.texts import text

UNIT_COLUMN = "D"
YEAR_COLUMN = "E"
MONTH_COLUMNS = ("F", "Q")  # the twelve months of the year


def allowed_units(indicator: Indicator) -> list[str]:
    """The units the template offers for an indicator: its own first, then its family's."""
    return [unit for unit, _factor in unit_choices(indicator.unit)]


def add_rules(sheet: Worksheet, indicators: Sequence[Indicator], first_row: int, lang: str) -> None:
    """Validation for the rows of ``indicators``, written from ``first_row`` down."""
    units: dict[tuple[str, ...], DataValidation] = {}
    numbers: dict[bool, DataValidation] = {}
    for row, indicator in enumerate(indicators, first_row):
        offered = tuple(allowed_units(indicator))
        if offered not in units:
            units[offered] = _unit_rule(offered, lang)
        units[offered].add(f"{UNIT_COLUMN}{row}")
        negative = indicator.allow_negative
        if negative not in numbers:
            numbers[negative] = _number_rule(negative, lang)
        if indicator.frequency is Frequency.MONTHLY:
            numbers[negative].add(f"{MONTH_COLUMNS[0]}{row}:{MONTH_COLUMNS[1]}{row}")
        else:
            numbers[negative].add(f"{YEAR_COLUMN}{row}")
    for rule in [*units.values(), *numbers.values()]:
        sheet.add_data_validation(rule)


def _unit_rule(offered: tuple[str, ...], lang: str) -> DataValidation:
    return DataValidation(
        type="list",
        formula1='"' + ",".join(offered) + '"',
        allow_blank=False,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle=text("unit_title", lang),
        error=text("unit_error", lang),
        promptTitle=text("unit_title", lang),
        prompt=text("unit_prompt", lang),
    )


def _number_rule(negative: bool, lang: str) -> DataValidation:
    """Any decimal, or a decimal of zero or more where the catalog forbids negatives."""
    bounds = (
        {"operator": "between", "formula1": "-1E+307", "formula2": "1E+307"}
        if negative
        else {"operator": "greaterThanOrEqual", "formula1": "0"}
    )
    return DataValidation(
        type="decimal",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=text("number_title", lang),
        error=text("number_error" if negative else "positive_error", lang),
        **bounds,
    )
