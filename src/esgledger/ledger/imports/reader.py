"""Read an import file, in whichever layout reads it, into one table of text cells.

Nothing is interpreted here beyond layout: every cell stays text so that validation can
report exactly what the user wrote, where. Files are streamed and counted against the
import limits, so an oversized file is refused after reading no more than the limits.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from esgledger.ledger.imports.layouts import LayoutSource, Progress, layout_for, layout_frames
from esgledger.ledger.imports.limits import (
    Budget,
    ImportLimits,
    ImportTooLarge,
    require_size,
)
from esgledger.ledger.imports.rows import ROW_COLUMNS, ROW_SCHEMA, ImportFileError

# A file on the operator's own disk: limits only against files no one could mean.
LOCAL_FILES = ImportLimits(
    max_bytes=2048 << 20,
    max_unzipped_bytes=8192 << 20,
    max_rows=10_000_000,
    max_cells=100_000_000,
)
__all__ = [
    "LOCAL_FILES",
    "ROW_COLUMNS",
    "ImportFileError",
    "ImportTooLarge",
    "Progress",
    "RawTable",
    "read_table",
]


@dataclass(frozen=True)
class RawTable:
    """The cells of an import file as text, one row per (entity, period, indicator) value."""

    name: str
    sha256: str
    frame: pl.DataFrame


def read_table(
    path: Path,
    progress: Progress | None = None,
    limits: ImportLimits = LOCAL_FILES,
    name: str | None = None,
) -> RawTable:
    """Read a file in any registered layout: CSV (long), XLSX (long or template sheets),
    or a plugin's.

    ``name`` is what messages and the changeset call the file (an upload's own name,
    not where the server keeps it); by default the path.
    """
    where = name or str(path)
    if not path.is_file():
        raise ImportFileError.coded("import.file.missing", where=where)
    layout = layout_for(path, where)
    require_size(limits, where, path.stat().st_size)
    source = LayoutSource(path, where, limits, Budget(limits, where), progress)
    parts = layout_frames(layout, source)
    frame = pl.concat(list(parts) or [pl.DataFrame(schema=ROW_SCHEMA)])
    return RawTable(name=name or path.name, sha256=_sha256(path), frame=frame)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
