"""Changing what an entity owes: by the page, the API and the function behind both.

The rules make SMELT (a smelting and separation subsidiary) owe natural gas; the group
manager drops it and adds the pond-water input, with a reason. The overrides kept are the
difference from the rules, completeness counts against the new list, and owing just what
the rules ask withdraws the overrides again.
"""

from __future__ import annotations

import re

import pytest

from esgledger.catalog import load_catalog
from esgledger.cli.main import main
from esgledger.collection.obligations import (
    obligations_of,
    overrides_of,
    owe_exactly,
    owed_periods,
)
from esgledger.errors import EsgError
from esgledger.ledger.database import open_database, unit_of_work
from tests.permits.test_api import api_as
from tests.web.conftest import app, client_for, csrf_of, seeded_file  # noqa: F401

CATALOG = load_catalog()
GAS = "energy.natural_gas"


def _owed(session, entity="SMELT") -> set[str]:
    return {row.indicator for row in obligations_of(session, CATALOG, entity, 2024) if row.owed}


def _not_owed_by_rule(session) -> str:
    """An input the rules do not ask SMELT for (the first in catalog order)."""
    listed = {row.indicator for row in obligations_of(session, CATALOG, "SMELT", 2024)}
    return next(ind.id for ind in CATALOG.inputs() if ind.id not in listed)


@pytest.fixture
def ledger_of(app):  # noqa: F811
    database = open_database(app.state.settings.db)
    yield database
    database.dispose()


def test_the_overrides_kept_are_the_difference_from_the_rules(ledger_of):
    with unit_of_work(ledger_of) as session:
        by_rules = _owed(session)
        extra = _not_owed_by_rule(session)
        assert GAS in by_rules
        owe_exactly(session, CATALOG, "manager", "SMELT", 2024,
                    (by_rules - {GAS}) | {extra}, "no gas on site since 2023")  # fmt: skip
    with unit_of_work(ledger_of) as session:
        overrides = overrides_of(session, "SMELT")
        assert (overrides.add, overrides.drop) == ({extra}, {GAS})
        assert overrides.reason == "no gas on site since 2023"
        rows = {row.indicator: row for row in obligations_of(session, CATALOG, "SMELT", 2024)}
        assert (rows[GAS].by_rule, rows[GAS].owed) == (True, False)
        assert (rows[extra].by_rule, rows[extra].owed) == (False, True)
        owe_exactly(session, CATALOG, "manager", "SMELT", 2024, by_rules, "")
    with unit_of_work(ledger_of) as session:
        assert overrides_of(session, "SMELT") is None and _owed(session) == by_rules


def _owed_items_on_completeness(client, entity: str) -> int:
    """The owed count the completeness page shows in ``entity``'s row ("3 of 40 open")."""
    page = client.get("/completeness?year=2024").text
    row = next(r for r in page.split("<tr>") if f"/obligations/{entity}?" in r)
    return int(re.search(r"of (\d+) open", row).group(1))


def test_a_change_without_a_reason_is_refused_and_nothing_is_kept(ledger_of):
    with unit_of_work(ledger_of) as session:
        by_rules = _owed(session)
        with pytest.raises(EsgError, match="needs a reason") as refused:
            owe_exactly(session, CATALOG, "manager", "SMELT", 2024, by_rules - {GAS}, "  ")
        assert "须说明原因" in refused.value.text("zh")
        assert overrides_of(session, "SMELT") is None


