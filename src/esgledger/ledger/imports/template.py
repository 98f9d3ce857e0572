"""Write the wide XLSX collection template that subsidiaries fill in.

One sheet per entity (indicators as rows, the year and its months as columns) or one
sheet per year (indicators as rows, entities as columns). Row 1 carries a marker that
tells the importer which layout and which entity or year the sheet is; names appear in
English and Chinese.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from esgledger.ledger.imports.layout import TEMPLATE_MARK, WIDE_HEADERS
from esgledger.org import Entity
from esgledger.periods import Period
from esgledger.spreadsheet_cells import xlsx_row

_HEADER = Font(bold=True)
_NOT_COLLECTED = PatternFill("solid", fgColor="DDDDDD")
_INSTRUCTIONS = [
    ("esgledger collection template / esgledger 数据采集模板", ""),
    (
        "Fill the white cells; grey cells are not collected at that frequency.",
        "请填写白色单元格；灰色单元格不按该频率采集。",
    ),
    (
        "Monthly indicators take the months; yearly indicators take the year column.",
        "月度指标填写各月，年度指标填写年度列。",
    ),
    (
        "You may change a row's unit to a compatible one "
        "(kWh instead of MWh, 10^4 m3 instead of m3).",
        "可将单位改为可换算的单位（如 kWh 代替 MWh，10^4 m3 代替 m3）。",
    ),
    ("Import with: esgledger import FILE.xlsx", "导入命令：esgledger import FILE.xlsx"),
]


def write_template(
    path: Path,
    indicators: Iterable[Any],
    entities: Sequence[Entity],
    year: int,
    layout: str = "entity",
) -> Path:
    """Write the template for ``entities`` and ``year`` to ``path``; returns the path."""
    inputs = [i for i in indicators if i.kind == "input"]
    workbook = Workbook()
    readme = workbook.active
    readme.title = "README"
    for line in _INSTRUCTIONS:
        readme.append(xlsx_row(readme, line))
    if layout == "entity":
        for entity in entities:
            _entity_sheet(workbook.create_sheet(entity.code[:31]), entity, inputs, year)
    else:
        _year_sheet(workbook.create_sheet(str(year)), entities, inputs, year)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _entity_sheet(sheet: Worksheet, entity: Entity, inputs: list[Any], year: int) -> None:
    months = [str(m) for m in Period.parse(year).months()]
    sheet.append(
        xlsx_row(sheet, [TEMPLATE_MARK, "entity", entity.code, entity.name_en, entity.name_zh])
    )
    sheet.append(xlsx_row(sheet, [*WIDE_HEADERS, str(year), *months]))
    for indicator in inputs:
        sheet.append(xlsx_row(sheet, _label(indicator)))
        row = sheet.max_row
        monthly = getattr(indicator, "frequency", "yearly") == "monthly"
        for column in range(5, 5 + 1 + len(months)):
            is_year_column = column == 5
            if is_year_column == monthly:
                sheet.cell(row=row, column=column).fill = _NOT_COLLECTED
    _style(sheet)


def _year_sheet(sheet: Worksheet, entities: Sequence[Entity], inputs: list[Any], year: int) -> None:
    sheet.append(xlsx_row(sheet, [TEMPLATE_MARK, "year", str(year)]))
    sheet.append(xlsx_row(sheet, [*WIDE_HEADERS, *(entity.code for entity in entities)]))
    for indicator in inputs:
        sheet.append(xlsx_row(sheet, _label(indicator)))
    _style(sheet)


def _label(indicator: Any) -> list[str]:
    return [indicator.id, indicator.name("en"), indicator.name("zh"), indicator.unit]


def _style(sheet: Worksheet) -> None:
    for cell in sheet[2]:
        cell.font = _HEADER
    sheet.freeze_panes = "E3"
    for letter, width in (("A", 38), ("B", 44), ("C", 24), ("D", 12)):
        sheet.column_dimensions[letter].width = width
