"""Imports that bad input cannot bring down: limits, lying workbooks, ambiguous headers.

Each file here is refused whole with a message naming what was wrong and what to do, and
nothing of it reaches the ledger; limits are set low so that the files stay small.
"""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from tests.import_files import (
    ELECTRICITY,
    HEADER,
    MONTHS,
    forged_sheet,
    rewrite_part,
    with_dimension,
    with_extra_part,
    workbook_bytes,
)

from esgledger.catalog import load_catalog
from esgledger.errors import ErrorKind
from esgledger.ledger import revisions
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.imports.apply import ImportRejected, import_file
from esgledger.ledger.imports.limits import ImportLimits, ImportTooLarge
from esgledger.ledger.imports.reader import LOCAL_FILES, ImportFileError, read_table

SMALL = ImportLimits(max_bytes=4096, max_rows=5, max_cells=60, max_problems=3)


def run_import(database, path, limits=LOCAL_FILES):
    with unit_of_work(database) as session:
        return import_file(session, path, "reporter", load_catalog(), limits=limits)


def stored(database) -> int:
    with unit_of_work(database) as session:
        return len(revisions.latest_revisions(session))


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_stale_dimension_record_does_not_cut_the_sheet_to_its_first_row(ledger, tmp_path):
    stale = with_dimension(workbook_bytes([HEADER, *MONTHS]), "A1")
    result = run_import(ledger, write(tmp_path, "stale.xlsx", stale))
    assert (result.rows, result.new_revisions) == (12, 12)


def test_a_forged_huge_dimension_is_read_as_the_rows_that_are_there(tmp_path):
    forged = forged_sheet(workbook_bytes([HEADER, *MONTHS]))
    path = write(tmp_path, "forged.xlsx", forged)
    assert path.stat().st_size < 6000
    started = time.monotonic()
    table = read_table(path, limits=ImportLimits())
    assert time.monotonic() - started < 2
    assert table.frame.height == 12


@pytest.mark.parametrize(
    ("header", "named"),
    [
        (["entity", "period", "indicator", "value", "数值", "unit"], "D ('value') and E ('数值')"),
        (
            ["entity", "period", "indicator", "value", "unit", "Value"],
            "D ('value') and F ('Value')",
        ),
        (["实体", "period", "entity", "indicator", "value"], "A ('实体') and C ('entity')"),
    ],
)
def test_a_column_named_twice_is_refused_naming_both(ledger, tmp_path, write_csv, header, named):
    row = {"entity": "SMELT", "period": "2024", "indicator": ELECTRICITY, "value": "1"}
    cells = [row.get(name, "2") for name in ("entity", "period", "indicator", "value")]
    csv_path = write_csv("twice.csv", [(*cells, "3", "MWh")], header=",".join(header))
    xlsx_path = write(tmp_path, "twice.xlsx", workbook_bytes([header, [*cells, "3", "MWh"]]))
    for path in (csv_path, xlsx_path):
        with pytest.raises(ImportFileError) as caught:
            run_import(ledger, path)
        assert f"columns {named} both give the" in str(caught.value)
        assert "row 1" in str(caught.value)
    assert stored(ledger) == 0


def test_a_template_with_two_columns_for_one_period_is_refused(tmp_path):
    rows = [
        ["esgledger template v1", "entity", "SMELT"],
        ["indicator", "en", "zh", "unit", "2024-01", "2024-01"],
        [ELECTRICITY, "", "", "MWh", 1, 2],
    ]
    with pytest.raises(ImportFileError, match="columns E and F are both headed '2024-01'"):
        read_table(write(tmp_path, "wide.xlsx", workbook_bytes(rows)))


def test_a_csv_cell_past_the_csv_modules_own_limit_is_a_clear_error(ledger, write_csv):
    path = write_csv("long.csv", [("SMELT", "2024", ELECTRICITY, "1", "MWh", "x" * 140_000)])
    with pytest.raises(ImportFileError) as caught:
        run_import(ledger, path)
    assert "row 2" in str(caught.value)
    assert "a cell may hold at most 32,767" in str(caught.value)
    assert caught.value.kind is ErrorKind.USER and stored(ledger) == 0


