"""esgledger's own import layouts, registered as a plugin like a company's: the long
layout in CSV, and XLSX workbooks whose sheets are long or esgledger's template (wide)."""

from __future__ import annotations

from collections.abc import Iterator

from esgledger.ledger.imports.layouts import ImportLayout, LayoutSource
from esgledger.ledger.imports.long_csv import read_long_csv
from esgledger.ledger.imports.workbook import workbook_rows
from esgledger.plugins import hookimpl


def _read_workbook(source: LayoutSource) -> Iterator[tuple]:
    return workbook_rows(source.path, source.where, source.limits, source.budget, source.progress)


LONG = ImportLayout(
    name="long",
    description="CSV, UTF-8: entity, period, indicator, value, unit, comment, quality",
    suffixes=(".csv",),
    read=read_long_csv,
)
WORKBOOK = ImportLayout(
    name="workbook",
    description="XLSX: long sheets, and template sheets (one entity or year per sheet)",
    suffixes=(".xlsx", ".xlsm"),
    read=_read_workbook,
)


@hookimpl
def esgledger_import_layouts() -> list[ImportLayout]:
    return [LONG, WORKBOOK]
