"""Importing files: atomic, idempotent, unit-converting, and every bad row reported."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from esgledger.catalog import load_catalog
from esgledger.ledger import calendar, revisions
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.imports.apply import ImportRejected, import_file
from esgledger.ledger.schema import Revision

ELECTRICITY, GAS, REO = (
    "energy.purchased_electricity",
    "energy.natural_gas",
    "production.reo_output",
)


def run_import(database, path, **options):
    with unit_of_work(database) as session:
        return import_file(session, path, "reporter", load_catalog(), **options)


def revision_count(database) -> int:
    with unit_of_work(database) as session:
        return session.scalar(select(func.count()).select_from(Revision))


def current(database, entity, period, indicator):
    with unit_of_work(database) as session:
        (revision,) = revisions.latest_revisions(
            session, revisions.Selection([entity], [period], [indicator])
        )
        return revision


def test_valid_file_creates_one_revision_per_row(ledger, write_csv):
    path = write_csv(
        "ok.csv",
        [
            ("SMELT", "2024-01", ELECTRICITY, 1200, "MWh", ""),
            ("SMELT", "2024", REO, 5000, "tREO", "from ERP"),
        ],
    )
    result = run_import(ledger, path)
    assert (result.rows, result.new_revisions, result.unchanged) == (2, 2, 0)
    revision = current(ledger, "SMELT", "2024", REO)
    assert (revision.canonical_value, revision.status, revision.comment) == (
        5000.0,
        "draft",
        "from ERP",
    )
    assert (revision.source_row, revision.source_sheet) == (3, None)


def test_values_are_converted_into_the_indicator_unit(ledger, write_csv):
    path = write_csv(
        "units.csv",
        [
            ("SMELT", "2024-01", ELECTRICITY, "2,500,000", "kWh", ""),
            ("METAL", "2024-01", GAS, 12.5, "10^4 Nm3", ""),
        ],
    )
    run_import(ledger, path)
    electricity = current(ledger, "SMELT", "2024-01", ELECTRICITY)
    assert (electricity.canonical_value, electricity.canonical_unit) == (2500.0, "MWh")
    assert (electricity.value, electricity.unit) == (
        "2500000",
        "kWh",
    )  # as entered, for the auditor
    assert current(ledger, "METAL", "2024-01", GAS).canonical_value == 125000.0


def test_reimporting_an_identical_file_creates_no_revisions(ledger, write_csv):
    path = write_csv("same.csv", [("SMELT", "2024-01", ELECTRICITY, 1200, "MWh", "")])
    run_import(ledger, path)
    before = revision_count(ledger)
    again = run_import(ledger, path)
    assert (again.new_revisions, again.unchanged, again.changeset_id) == (0, 1, None)
    assert revision_count(ledger) == before


def test_a_changed_value_becomes_a_new_revision_linked_to_the_old(ledger, write_csv):
    run_import(ledger, write_csv("v1.csv", [("SMELT", "2024-01", ELECTRICITY, 1200, "MWh", "")]))
    first = current(ledger, "SMELT", "2024-01", ELECTRICITY)
    run_import(ledger, write_csv("v2.csv", [("SMELT", "2024-01", ELECTRICITY, 1250, "MWh", "")]))
    second = current(ledger, "SMELT", "2024-01", ELECTRICITY)
    assert second.parent_id == first.id and second.canonical_value == 1250.0
    assert current(ledger, "SMELT", "2024-01", ELECTRICITY).id == second.id
    assert revision_count(ledger) == 2


def test_one_bad_row_imports_nothing_and_every_bad_row_is_reported(ledger, write_csv):
    path = write_csv(
        "bad.csv",
        [
            ("SMELT", "2024-01", ELECTRICITY, 1200, "MWh", ""),  # fine
            ("NOPE", "2024-01", ELECTRICITY, 1, "MWh", ""),  # unknown entity
            ("SMELT", "2024-01", "energy.purchased_electrcity", 1, "MWh", ""),  # unknown indicator
            ("SMELT", "2019", REO, 1, "tREO", ""),  # outside the calendar
            ("SMELT", "2024-02", ELECTRICITY, "twelve", "MWh", ""),  # not a number
            ("SMELT", "2024-03", ELECTRICITY, -5, "MWh", ""),  # negative
            ("SMELT", "2024-04", ELECTRICITY, 5, "m3", ""),  # incompatible unit
            ("SMELT", "2024-01", ELECTRICITY, 1300, "MWh", ""),  # duplicate of row 2
            ("SMELT", "2024-13", ELECTRICITY, 1, "MWh", ""),  # not a period
        ],
    )
    with pytest.raises(ImportRejected) as caught:
        run_import(ledger, path)
    rows = [problem.location.row for problem in caught.value.problems]
    assert rows == [3, 4, 5, 6, 7, 8, 9, 10]
    assert revision_count(ledger) == 0
    text = str(caught.value)
    assert "8 problem(s) in 9 row(s); nothing was imported" in text
    assert "did you mean 'energy.purchased_electricity'?" in text
    assert "outside the reporting calendar (2023-2024)" in text
    assert "already appear at row 2" in text


def test_error_text_names_file_row_column_value_and_fix(ledger, write_csv):
    path = write_csv("one.csv", [("SMELT", "2024-02", ELECTRICITY, "twelve", "MWh", "")])
    with pytest.raises(ImportRejected) as caught:
        run_import(ledger, path)
    assert str(caught.value.problems[0]) == (
        f"{path}, row 2, column 'value' (value 'twelve'): the value is not a number. "
        "Write a plain number such as 1234.5, with the unit in the unit column."
    )


def test_incompatible_unit_message_names_the_unit_cell_in_plain_words(ledger, write_csv):
    path = write_csv("unit.csv", [("SMELT", "2024-04", ELECTRICITY, 5, "m3", "")])
    with pytest.raises(ImportRejected) as caught:
        run_import(ledger, path)
    assert str(caught.value.problems[0]) == (
        f"{path}, row 2, column 'unit' (value 'm3'): m3 (volume) cannot be converted to "
        "MWh (energy). Write a unit of energy such as MWh or GJ or tce in the unit column."
    )
    assert "[length]" not in str(caught.value)


def test_derived_indicators_cannot_be_imported(ledger, write_csv):
    path = write_csv("derived.csv", [("SMELT", "2024", "energy.total", 100, "tce", "")])
    with pytest.raises(ImportRejected, match="computed by esgledger, not collected"):
        run_import(ledger, path)


def test_a_year_and_its_months_cannot_both_be_given(ledger, write_csv):
    run_import(ledger, write_csv("months.csv", [("SMELT", "2024-01", ELECTRICITY, 100, "MWh", "")]))
    with pytest.raises(ImportRejected, match="both a yearly value and monthly values"):
        run_import(ledger, write_csv("year.csv", [("SMELT", "2024", ELECTRICITY, 1200, "MWh", "")]))


def test_rows_for_a_locked_period_are_refused(ledger, write_csv):
    run_import(ledger, write_csv("v1.csv", [("SMELT", "2023", REO, 4000, "tREO", "")]), submit=True)
    with unit_of_work(ledger) as session:
        revisions.change_status(session, "manager", revisions.APPROVED, revisions.Selection())
        calendar.lock_period(session, "manager", "2023")
    with pytest.raises(ImportRejected, match="this period is locked"):
        run_import(ledger, write_csv("v2.csv", [("SMELT", "2023", REO, 4100, "tREO", "")]))
    assert current(ledger, "SMELT", "2023", REO).canonical_value == 4000.0


def test_a_file_without_the_required_header_is_refused_before_any_row(ledger, write_csv):
    path = write_csv("nohead.csv", [("SMELT", "2024", REO, 1)], header="who,when,what,how much")
    with pytest.raises(Exception, match="the header lacks entity, period, indicator, value"):
        run_import(ledger, path)


def test_a_gas_volume_without_reference_conditions_is_refused_and_sm3_is_converted(
    ledger, write_csv
):
    # natural gas is kept in Nm3 (0 °C); m3 states no conditions. 1,000 Sm3 (20 °C) =
    # 1,000 x 273.15 / 293.15 = 931.776 Nm3 (ideal gas, same pressure)
    bad = write_csv("gas.csv", [("METAL", "2024-01", GAS, 1000, "m3", "")])
    with pytest.raises(ImportRejected) as caught:
        run_import(ledger, bad)
    assert "needs its reference conditions" in str(caught.value)
    good = write_csv("gas_sm3.csv", [("METAL", "2024-01", GAS, 1000, "Sm3", "")])
    run_import(ledger, good)
    assert current(ledger, "METAL", "2024-01", GAS).canonical_value == pytest.approx(
        931.776, abs=1e-3
    )
