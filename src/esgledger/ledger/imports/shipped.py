"""esgledger's own import layouts, registered as a plugin like a company's: the long
layout in CSV, and XLSX workbooks whose sheets are long or esgledger's template (wide)."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from esgledger.ledger.imports.csvtable import csv_frames
from esgledger.ledger.imports.layouts import ImportLayout, LayoutSource
from esgledger.ledger.imports.workbook import workbook_rows
from esgledger.plugins import hookimpl


def _read_csv(source: LayoutSource) -> Iterator[pl.DataFrame]:
    return csv_frames(source.path, source.where, source.limits, source.budget)


def _read_workbook(source: LayoutSource) -> Iterator[tuple]:
    return workbook_rows(source.path, source.where, source.limits, source.budget, source.progress)


LONG = ImportLayout(
    name="long",
    description="CSV, UTF-8: entity, period, indicator, value, unit, comment, quality",
    suffixes=(".csv",),
    read=_read_csv,
    frames=True,
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
