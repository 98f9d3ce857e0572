"""Write every computed value of a run to CSV, JSON or XLSX, one row per value."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from openpyxl import Workbook

from esgledger.calc.service import CalculationRun
from esgledger.engine.results import Results
from esgledger.errors import EsgError
from esgledger.spreadsheet_cells import csv_safe, xlsx_row

FORMATS = ("csv", "json", "xlsx")


def run_frame(run: CalculationRun, months: bool = False) -> pl.DataFrame:
    """All values of all method sets, one row each, with the snapshot hash and the user
    factor files on every row: two runs with other factor files can be told apart. With
    ``months``, the computed months follow the years."""
    frames = [
        r.frame(months=months).with_columns(
            pl.lit(r.method_set.name).alias("method_set"),
            pl.lit(user_factor_files(r)).alias("user_factor_files"),
        )
        for r in run.results
    ]
    columns = [
        "method_set",
        "level",
        "code",
        "period",
        "indicator",
        "value",
        "unit",
        "estimated_share",
        "user_factor_files",
    ]
    return (
        pl.concat(frames)
        .select(columns)
        .with_columns(pl.lit(run.snapshot_hash).alias("snapshot_sha256"))
    )


def user_factor_files(results: Results) -> str:
    """The user factor sets a result was computed with: dataset, version and file."""
    sets = [s for s in results.entities.library.sets if s.is_override]
    return "; ".join(f"{s.name} {s.version} ({s.path})" for s in sets)


def write_run(run: CalculationRun, path: Path, fmt: str, months: bool = False) -> int:
    """Write the run to ``path`` (with ``months``, the months too); returns the number of
    rows written."""
    if fmt not in FORMATS:
        raise EsgError.coded("export.format", listed=", ".join(FORMATS), fmt=fmt)
    frame = run_frame(run, months)
    if fmt == "csv":
        csv_safe(frame).write_csv(path)  # an entity named "=..." stays text
    elif fmt == "json":
        frame.write_json(path)
    else:
        _write_xlsx(run, frame, path)
    return frame.height


def _write_xlsx(run: CalculationRun, frame: pl.DataFrame, path: Path) -> None:
    book = Workbook(write_only=True)
    values = book.create_sheet("results")
    values.append(xlsx_row(values, frame.columns))
    for row in frame.iter_rows():
        values.append(xlsx_row(values, row))
    notes = book.create_sheet("diagnostics")
    notes.append(xlsx_row(notes, ["method_set", "indicator", "entity", "period", "message"]))
    for results in run.results:
        for d in results.diagnostics:
            row = [results.method_set.name, d.indicator, d.entity, d.period, d.message]
            notes.append(xlsx_row(notes, row))
    book.save(path)