def test_the_page_drops_and_adds_inputs_and_completeness_follows(app, client_for):  # noqa: F811
    manager = client_for("manager")
    page = manager.get("/obligations/SMELT?year=2024")
    assert page.status_code == 200 and f'data-indicator="{GAS}"' in page.text
    with unit_of_work(open_database(app.state.settings.db)) as session:
        by_rules, extra = _owed(session), _not_owed_by_rule(session)
    owed = [i for i in by_rules if i != GAS]
    answer = manager.post(
        "/obligations/SMELT",
        data={"csrf_token": csrf_of(page.text), "year": "2024", "owed": owed, "add": [extra],
              "reason": "no gas on site since 2023"},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303
    shown = manager.get(answer.headers["location"]).text
    assert 'data-test="obligations-saved"' in shown
    assert f'data-indicator="{GAS}" data-owed="false"' in shown
    assert f'data-indicator="{extra}" data-owed="true"' in shown
    items = {i: len(owed_periods(CATALOG, i, 2024)) for i in (*by_rules, extra)}
    expected = sum(items.values()) - items[GAS]
    assert _owed_items_on_completeness(manager, "SMELT") == expected
    api = api_as(app, "manager").get(
        "/api/v1/obligations", params={"entity": "SMELT", "year": 2024}
    )
    assert set(api.json()) == (by_rules - {GAS}) | {extra}


def test_the_page_refuses_a_change_without_a_reason_in_chinese(client_for):  # noqa: F811
    manager = client_for("manager")
    manager.cookies.set("lang", "zh")
    page = manager.get("/obligations/SMELT?year=2024")
    assert "填报范围" in page.text and "应填报" in page.text and "Owed" not in page.text
    answer = manager.post(
        "/obligations/SMELT",
        data={"csrf_token": csrf_of(page.text), "year": "2024", "owed": [GAS], "reason": ""},
    )
    assert answer.status_code == 400 and "须说明原因" in answer.text
    again = manager.get("/obligations/SMELT?year=2024").text
    assert 'data-owed="false"' not in again  # nothing was kept


def test_a_reporter_reads_its_own_entity_without_the_form(client_for):  # noqa: F811
    reporter = client_for("reporter")
    own = reporter.get("/obligations/SMELT?year=2024")
    assert own.status_code == 200 and 'data-test="obligations-form"' in own.text
    assert 'name="owed"' not in own.text and 'name="reason"' not in own.text
    assert reporter.get("/obligations/METAL?year=2024").status_code == 404
    refused = reporter.post(
        "/obligations/SMELT", data={"csrf_token": csrf_of(own.text), "year": "2024", "owed": []}
    )
    assert refused.status_code == 403


def test_the_api_changes_and_lists_obligations(app):  # noqa: F811
    manager = api_as(app, "manager")
    before = manager.get("/api/v1/obligations/SMELT", params={"year": 2024}).json()
    by_rules = [row["indicator"] for row in before if row["owed"]]
    changed = manager.put(
        "/api/v1/obligations/SMELT",
        json={"year": 2024, "owed": [i for i in by_rules if i != GAS], "reason": "no gas"},
    )
    assert changed.status_code == 200
    (gas,) = [row for row in changed.json() if row["indicator"] == GAS]
    assert gas == {"indicator": GAS, "by_rule": True, "owed": False}
    unknown = manager.put(
        "/api/v1/obligations/SMELT", json={"year": 2024, "owed": ["energy.nope"], "reason": "x"}
    )
    assert unknown.status_code == 400 and "energy.nope" in unknown.text
    reporter = api_as(app, "reporter")
    put = reporter.put("/api/v1/obligations/SMELT", json={"year": 2024, "owed": [], "reason": "x"})
    assert put.status_code == 403


def test_the_command_line_lists_and_changes_what_an_entity_owes(app, capsys):  # noqa: F811
    url = app.state.settings.db
    assert main(["campaign", "owes", "SMELT", "--year", "2024", "--db", url]) == 0
    listed = capsys.readouterr().out
    assert re.search(rf"{re.escape(GAS)}[\s│]+yes[\s│]+yes", listed)
    args = ["campaign", "owes", "SMELT", "--year", "2024", "--drop", GAS, "--db", url]
    assert main(args) != 0
    assert "needs a reason" in capsys.readouterr().err
    assert main([*args, "--reason", "no gas on site"]) == 0
    changed = capsys.readouterr().out
    assert re.search(rf"{re.escape(GAS)}[\s│]+yes[\s│]+no", changed)
    with unit_of_work(open_database(url)) as session:
        assert overrides_of(session, "SMELT").drop == {GAS}
