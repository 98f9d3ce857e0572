"""The collection template of one entity and year: the rows it owes, ready to fill in Excel.

A sheet in the wide layout the importer reads (``ledger/imports/workbook.py``): row 1 is
the marker (template, entity), row 2 names the columns (the year, then its months), one
row per owed indicator. Column C holds last year's value, which the importer never reads
(it reads the code in A, the unit in D and the period columns). What a user may change is
unlocked, the rest is protected without a password (a guard against slips, not a secret);
Excel's data validation offers the indicator's units as a list and refuses text, and
negatives where the catalog forbids them, before the file ever reaches the server.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from esgledger.catalog.model import Frequency, Indicator
from esgledger.catalog.registry import Catalog
from esgledger.ledger.imports.layout import TEMPLATE_MARK
from esgledger.org import Entity
from esgledger.periods import Period
from esgledger.spreadsheet_cells import xlsx_row
from esgledger.workbooks.rules import add_rules
from esgledger.workbooks.texts import language, text

FIRST_PERIOD = 5  # column E: the year, then its twelve months
HEADER = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
NOT_ASKED = PatternFill("solid", fgColor="D9D9D9")
UNLOCKED = Protection(locked=False)


@dataclass(frozen=True)
class TemplateRequest:
    """What one template is for: the entity, the year, what it owes, in which language."""

    entity: Entity
    year: int
    owed: Sequence[str]
    lang: str = "zh"


def owed_indicators(catalog: Catalog, owed: Sequence[str]) -> list[Indicator]:
    """The owed ids that are inputs of the catalog, in catalog order (ids unknown are left out:
    an obligation kept for an indicator the catalog has since dropped asks for nothing)."""
    wanted = set(owed)
    return [i for i in catalog.inputs() if i.id in wanted]


def template_bytes(
    catalog: Catalog, request: TemplateRequest, last_year: Mapping[str, float]
) -> bytes:
    """The template of one entity as XLSX bytes (for a download)."""
    out = BytesIO()
    build_template(catalog, [(request, last_year)]).save(out)
    return out.getvalue()


def build_template(
    catalog: Catalog, sheets: Sequence[tuple[TemplateRequest, Mapping[str, float]]]
) -> Workbook:
    """The workbook: instructions first, then a sheet per entity (the web gives one, the
    command line one per entity asked for), each with last year's values beside its rows."""
    workbook = Workbook()
    first = sheets[0][0]
    lang = language(first.lang)
    owed = {i.id for request, _last in sheets for i in owed_indicators(catalog, request.owed)}
    _instructions(
        workbook.active, [request.entity for request, _ in sheets], first.year, len(owed), lang
    )
    for request, last_year in sheets:
        indicators = owed_indicators(catalog, request.owed)
        sheet = workbook.create_sheet(request.entity.code[:31])
        _header(sheet, request.entity, request.year, lang)
        for indicator in indicators:
            _row(sheet, indicator, last_year.get(indicator.id), lang)
        add_rules(sheet, indicators, first_row=3, lang=lang)
        _protect(sheet)
    workbook.active = 1
    workbook.worksheets[0].sheet_view.tabSelected = False
    return workbook


def _instructions(
    sheet: Worksheet, entities: Sequence[Entity], year: int, count: int, lang: str
) -> None:
    named = "{}（{}）" if lang == "zh" else "{} ({})"
    names = ", ".join(
        named.format(e.name_zh if lang == "zh" else e.name_en, e.code) for e in entities[:5]
    )
    if len(entities) > 5:
        names += f" (+{len(entities) - 5})"
    sheet.title = text("readme_sheet", lang)
    lines = [
        text("title", lang, entities=names, year=year),
        text("owed", lang, count=count, year=year),
        text("fill", lang, year=year),
        text("units", lang),
        text("numbers", lang),
        text("last_year", lang, last=year - 1),
        text("upload", lang),
        text("locked", lang),
    ]
    for line in lines:
        sheet.append(xlsx_row(sheet, [line]))
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.column_dimensions["A"].width = 120
    sheet.protection.sheet = True


def _header(sheet: Worksheet, entity: Entity, year: int, lang: str) -> None:
    months = [str(m) for m in Period.parse(year).months()]
    sheet.append(
        xlsx_row(sheet, [TEMPLATE_MARK, "entity", entity.code, entity.name_en, entity.name_zh])
    )
    headers = [
        text("h_indicator", lang),
        text("h_name", lang),
        text("h_last", lang, last=year - 1),
        text("h_unit", lang),
        str(year),
        *months,
    ]
    sheet.append(xlsx_row(sheet, headers))
    for cell in sheet[2]:
        cell.font, cell.fill = HEADER, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.row_dimensions[1].hidden = True  # the importer's marker, of no use to a reader


def _row(sheet: Worksheet, indicator: Indicator, last: float | None, lang: str) -> None:
    every = text("monthly" if indicator.frequency is Frequency.MONTHLY else "yearly", lang)
    label = (
        f"{indicator.name(lang)} ({every})"
        if lang == "en"
        else f"{indicator.name(lang)}（{every}）"
    )
    sheet.append(xlsx_row(sheet, [indicator.id, label, last, indicator.unit]))
    row = sheet.max_row
    sheet.cell(row=row, column=4).protection = UNLOCKED
    monthly = indicator.frequency is Frequency.MONTHLY
    for column in range(FIRST_PERIOD, FIRST_PERIOD + 13):
        cell = sheet.cell(row=row, column=column)
        if (column == FIRST_PERIOD) == monthly:
            cell.fill = NOT_ASKED  # locked, like every cell not unlocked
        else:
            cell.protection = UNLOCKED
    if last is not None:
        sheet.cell(row=row, column=3).number_format = "#,##0.####"


def _protect(sheet: Worksheet) -> None:
    """Header rows and the label columns locked; formatting and sizes stay the user's."""
    sheet.freeze_panes = "E3"
    for letter, width in (("A", 34), ("B", 40), ("C", 14), ("D", 11)):
        sheet.column_dimensions[letter].width = width
    for column in range(FIRST_PERIOD, FIRST_PERIOD + 13):
        sheet.column_dimensions[get_column_letter(column)].width = 11
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = protection.formatRows = protection.formatCells = False
