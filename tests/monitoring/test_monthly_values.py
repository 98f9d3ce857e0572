"""A monthly value ten times too large is flagged; ordinary months are not."""

from __future__ import annotations

from esgledger.catalog import load_catalog
from esgledger.cli.main import main
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.imports.apply import import_file
from esgledger.monitoring.monthly import monthly_warnings

MONTHS = [2850, 2790, 3010, 2920, 2880, 2700, 2950, 3050, 2810, 2890, 2930, 2870]


def test_a_value_ten_times_too_large_is_flagged_on_import(ledger, write_csv):
    values = [*MONTHS[:11], MONTHS[11] * 10]  # December typed in kWh/100 instead of MWh
    rows = [("SMELT", f"2024-{m:02d}", "energy.purchased_electricity", v, "MWh", "")
            for m, v in enumerate(values, start=1)]  # fmt: skip
    with unit_of_work(ledger) as session:
        import_file(session, write_csv("energy.csv", rows), "tester", load_catalog())
        warnings = monthly_warnings(session, ["SMELT"])
    assert list(warnings) == [("SMELT", "energy.purchased_electricity", "2024-12")]
    assert round(warnings[("SMELT", "energy.purchased_electricity", "2024-12")].ratio) == 10


def test_ordinary_months_raise_nothing(ledger, write_csv):
    rows = [("SMELT", f"2024-{m:02d}", "energy.purchased_electricity", v, "MWh", "")
            for m, v in enumerate(MONTHS, start=1)]  # fmt: skip
    with unit_of_work(ledger) as session:
        import_file(session, write_csv("energy.csv", rows), "tester", load_catalog())
        assert monthly_warnings(session, ["SMELT"]) == {}


def test_the_import_command_warns_of_the_month_it_wrote_in_the_chosen_language(
    file_ledger, write_csv, capsys
):
    first = [("SMELT", f"2024-{m:02d}", "energy.purchased_electricity", v, "MWh", "")
             for m, v in enumerate(MONTHS[:11], start=1)]  # fmt: skip
    late = [("SMELT", "2024-12", "energy.purchased_electricity", MONTHS[11] * 10, "MWh", "")]
    assert main(["import", str(write_csv("jan-nov.csv", first)), "--db", file_ledger]) == 0
    assert "提醒" not in capsys.readouterr().out  # ordinary months: nothing to say
    command = ["--lang", "zh", "import", str(write_csv("dec.csv", late)), "--db", file_ledger]
    assert main(command) == 0
    said = capsys.readouterr().out
    assert "提醒：SMELT 2024-12 energy.purchased_electricity = 28,700，为常规月份" in said
    # the median of the twelve months is (2,890 + 2,920) / 2 = 2,905; 28,700 / 2,905 = 9.9
    assert "为常规月份（2,905）的 9.9 倍" in said
