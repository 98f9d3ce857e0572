"""Factor files as CSV: one factor per row, the dataset's own fields on any row.

The columns are the fields of a YAML factor file: a factor's (``key``, ``value``, ``unit``,
``confidence``, ``region``, ``valid_from``, ``valid_to``, ``citation``, ``notes``,
``version``, ``new_key``) and the file's (``dataset`` for ``name``, ``title``, ``version``,
``source``, ``description``, ``url``, ``gwp_set``, ``replaces``), with the override scope as
two columns, ``entities`` and ``years``, several values separated by ``;`` or ``|`` (or by
``,`` in a quoted cell: codes and years hold no comma, so ``"SMELT, MINE"`` is two entities).

A file holds one dataset, as a YAML file does: a file column may be filled on one row only
or repeated, but two rows may not disagree. ``version`` is both: the dataset's version is
the first one written, and a row with another version keeps it, as a YAML factor's does.
Rows are numbered as a spreadsheet shows them: the header is row 1. A row must have one
cell per column of the header; one that does not (an unquoted comma, a decimal comma) is a
single problem of its row, not a problem for each cell it shifted. A file separated by
``;`` or tabs (a spreadsheet saved in another locale) is one problem of its header row.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from esgledger.errors import Joined, Location, Phrase, Problem
from esgledger.factors.errors import FactorFileError
from esgledger.factors.model import FactorEntry, OverrideScope, SetHeader
from esgledger.factors.validation import THE_FILE, THIS_FACTOR, Loc, Parsed, hint, validate

_RENAMED = {"name": "dataset"}  # a SetHeader field → its column
_FIELDS = {column: name for name, column in _RENAMED.items()}
SCOPE_COLUMNS = tuple(OverrideScope.model_fields)
_NOT_COLUMNS = {"factors", "defaults", "overrides"}  # rows, cells and the scope columns
FILE_COLUMNS = (
    *(_RENAMED.get(n, n) for n in SetHeader.model_fields if n not in _NOT_COLUMNS),
    *SCOPE_COLUMNS,
)
FACTOR_COLUMNS = tuple(FactorEntry.model_fields)
COLUMNS = tuple(dict.fromkeys((*FACTOR_COLUMNS, *FILE_COLUMNS)))
REQUIRED = tuple(
    _RENAMED.get(name, name)
    for model in (FactorEntry, SetHeader)
    for name, info in model.model_fields.items()
    if info.is_required() and name != "factors"
)
_REQUIRED_FILE_COLUMNS = tuple(column for column in REQUIRED if column in FILE_COLUMNS)
_SPLIT = re.compile(r"[;|,]")
_SEPARATORS = {  # what a spreadsheet may save instead of commas
    ";": Phrase.of("factor.csv.by_semicolons"),
    "\t": Phrase.of("factor.csv.by_tabs"),
}

Row = tuple[int, dict[str, str]]
FirstCells = dict[str, tuple[str, int]]  # file column → its text and the row it is on


@dataclass(frozen=True)
class _CsvOrigin:
    """The cells of one row, or the file columns with the row each was first written on."""

    path: Path
    cells: dict[str, str]
    row: int
    rows: dict[str, int]  # a column's own row, where it differs from ``row``

    def field(self, loc: Loc) -> str | None:
        if not loc:
            return None
        if loc[0] == "overrides":
            return str(loc[1]) if len(loc) > 1 and loc[1] in SCOPE_COLUMNS else "entities"
        return _RENAMED.get(str(loc[0]), str(loc[0]))

    def label(self, loc: Loc) -> str:
        return self.field(loc) or ""

    def location(self, field: str | None) -> Location:
        row = self.rows.get(field or "", self.row)
        return Location(file=str(self.path), row=row, column=field)

    def shown(self, field: str | None) -> str | None:
        return self.cells.get(field or "")

    def add(self, field: str | Phrase, hint: Phrase) -> Phrase:
        return Phrase.of("factor.field.fill_column", field=field, hint=hint)


def read_csv_factors(path: Path) -> Parsed:
    """The header and factors of a CSV factor file, with every problem found.

    Raises:
        FactorFileError: the file is not UTF-8 CSV, or its header row is wrong or alone, so
            no row can be checked.
    """
    records = _records(path)
    columns = [cell.strip().lower().replace(" ", "_") for cell in records[0]]
    problems = _column_problems(path, columns)
    if problems:
        raise FactorFileError.refusing(problems, "factor.file.bad_header", file=path)
    rows, refused = _rows(path, columns, records[1:], problems)
    if not rows:
        problems = problems or [_at(path, 2, None, "factor.csv.no_rows")]
        raise FactorFileError.refusing(problems, "load.problems", file=path, count=len(problems))
    first = _first_cells(path, rows, problems)
    header = _file_header(path, first, rows, refused, problems)
    entries = _entries(path, rows, problems)
    scope = [first[column][1] for column in SCOPE_COLUMNS if column in first]
    scope_at = Location(file=str(path), row=min(scope, default=rows[0][0]), column="entities")
    return Parsed(header, entries, problems, scope_at)


def split_cell(text: str) -> list[str]:
    """``SMELT; MINE``, ``SMELT|MINE`` or ``SMELT, MINE`` → ``["SMELT", "MINE"]``."""
    return [part.strip() for part in _SPLIT.split(text) if part.strip()]


def _records(path: Path) -> list[list[str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _unreadable(path, None, "factor.csv.not_utf8", byte=exc.start) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = list(reader)
    except csv.Error as exc:
        raise _unreadable(path, reader.line_num, "factor.csv.not_csv", detail=str(exc)) from None
    if not records or not any(cell.strip() for cell in records[0]):
        raise _unreadable(path, 1, "factor.csv.no_columns", columns=",".join(REQUIRED))
    _refuse_other_separators(path, records[0])
    return records


def _refuse_other_separators(path: Path, header: list[str]) -> None:
    """A header of one column holding ``;`` or tabs: the file is not separated by commas,
    and each column it names would otherwise be reported missing."""
    if len(header) != 1:
        return
    for separator, name in _SEPARATORS.items():
        names = header[0].split(separator)
        if len(names) > 1:
            shown = separator.join(names[:3]) + (f"{separator}..." if len(names) > 3 else "")
            shown = shown.replace("\t", "\\t")
            raise _unreadable(path, 1, "factor.csv.other_separator", shown=shown, by=name)


def _column_problems(path: Path, columns: list[str]) -> list[Problem]:
    """Unknown, repeated and missing columns of the header row (row 1)."""
    problems, guessed = [], set()
    for position, name in enumerate(columns):
        if name and name in columns[:position]:
            problems.append(_at(path, 1, name, "factor.csv.column_twice", name=name))
        elif name and name not in COLUMNS:
            close = difflib.get_close_matches(name, COLUMNS, n=1)
            guessed.update(close)
            guess = Phrase.of("factor.guess", known=close[0]) if close else ""
            known = Joined(COLUMNS)
            problems.append(
                _at(path, 1, name, "factor.csv.unknown_column", name=name, guess=guess, known=known)
            )
    for name in REQUIRED:
        if name not in columns and name not in guessed:
            problems.append(_at(path, 1, name, "factor.csv.no_column", name=name, hint=hint(name)))
    return problems


def _rows(
    path: Path, columns: list[str], records: list[list[str]], problems: list[Problem]
) -> tuple[list[Row], int]:
    """Rows as {column: text}, empty cells and blank rows left out, numbered from row 2.

    A row whose cells do not line up with the header's columns gets one problem and no
    field checks: its values sit under the wrong columns, so each check would blame a
    column the user did not get wrong. Also returns how many rows were refused so.
    """
    rows, refused = [], 0
    for number, record in enumerate(records, start=2):
        if not any(cell.strip() for cell in record):
            continue
        problem = _misaligned(path, number, columns, record)
        if problem is not None:
            problems.append(problem)
            refused += 1
            continue
        pairs = zip(columns, (cell.strip() for cell in record), strict=True)
        rows.append((number, {name: cell for name, cell in pairs if name and cell}))
    return rows, refused


def _misaligned(path: Path, number: int, columns: list[str], record: list[str]) -> Problem | None:
    """A row with more or fewer cells than the header, or a value under an unnamed column."""
    if len(record) != len(columns):
        code = "factor.csv.more_cells" if len(record) > len(columns) else "factor.csv.fewer_cells"
        return _at(path, number, None, code, row=number, cells=len(record), columns=len(columns))
    pairs = zip(columns, (cell.strip() for cell in record), strict=True)
    unnamed = [cell for name, cell in pairs if not name and cell]
    if unnamed:
        return _at(path, number, None, "factor.csv.unnamed_column", value=unnamed[0])
    return None


def _entries(path: Path, rows: list[Row], problems: list[Problem]) -> list[tuple[FactorEntry, int]]:
    """Validate each row's factor columns as a factor."""
    entries = []
    for number, row in rows:
        data = {column: text for column, text in row.items() if column in FACTOR_COLUMNS}
        origin = _CsvOrigin(path, row, number, {})
        entry = validate(data, FactorEntry, THIS_FACTOR, origin, problems)
        if entry is not None:
            entries.append((entry, number))
    return entries


