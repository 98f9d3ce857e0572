"""Uploads that bad input cannot bring down: fast, clear 4xx answers, and nothing imported."""

from __future__ import annotations

import pytest

from tests.api.test_observations import csv_bytes
from tests.import_files import (
    ELECTRICITY,
    HEADER,
    MONTHS,
    forged_sheet,
    with_dimension,
    workbook_bytes,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, name, content, kind="text/csv"):
    return client.post("/api/v1/imports", files={"file": (name, content, kind)})


def imported(api) -> int:
    return api.client("admin").get("/api/v1/observations").json()["total"]


def limit(api, **values) -> None:
    """Give the running application lower import limits (ESGLEDGER_IMPORT_*)."""
    settings = api.app.state.settings
    api.app.state.settings = settings.model_copy(
        update={f"import_{k}": v for k, v in values.items()}
    )


def test_a_5_kb_workbook_declaring_the_largest_sheet_is_read_as_the_cells_it_holds(api):
    """The reader never pads to the declared A1:XFD1048576: a cell budget a little above
    what the 13 written rows hold is enough (padding would read 16,384 cells a row and
    a million empty rows, and be refused at the budget). Counting cells, not seconds,
    keeps the check independent of the machine's load."""
    honest = workbook_bytes([HEADER, *MONTHS])
    forged = forged_sheet(honest)
    assert len(forged) < 6000
    limit(api, max_cells=len(HEADER) * 14)
    response = upload(api.client("admin"), "forged.xlsx", forged, XLSX)
    assert response.status_code == 200, response.text
    assert response.json()["rows"] == 12


def test_a_stale_dimension_imports_every_row_through_the_api(api):
    stale = with_dimension(workbook_bytes([HEADER, *MONTHS]), "A1")
    response = upload(api.client("admin"), "stale.xlsx", stale, XLSX)
    assert response.status_code == 200 and response.json()["rows"] == 12


def test_a_file_over_the_size_limit_is_a_413_saying_the_limit_and_the_fix(api):
    limit(api, max_bytes=1000)
    content = csv_bytes(
        [("SMELT", f"2024-{m:02d}", ELECTRICITY, "5", "MWh", "") for m in range(1, 13)] * 3
    )
    response = upload(api.client("admin"), "big.csv", content)
    assert response.status_code == 413
    message = response.json()["error"]["message"]
    assert message.startswith("big.csv: the file has more than ")
    assert "limit of 1,000 bytes" in message and "ESGLEDGER_IMPORT_MAX_BYTES" in message
    assert "esgledger-upload" not in message and imported(api) == 0


def test_an_upload_declaring_too_many_bytes_is_refused_before_it_is_received(api):
    limit(api, max_bytes=1000)
    content = csv_bytes([("SMELT", "2024", ELECTRICITY, "5", "MWh", "x" * 30_000)] * 5)
    response = upload(api.client("admin"), "huge.csv", content)
    assert response.status_code == 413
    message = response.json()["error"]["message"]
    assert message.startswith("upload: the request has ") and "limit of 1,000 bytes" in message


def test_too_many_rows_is_a_413_given_once_the_limit_is_passed(api):
    limit(api, max_rows=4)
    rows = [("SMELT", f"2024-{m:02d}", ELECTRICITY, "5", "MWh", "") for m in range(1, 13)]
    response = upload(api.client("admin"), "rows.csv", csv_bytes(rows))
    assert response.status_code == 413
    assert "more than 4 rows" in response.json()["error"]["message"]
    assert imported(api) == 0


def test_an_error_list_is_capped_and_the_rest_summarised(api):
    rows = [("NOWHERE", "2024", f"indicator.{n}", "x", "", "") for n in range(2_000)]
    response = upload(api.client("admin"), "bad.csv", csv_bytes(rows))
    assert response.status_code == 422
    body = response.json()
    assert len(body["errors"]) == 100
    message = body["error"]["message"]
    assert message.startswith("bad.csv: 6,000 problem(s) in 2,000 row(s); nothing was imported")
    assert "and 5,900 more problems of these kinds: " in message
    assert "unknown entity (1,966)" in message and "unknown indicator (1,967)" in message
    assert len(response.content) < 40_000


@pytest.mark.parametrize(
    ("header", "named"),
    [(["value", "数值"], "D ('value') and E ('数值')"), (["value", "value"], "D ('value') and E")],
)
def test_a_header_naming_the_value_twice_is_a_clear_error(api, header, named):
    content = f"entity,period,indicator,{','.join(header)}\nSMELT,2024,{ELECTRICITY},1,2\n"
    response = upload(api.client("admin"), "twice.csv", content.encode())
    assert response.status_code == 400
    assert f"columns {named}" in response.json()["error"]["message"]
    assert imported(api) == 0


def test_a_cell_over_131072_characters_is_a_clear_error_not_a_500(api):
    content = csv_bytes([("SMELT", "2024", ELECTRICITY, "1", "MWh", "z" * 140_000)])
    response = upload(api.client("admin"), "long.csv", content)
    assert response.status_code == 400
    assert "long.csv, row 2: the cell holds more characters" in response.json()["error"]["message"]


@pytest.mark.parametrize("name", ["..", ".", "...", "/", "a/..", "..\\..", " . "])
def test_a_name_that_names_no_file_is_refused_clearly(api, name):
    response = upload(
        api.client("admin"), name, csv_bytes([("SMELT", "2024", ELECTRICITY, "1", "", "")])
    )
    assert response.status_code == 400, response.text
    assert "is not a file name esgledger can use" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../etc/passwd.csv", "passwd.csv"),
        ("C:\\Users\\li\\d.csv", "d.csv"),
        ("a\x7fb?.csv", "a_b_.csv"),
    ],
)
def test_an_upload_keeps_only_a_harmless_base_name(api, name, kept):
    response = upload(
        api.client("admin"), name, csv_bytes([("SMELT", "2024", ELECTRICITY, "1", "", "")])
    )
    assert response.status_code == 200, response.text
    history = api.client("admin").get(
        "/api/v1/observations/history",
        params={"entity": "SMELT", "period": "2024", "indicator": ELECTRICITY},
    )
    assert history.json()[0]["source_file"] == kept


def test_a_very_long_name_is_shortened_keeping_its_suffix(api):
    response = upload(api.client("admin"), "x" * 300 + ".csv", b"")
    assert response.status_code == 400  # an empty file, reported under its shortened name
    message = response.json()["error"]["message"]
    assert message.startswith("x" * 116 + ".csv, row 1: the header lacks")
