"""Entity, indicator and period arguments: a typo is an error naming the closest value.

Before, a selection matched by exact text, so ``observations list --entity SMLET`` printed
an empty table and exited 0: a typo looked like an empty ledger.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.cli.main import main

ORG = """entities:
  - {code: GRP, name_en: Group, name_zh: 集团, kind: group}
  - {code: SMELT, name_en: Smelter, name_zh: 冶炼厂, kind: subsidiary, parent: GRP,
     segment: smelting_separation}
"""
DATA = "entity,period,indicator,value,unit\nSMELT,2024-03,production.reo_output,50,tREO\n"


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'names.db'}"
    assert main(["init", "--db", url, "--years", "2023-2024"]) == 0
    (tmp_path / "org.yaml").write_text(ORG, encoding="utf-8")
    assert main(["org", "load", str(tmp_path / "org.yaml"), "--db", url]) == 0
    (tmp_path / "data.csv").write_text(DATA, encoding="utf-8")
    assert main(["import", str(tmp_path / "data.csv"), "--db", url]) == 0
    return url


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["observations", "list", "--entity", "SMLET"], ("--entity 'SMLET'", "did you mean SMELT")),
        (["observations", "list", "--entity", "smelt"], ("did you mean SMELT",)),
        (
            ["observations", "list", "--indicator", "production.reo_outptu"],
            ("no such indicator", "did you mean production.reo_output"),
        ),
        (["observations", "list", "--period", "2042"], ("no such reporting year", "2023, 2024")),
        (["observations", "list", "--period", "2024-13"], ("--period '2024-13'", "not a period")),
        (
            ["observations", "history", "SMLET", "2024-03", "production.reo_output"],
            ("entity 'SMLET'", "did you mean SMELT"),
        ),
        (["observations", "delete", "--reason", "x", "-e", "SMLT"], ("did you mean SMELT",)),
        (["submit", "--entity", "SMELTER"], ("did you mean SMELT",)),
        (["approve", "--indicator", "energy.purchased_electricty"], ("did you mean",)),
        (["reject", "--reason", "x", "--period", "2014"], ("did you mean 2024",)),
        (["lock", "2025"], ("no such reporting year",)),
        (["template", "out.xlsx", "--year", "2024", "--entity", "SMLET"], ("did you mean SMELT",)),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else "",
)
def test_an_unknown_name_is_refused_with_the_closest_known_one(argv, named, db, capsys):
    assert main([*argv, "--db", db]) == 1
    captured = capsys.readouterr()
    assert all(word.lower() in captured.err.lower() for word in named), captured.err
    assert "Traceback" not in captured.err


def test_known_names_still_select_and_a_month_is_read_in_the_ledgers_spelling(db, capsys):
    assert main(["observations", "list", "-e", "SMELT", "-p", "2024-3", "--db", db]) == 0
    assert "1 observation(s)" in capsys.readouterr().out