def _first_cells(path: Path, rows: list[Row], problems: list[Problem]) -> FirstCells:
    """Each file column's text, from the first row that fills it; other rows must agree."""
    first: FirstCells = {}
    for number, cells in rows:
        for column in FILE_COLUMNS:
            text = cells.get(column)
            if text is not None and column not in first:
                first[column] = (text, number)
            elif text is not None and column != "version":
                problems.extend(_disagreement(path, column, (text, number), first[column]))
    return first


def _disagreement(
    path: Path, column: str, cell: tuple[str, int], earlier: tuple[str, int]
) -> list[Problem]:
    """A file column one row fills differently from an earlier row, as a problem."""
    if _normal(column, cell[0]) == _normal(column, earlier[0]):
        return []
    return [
        _at(
            path,
            cell[1],
            column,
            "factor.csv.differs",
            value=cell[0],
            column=column,
            row=earlier[1],
            earlier=earlier[0],
        )
    ]


def _file_header(
    path: Path, first: FirstCells, rows: list[Row], refused: int, problems: list[Problem]
) -> SetHeader | None:
    """The dataset's fields, checked; not checked when one is missing and a refused row
    (see :func:`_rows`) may hold it, since that row's own problem is the one to fix."""
    if refused and any(column not in first for column in _REQUIRED_FILE_COLUMNS):
        return None
    cells = {column: text for column, (text, _) in first.items()}
    origin = _CsvOrigin(path, cells, rows[0][0], {c: row for c, (_, row) in first.items()})
    return validate(_header(first, rows), SetHeader, THE_FILE, origin, problems)


def _header(first: FirstCells, rows: list[Row]) -> dict[str, Any]:
    """What a YAML file's top mapping would hold, for :class:`SetHeader`."""
    data: dict[str, Any] = {
        _FIELDS.get(column, column): text
        for column, (text, _) in first.items()
        if column not in SCOPE_COLUMNS
    }
    scope = {column: split_cell(first[column][0]) for column in SCOPE_COLUMNS if column in first}
    if scope:
        data["overrides"] = scope
    data["factors"] = [number for number, _ in rows]
    return data


def _normal(column: str, text: str) -> object:
    return split_cell(text) if column in SCOPE_COLUMNS else text


def _at(
    path: Path,
    row: int | None,
    column: str | None,
    code: str,
    /,
    value: str | None = None,
    **params: object,
) -> Problem:
    return Problem.coded(Location(file=str(path), row=row, column=column), value, code, **params)


def _unreadable(path: Path, row: int | None, code: str, /, **params: object) -> FactorFileError:
    problem = _at(path, row, None, code, **params)
    return FactorFileError.refusing([problem], "load.unreadable", file=path)
