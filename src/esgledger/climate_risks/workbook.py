"""The register as an XLSX workbook: export for editing, import all rows or none.

One sheet, one item per row; lists (entities, assets, metrics, targets) are written
comma-separated; a financial effect spreads over ``<effect>_low``, ``_high``,
``_currency``, ``_rate_to_cny``, ``_line``, ``_note``. An import reads every row, checks
each (:mod:`.checks`) and names every problem by file, sheet, row and column; only when
there is none does it write, in one append sealed by one audit entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl import Workbook

from esgledger.climate_risks.checks import Known, parse_item
from esgledger.climate_risks.model import ClimateItem
from esgledger.errors import EsgError, Location, Problem, ValidationFailed
from esgledger.ledger.imports.limits import ImportLimits
from esgledger.ledger.imports.workbook import require_sane_zip
from esgledger.spreadsheet_cells import xlsx_row

SHEET = "climate_risks"
LISTS = ("entities", "assets", "metrics", "targets")
EFFECTS = {"current_effect": "current", "anticipated_effect": "anticipated"}
EFFECT_PARTS = ("low", "high", "currency", "rate_to_cny", "line", "note")
DERIVED_PARTS = ("measure", "year", "pathway", "line")
COLUMNS = (
    "key", "category", "title_en", "title_zh", "description_en", "description_zh", "entities",
    "assets", "horizon",
    "likelihood", "impact",
    *(f"{short}_{part}" for short in EFFECTS.values() for part in EFFECT_PARTS),
    *(f"derived_{part}" for part in DERIVED_PARTS),
    "response_en", "response_zh", "owner", "metrics", "targets",
)  # fmt: skip


def item_row(item: ClimateItem) -> list[Any]:
    """An item as the cells of one row, in :data:`COLUMNS` order."""
    fields = item.model_dump(mode="json")
    cells: dict[str, Any] = {name: fields.get(name) for name in COLUMNS if name in fields}
    for name in LISTS:
        cells[name] = ", ".join(fields[name])
    for name, short in EFFECTS.items():
        effect = fields.get(name) or {}
        cells.update({f"{short}_{part}": effect.get(part) for part in EFFECT_PARTS})
    derived = fields.get("derived_effect") or {}
    cells.update({f"derived_{part}": derived.get(part) for part in DERIVED_PARTS})
    return [cells.get(name) for name in COLUMNS]


def write_workbook(items: Sequence[ClimateItem], path: Path) -> None:
    """The items as a workbook to edit and import again (text stays text)."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(xlsx_row(sheet, COLUMNS))
    for item in items:
        sheet.append(xlsx_row(sheet, item_row(item)))
    book.save(path)


def read_workbook(path: Path, known: Known) -> list[ClimateItem]:
    """Every item of the workbook, or :class:`ValidationFailed` naming every problem."""
    require_sane_zip(path, path.name, ImportLimits())
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if SHEET not in book.sheetnames:
            raise EsgError(
                f"{path.name} has no sheet {SHEET!r}", code="climate_risks.no_sheet",
                params={"file": path.name, "sheet": SHEET},
            )  # fmt: skip
        rows = list(book[SHEET].iter_rows(values_only=True))
    finally:
        book.close()
    header = [str(cell or "").strip() for cell in (rows[0] if rows else ())]
    missing = [name for name in ("key", "category", "entities") if name not in header]
    if missing:
        raise EsgError(
            f"{path.name}: columns {', '.join(missing)} are missing",
            code="climate_risks.missing_columns",
            params={"file": path.name, "sheet": SHEET, "columns": ", ".join(missing)},
        )
    return _items(path.name, header, rows[1:], known)


def _items(name: str, header: list[str], rows: list[tuple], known: Known) -> list[ClimateItem]:
    items: list[ClimateItem] = []
    problems: list[Problem] = []
    for number, row in enumerate(rows, start=2):
        cells = {h: _text(v) for h, v in zip(header, row, strict=False) if h}
        if not any(cells.values()):
            continue

        def locate(field: str, number: int = number) -> Location:
            return Location(file=name, sheet=SHEET, row=number, column=column_of(field))

        item, found = parse_item(row_fields(cells), known, locate)
        problems += found
        if item is not None:
            items.append(item)
    keys = [item.key for item in items]
    problems += [
        Problem.coded(Location(file=name, sheet=SHEET, column="key"), key,
                      "climate_risks.field_invalid", field="key", detail="key repeated")
        for key in sorted({k for k in keys if keys.count(k) > 1})
    ]  # fmt: skip
    if problems:
        raise ValidationFailed.refusing(
            problems, "climate_risks.import_invalid", file=name, count=len(problems)
        )
    return items


def _text(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def row_fields(cells: dict[str, Any]) -> dict[str, Any]:
    """A row's cells as the fields of an item (empty cells left out)."""
    fields = {k: v for k, v in cells.items() if k in COLUMNS and v not in (None, "")}
    for name in LISTS:
        if name in fields:
            fields[name] = [part.strip() for part in str(fields[name]).split(",") if part.strip()]
    for name, short in EFFECTS.items():
        effect = {p: fields.pop(f"{short}_{p}") for p in EFFECT_PARTS if f"{short}_{p}" in fields}
        if effect:
            fields[name] = effect
    derived = {p: fields.pop(f"derived_{p}") for p in DERIVED_PARTS if f"derived_{p}" in fields}
    if derived:
        fields["derived_effect"] = derived
    return fields


def column_of(field: str) -> str:
    """The workbook column a field's problem belongs to (``anticipated_effect.low`` is
    ``anticipated_low``; an entry of a list is the list's column)."""
    head, _, rest = field.partition(".")
    if head in EFFECTS:
        return f"{EFFECTS[head]}_{rest.split('.')[0]}" if rest else f"{EFFECTS[head]}_low"
    if head == "derived_effect":
        return f"derived_{rest.split('.')[0]}" if rest else "derived_year"
    return head
