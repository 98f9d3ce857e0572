"""The data annex: an XLSX workbook with every reported value, its unit and its lineage id.

Sheets: about (what the workbook is, the snapshot), values (one row per value), index (the
framework items and where they are disclosed), lineage (how each computed value was made)
and a hidden sheet holding the report's JSON payload, which `verify` reads back.
"""

from __future__ import annotations

import io
import json

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from esgledger.catalog.registry import Catalog
from esgledger.glossary import load_glossary
from esgledger.report.config import Strings
from esgledger.report.facts import ReportFacts
from esgledger.report.index import ANNEX, SECTION
from esgledger.spreadsheet_cells import xlsx_row

PAYLOAD_SHEET = "_esgledger"
CHUNK = 30_000  # an XLSX cell holds at most 32,767 characters
HEADER_FILL = PatternFill("solid", fgColor="0F5C4D")
VALUE_COLUMNS = (
    "section",
    "indicator_id",
    "indicator",
    "boundary",
    "year",
    "value",
    "unit",
    "restated",
    "estimated_share",
    "lineage_id",
    "unit_label",  # the unit as the report prints it (glossary), after the stable columns
)


def annex_bytes(facts: ReportFacts, strings: Strings, catalog: Catalog, payload: dict) -> bytes:
    """The workbook as bytes; written by the caller, so a failed build leaves no half file."""
    book = Workbook()
    _about(book.active, facts, strings)
    _values(book.create_sheet(strings("annex.sheet_values")), facts, strings, catalog)
    _index(book.create_sheet(strings("annex.sheet_index")), facts, strings)
    _lineage(book.create_sheet(strings("annex.sheet_lineage")), facts, strings)
    hidden = book.create_sheet(PAYLOAD_SHEET)
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    for start in range(0, len(text), CHUNK):
        hidden.append(xlsx_row(hidden, [text[start : start + CHUNK]]))
    hidden.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _about(sheet: Worksheet, facts: ReportFacts, strings: Strings) -> None:
    sheet.title = strings("annex.sheet_about")
    company = facts.company.get(strings.lang) or facts.company.get("en", "")
    rows = [
        (company, strings("report.title", year=facts.year)),
        (strings("cover.snapshot"), f"{facts.snapshot_id} {facts.snapshot_hash}"),
        (strings("cover.as_of"), facts.snapshot_as_of),
        (strings("cover.registers_as_of"), facts.registers_as_of_shown),
        (strings("cover.audit"), _checkpoint_text(facts)),
        (strings("cover.method_set"), facts.method_set.name),
        (strings("cover.datasets"), "; ".join(f"{d.name} {d.version}" for d in facts.datasets)),
        (strings("cover.software"), strings("cover.software_value", version=facts.version)),
        ("", strings("annex.lineage", id=facts.snapshot_id)),
    ]
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 110


def _values(sheet: Worksheet, facts: ReportFacts, strings: Strings, catalog: Catalog) -> None:
    _header(sheet, [strings(f"annex.columns.{c}") for c in VALUE_COLUMNS])
    titles = _table_titles(facts, strings)
    glossary = load_glossary()
    for v in facts.annex:
        sheet.append(
            xlsx_row(
                sheet,
                [
                    titles.get(v.table, v.table),
                    v.indicator,
                    catalog.get(v.indicator).name(strings.lang),
                    v.boundary,
                    int(v.year),
                    v.value,
                    v.unit,
                    "R" if v.restated else "",
                    round(v.estimated_share, 6),
                    v.lineage_id,
                    glossary.unit_label(v.unit, strings.lang, v.indicator),
                ],
            )
        )
    _widths(sheet, (26, 34, 40, 24, 7, 16, 16, 8, 10, 40, 16))


def _index(sheet: Worksheet, facts: ReportFacts, strings: Strings) -> None:
    columns = ("framework", "code", "item", "status")
    _header(sheet, [strings(f"annex.columns.{c}") for c in columns])
    titles = _table_titles(facts, strings)
    for framework, items in facts.index.items():
        for item in items:
            where = "; ".join(titles.get(p, p) for p in item.places) or "/"
            sheet.append(xlsx_row(sheet, [framework, item.code, item.title(strings.lang), where]))
    _widths(sheet, (10, 16, 70, 40))


def _lineage(sheet: Worksheet, facts: ReportFacts, strings: Strings) -> None:
    columns = ("lineage_id", "indicator_id", "boundary", "year", "formula", "inputs", "explain")
    _header(sheet, [strings(f"annex.columns.{c}") for c in columns])
    for v in facts.annex:
        if not v.lineage_id.startswith("L"):
            continue
        command = (
            f"esgledger explain {v.indicator} --entity {v.boundary} --period {v.year} "
            f"--snapshot {facts.snapshot_id} --methods {facts.method_set.name}"
        )
        sheet.append(
            xlsx_row(
                sheet,
                [
                    v.lineage_id,
                    v.indicator,
                    v.boundary,
                    int(v.year),
                    v.formula,
                    ", ".join(v.inputs),
                    command,
                ],
            )
        )
    _widths(sheet, (20, 34, 24, 7, 50, 60, 90))


def _table_titles(facts: ReportFacts, strings: Strings) -> dict[str, str]:
    titles = {
        t.id: f"{t.number} {(t.title or {}).get(strings.lang) or strings(f'tables.{t.id}')}"
        for t in facts.tables
    }
    titles[ANNEX] = strings("sections.annex")
    for place in {p for items in facts.index.values() for i in items for p in i.places}:
        if place.startswith(SECTION):  # a section answering an item itself (GRI 2-3)
            section_id = place.removeprefix(SECTION)
            titles[place] = strings.get(f"sections.{section_id}", section_id)
    return titles


def _header(sheet: Worksheet, names: list[str]) -> None:
    sheet.append(xlsx_row(sheet, names))
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    sheet.freeze_panes = "A2"


def _widths(sheet: Worksheet, widths: tuple[int, ...]) -> None:
    for position, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width


def _checkpoint_text(facts: ReportFacts) -> str:
    """The audit checkpoint in one cell: entry, head hash, revisions, time, signature."""
    head = facts.audit_checkpoint
    if not head:
        return ""
    signed = f" HMAC {head['signature']}" if head.get("signature") else ""
    return f"{head['entry_id']} {head['head_hash']} {head['revisions']} {head['at']}{signed}"
