"""Fuzzing the importer: whatever the file, it imports or says what is wrong, never crashes.

Hypothesis builds CSV and XLSX files of random structure (headers named twice or missing,
aliases, random and huge cell text, random sheet names, merged cells, template marker
rows, dimensions that lie, damaged zips, random bytes) and runs them through
``import_file``, the entry point of `esgledger import` (the API runs the same reader and
checks). Every outcome must be an import or an :class:`EsgError` of kind USER.

``FUZZ_EXAMPLES`` sets the number of files per test (default 40, about 30 s in all).
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from tests.conftest import SMALL_GROUP

from esgledger.catalog import load_catalog
from esgledger.errors import ErrorKind, EsgError
from esgledger.ledger import calendar
from esgledger.ledger.database import migrate, open_database, unit_of_work
from esgledger.ledger.imports.apply import import_file
from esgledger.ledger.imports.layout import HEADER_ALIASES, LONG_COLUMNS, TEMPLATE_MARK
from esgledger.ledger.imports.limits import ImportLimits
from esgledger.ledger.imports.reader import LOCAL_FILES
from esgledger.ledger.imports.upload import saved_upload, upload_name
from esgledger.ledger.orgstore import save_entities

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CATALOG = load_catalog()
TIGHT = ImportLimits(max_bytes=64_000, max_rows=40, max_cells=400, max_cell_chars=5_000)

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
# Past our cell limit, and past the csv module's own field limit (131,072 characters).
huge = st.builds(lambda c, n: c * n, st.sampled_from('x数=\n"'), st.sampled_from([5_001, 131_073]))
cell = st.one_of(
    st.none(),
    text,
    st.sampled_from(["SMELT", "METAL", "GRP", "2024", "2024-01", "2023-13", "2024-Q1", ""]),
    st.sampled_from(["energy.purchased_electricity", "production.reo_output", "MWh", "kWh"]),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(-(10**20), 10**20).map(str),
    huge,
)
header_name = st.one_of(st.sampled_from(sorted(HEADER_ALIASES)), text)
header = st.one_of(
    st.lists(header_name, max_size=9),  # mostly missing columns
    st.permutations(LONG_COLUMNS).map(list),  # valid, in any order
    st.tuples(st.permutations(LONG_COLUMNS), st.lists(header_name, max_size=3)).map(
        lambda parts: [*parts[0], *parts[1]]  # valid plus extra columns, some named twice
    ),
)
rows = st.lists(st.lists(cell, max_size=9), max_size=12)
limits = st.sampled_from([LOCAL_FILES, TIGHT])
MARKERS = [
    None,
    [TEMPLATE_MARK, "entity", "SMELT"],
    [TEMPLATE_MARK, "year", "2024"],
    [TEMPLATE_MARK],
]


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    """One SQLite ledger for all the examples: a fuzzed import may well succeed."""
    database = open_database(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}")
    migrate(database)
    with unit_of_work(database) as session:
        calendar.open_years(session, "tester", [2023, 2024])
        save_entities(session, "tester", SMALL_GROUP)
    yield database
    database.dispose()


def imports_or_says_why(database, path: Path, limits: ImportLimits) -> None:
    try:
        with unit_of_work(database) as session:
            import_file(session, path, "fuzz", CATALOG, limits=limits)
    except EsgError as exc:
        assert exc.kind is ErrorKind.USER, exc
        assert str(exc)


def csv_file(head: list[str], body: list[list[str | None]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(head)
    writer.writerows([[c or "" for c in row] for row in body])
    return out.getvalue().encode("utf-8")


@FUZZ
@given(head=header, body=rows, raw=st.binary(max_size=300), how=st.integers(0, 3), lim=limits)
def test_any_csv_imports_or_is_refused_with_a_user_error(
    ledger, tmp_path, head, body, raw, how, lim
):
    data = csv_file(head, body)
    if how == 1:
        data = raw  # random bytes
    elif how == 2:
        data = data[: len(data) // 2] + raw  # a file cut and continued with noise
    elif how == 3:
        data = b"\xef\xbb\xbf" + data.replace(b",", b";")  # a BOM and another separator
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    imports_or_says_why(ledger, path, lim)


def safe(value: str | None) -> str | None:
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


@st.composite
def workbooks(draw) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for number in range(draw(st.integers(1, 3))):
        title = re.sub(r"[\[\]:*?/\\']", "", draw(text))[:31] or f"s{number}"
        sheet = book.create_sheet(f"{title}{number}"[-31:])
        marker = draw(st.sampled_from(MARKERS))
        if marker:
            sheet.append(marker)
        sheet.append([safe(c) for c in draw(header)])
        for row in draw(rows):
            sheet.append([safe(c)[:32_000] if c else c for c in row])
        for _ in range(draw(st.integers(0, 2))):
            top, left = draw(st.integers(1, 6)), draw(st.integers(1, 6))
            sheet.merge_cells(
                start_row=top, start_column=left, end_row=top + 1, end_column=left + 2
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def lie_about_dimensions(xlsx: bytes, ref: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(
                    rb'<dimension ref="[^"]*" ?/>', f'<dimension ref="{ref}"/>'.encode(), data
                )
            target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


@FUZZ
@given(
    xlsx=workbooks(),
    ref=st.sampled_from(["A1", "A1:XFD1048576", "B2:C3", "ZZZ", "A0"]),
    how=st.integers(0, 4),
    cut=st.integers(0, 3000),
    raw=st.binary(max_size=300),
    lim=limits,
)
def test_any_workbook_imports_or_is_refused_with_a_user_error(
    ledger, tmp_path, xlsx, ref, how, cut, raw, lim
):
    data = xlsx
    if how == 1:
        data = lie_about_dimensions(xlsx, ref)
    elif how == 2:
        data = xlsx[:cut] + raw  # a damaged zip
    elif how == 3:
        data = raw
    elif how == 4:
        data = xlsx[:cut] + bytes(b ^ 0x5A for b in xlsx[cut : cut + 64]) + xlsx[cut + 64 :]
    path = tmp_path / "fuzz.xlsx"
    path.write_bytes(data)
    imports_or_says_why(ledger, path, lim)


@FUZZ
@given(name=st.one_of(st.none(), text, st.text(st.sampled_from("./\\. :*?\x00ab"), max_size=12)))
def test_any_upload_name_stays_in_the_upload_folder_or_is_refused(name):
    try:
        with saved_upload(io.BytesIO(b"x"), name, ImportLimits()) as path:
            assert path.parent.name.startswith("esgledger-upload-")
            assert path.name == upload_name(name) and path.read_bytes() == b"x"
    except EsgError as exc:
        assert exc.kind is ErrorKind.USER