def test_an_over_long_cell_is_named_by_row_and_column(tmp_path, write_csv):
    comment = "y" * 5_000
    csv_path = write_csv("long.csv", [("SMELT", "2024", ELECTRICITY, "1", "MWh", comment)])
    xlsx = workbook_bytes([[*HEADER, "comment"], ["SMELT", "2024", ELECTRICITY, 1, "MWh", comment]])
    limits = ImportLimits(max_cell_chars=1_000)
    for path in (csv_path, write(tmp_path, "long.xlsx", xlsx)):
        expected = (
            r"row 2, column 'F': the cell holds 5,000 characters; a cell may hold at most 1,000"
        )
        with pytest.raises(ImportFileError, match=expected):
            read_table(path, limits=limits)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_more_rows_than_the_limit_are_refused_once_the_limit_is_passed(tmp_path, suffix):
    rows = [HEADER, *MONTHS]
    if suffix == "csv":
        data = "\n".join(",".join(map(str, row)) for row in rows).encode()
    else:
        data = workbook_bytes(rows)
    path = write(tmp_path, f"many.{suffix}", data)
    with pytest.raises(ImportTooLarge) as caught:
        read_table(path, limits=replace(SMALL, max_bytes=1 << 20))
    message = str(caught.value)
    assert (
        f"many.{suffix}: more than 5 rows (headers included), over the import limit of 5 rows"
        in message
    )
    assert "ESGLEDGER_IMPORT_MAX_ROWS" in message


def test_empty_cells_inside_rows_count_against_the_cell_limit(tmp_path):
    wide = [[*HEADER, *[None] * 60, "stray"], MONTHS[0]]
    path = write(tmp_path, "wide.xlsx", workbook_bytes(wide))
    with pytest.raises(ImportTooLarge, match="more than 60 cells"):
        read_table(path, limits=replace(SMALL, max_bytes=1 << 20))


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(ledger, write_csv):
    path = write_csv(
        "big.csv", [("SMELT", "2024", ELECTRICITY, str(n), "MWh", "") for n in range(200)]
    )
    with pytest.raises(ImportTooLarge) as caught:
        run_import(ledger, path, limits=SMALL)
    size = path.stat().st_size
    assert f"big.csv: the file has {size:,} bytes" in str(caught.value)
    assert "limit of 4,096 bytes" in str(caught.value) and stored(ledger) == 0


def test_a_zip_bomb_is_refused_from_its_directory_without_unpacking(tmp_path):
    bomb = with_extra_part(workbook_bytes([HEADER, *MONTHS]), "xl/padding.xml", b" " * (30 << 20))
    path = write(tmp_path, "bomb.xlsx", bomb)
    assert path.stat().st_size < 100_000
    started = time.monotonic()
    with pytest.raises(ImportTooLarge, match=r"'xl/padding.xml' would unpack to [0-9,]+ times"):
        read_table(path)
    assert time.monotonic() - started < 1
    with pytest.raises(ImportTooLarge, match=r"would unpack to [0-9,]+ bytes"):
        read_table(path, limits=ImportLimits(max_unzipped_bytes=1 << 20, max_zip_ratio=10_000))


def test_a_damaged_sheet_is_a_clear_error_not_a_crash(tmp_path):
    damaged = rewrite_part(
        workbook_bytes([HEADER, *MONTHS]), "xl/worksheets/sheet1.xml", lambda xml: xml[:-300]
    )
    with pytest.raises(ImportFileError, match="cannot be read as an XLSX workbook"):
        read_table(write(tmp_path, "damaged.xlsx", damaged))


def test_a_long_problem_list_shows_the_first_and_counts_the_rest_by_kind(ledger, write_csv):
    rows = [("NOWHERE", "2024", ELECTRICITY, "1", "MWh", "")] * 4
    rows += [("SMELT", f"2024-{m:02d}", ELECTRICITY, "n/a", "MWh", "") for m in range(1, 9)]
    with pytest.raises(ImportRejected) as caught:
        run_import(
            ledger,
            write_csv("bad.csv", rows),
            limits=replace(SMALL, max_rows=20, max_cells=200, max_bytes=1 << 20),
        )
    rejected = caught.value
    assert len(rejected.problems) == 3 and len(str(rejected).splitlines()) == 4
    assert rejected.omitted == {"unknown entity": 2, "duplicate rows": 2, "not a number": 8}
    assert rejected.message.endswith(
        "and 12 more problems of these kinds: not a number (8), unknown entity (2), "
        "duplicate rows (2)"
    )
    assert stored(ledger) == 0


def test_a_problem_echoes_at_most_a_readable_part_of_a_huge_cell(ledger, write_csv):
    with pytest.raises(ImportRejected) as caught:
        run_import(ledger, write_csv("bad.csv", [("S" * 20_000, "2024", ELECTRICITY, "1", "", "")]))
    (problem,) = caught.value.problems
    assert problem.value.startswith("S" * 200 + "… (20,000 characters)")
    assert len(str(caught.value)) < 1000
