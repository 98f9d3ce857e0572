"""Import layouts: how a file's cells become rows of (entity, period, indicator, value, ...).

Each layout is registered through the ``esgledger_import_layouts`` plugin hook; the long
CSV and the XLSX workbook (long and template sheets) are esgledger's own
(:mod:`esgledger.ledger.imports.shipped`). A file goes to the one layout of its suffix
that recognises it; when none does, to the layout of that suffix that reads any such file,
whose messages then say what is wrong with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import polars as pl

from esgledger.errors import Location, Phrase
from esgledger.ledger.imports.csvtable import CHUNK_ROWS
from esgledger.ledger.imports.limits import Budget, ImportLimits
from esgledger.ledger.imports.rows import (
    ROW_COLUMNS,
    ROW_SCHEMA,
    ImportFileError,
    require_short_cells,
)
from esgledger.plugins import PluginError, Provided, collect, plugin_failures

Progress = Callable[[int], None]


@dataclass(frozen=True)
class LayoutSource:
    """The file a layout reads, with the limits every row is counted against."""

    path: Path
    where: str  # what messages call the file
    limits: ImportLimits
    budget: Budget
    progress: Progress | None = None

    def count(self, cells: Sequence[Any], row: int, sheet: str | None = None) -> None:
        """Count one row read against the limits; refuses an over-long cell, naming it."""
        self.budget.take(len(cells), empty=not any(c not in (None, "") for c in cells))
        at = Location(file=self.where, sheet=sheet, row=row)
        require_short_cells(cells, at, self.limits.max_cell_chars)


@dataclass(frozen=True)
class ImportLayout:
    """One layout: the suffixes it reads and the function turning a file into rows.

    ``read`` yields one tuple per value in the order of ``ROW_COLUMNS`` (sheet, row,
    cell_column, then the long layout's columns), every cell as the text the user wrote;
    or, with ``frames``, polars frames of those columns (``ROW_SCHEMA``), a chunk each, so
    that a large file never lives as Python tuples (the shipped CSV layout does this).
    ``recognises`` tells this layout's files apart from others of the same suffix (by
    their header, say); a layout without it reads every file of its suffixes that no
    other layout recognises.
    """

    name: str
    description: str
    suffixes: tuple[str, ...]
    read: (
        Callable[[LayoutSource], Iterable[tuple]] | Callable[[LayoutSource], Iterable[pl.DataFrame]]
    )
    recognises: Callable[[Path], bool] | None = None
    frames: bool = False


def layouts() -> dict[str, Provided[ImportLayout]]:
    """Every registered import layout by name, with the plugin that provides it."""
    from esgledger.ledger.imports import shipped

    return collect("esgledger_import_layouts", ImportLayout, _name, shipped)


def _name(layout: ImportLayout) -> str:
    return layout.name


def accepted_suffixes() -> tuple[str, ...]:
    """Every file suffix some layout reads (``.csv``, ``.xlsx`` ...), for upload forms."""
    found = (s for provided in layouts().values() for s in provided.item.suffixes)
    return tuple(dict.fromkeys(found))


def layout_for(path: Path, where: str) -> Provided[ImportLayout]:
    """The layout that reads ``path``.

    Raises:
        ImportFileError: no layout reads the suffix, or two layouts claim the file.
    """
    suffix = path.suffix.lower()
    candidates = [p for p in layouts().values() if suffix in p.item.suffixes]
    if not candidates:
        raise ImportFileError.coded(
            "import.file.suffix",
            where=where,
            plugins=_plugin_suffixes(),
            suffix=suffix or Phrase.of("import.file.no_suffix"),
        )
    claiming = [p for p in candidates if p.item.recognises and _recognises(p, path)]
    claiming = claiming or [p for p in candidates if p.item.recognises is None]
    if len(claiming) != 1:
        raise _not_one(where, suffix, claiming)
    return claiming[0]


def _plugin_suffixes() -> Phrase | str:
    extra = [s for s in accepted_suffixes() if s not in (".csv", ".xlsx", ".xlsm")]
    return Phrase.of("import.file.plugin_suffixes", suffixes=", ".join(extra)) if extra else ""


def _recognises(provided: Provided[ImportLayout], path: Path) -> bool:
    what = Phrase.of("plugin.what.layout_looking", layout=provided.item.name, file=path.name)
    with plugin_failures(provided.plugin, what):
        return bool(provided.item.recognises(path))


def _not_one(where: str, suffix: str, claiming: list[Provided[ImportLayout]]) -> ImportFileError:
    if not claiming:
        return ImportFileError.coded("import.file.no_layout", where=where, suffix=suffix)
    named = ", ".join(f"{p.item.name!r} (plugin {p.plugin!r})" for p in claiming)
    return ImportFileError.coded("import.file.two_layouts", where=where, named=named, suffix=suffix)


def read_rows(provided: Provided[ImportLayout], source: LayoutSource) -> Iterator[tuple]:
    """The layout's rows; a plugin layout's rows are checked and its failures named."""
    from esgledger.ledger.imports import shipped

    if provided.plugin == shipped.__name__:
        yield from provided.item.read(source)
        return
    what = Phrase.of("plugin.what.layout_reading", layout=provided.item.name, where=source.where)
    with plugin_failures(provided.plugin, what):
        for record in provided.item.read(source):
            if not isinstance(record, tuple) or len(record) != len(ROW_COLUMNS):
                raise PluginError.coded(
                    "plugin.layout_row",
                    plugin=provided.plugin,
                    layout=provided.item.name,
                    record=repr(record),  # a tuple param would read as alternatives
                    count=len(ROW_COLUMNS),
                    columns=", ".join(ROW_COLUMNS),
                )
            yield record


def layout_frames(provided: Provided[ImportLayout], source: LayoutSource) -> Iterator[pl.DataFrame]:
    """The file's rows as frames of ``ROW_SCHEMA``, a chunk each.

    Only one chunk of records is ever held as Python tuples; a frame keeps the cells in
    polars' compact columns, a fraction of the memory of the tuples they came from.
    """
    if provided.item.frames:
        for frame in provided.item.read(source):
            if frame.columns != list(ROW_COLUMNS):
                raise PluginError.coded(
                    "plugin.layout_frame",
                    plugin=provided.plugin,
                    layout=provided.item.name,
                    columns=str(frame.columns),
                    expected=", ".join(ROW_COLUMNS),
                )
            yield frame
        return
    records = read_rows(provided, source)
    while chunk := list(islice(records, CHUNK_ROWS)):
        yield pl.DataFrame(chunk, schema=ROW_SCHEMA, orient="row")
