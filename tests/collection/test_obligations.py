"""What each entity owes: the shipped rules worked by hand for the test group's entities,
rule order (last match decides), years, tags, and per-entity overrides."""

from __future__ import annotations

import pytest

from esgledger.catalog import load_catalog
from esgledger.collection.obligations import (
    Overrides,
    owed_for_entity,
    owed_frame,
    owed_indicators,
    owed_periods,
    set_overrides,
)
from esgledger.collection.rules import Rule
from esgledger.errors import EsgError
from esgledger.ledger.database import unit_of_work
from esgledger.org import Entity

CATALOG = load_catalog()


def entity(code="E1", kind="subsidiary", segment="smelting_separation", tags=()):
    return Entity(
        code=code, name_en=code, name_zh="单位", kind=kind, parent="GRP",
        segment=segment, tags=tags,
    )  # fmt: skip


def topic_count(*topics):
    return sum(1 for ind in CATALOG.inputs() if ind.topic in topics)


def test_topic_sizes_the_hand_counts_rest_on():
    # counted in catalog/data/*.yaml (kind: input entries per file)
    assert topic_count("energy", "ghg", "water", "waste") == 26 + 18 + 8 + 12
    assert topic_count("pollutants", "environment_management", "circular", "production") == (
        17 + 22 + 12 + 4
    )
    assert topic_count("people", "training", "safety") == 33 + 10 + 26
    assert topic_count("process") == 18


def test_a_smelting_subsidiary_owes_site_workforce_and_process_inputs_but_not_metal_output():
    owed = owed_indicators(CATALOG, entity(), 2024)
    # site environment 64 + 55, workforce 69, process 18, less production.metal_output
    assert len(owed) == 119 + 69 + 18 - 1 == 205
    assert "process.oxalic_acid_consumed" in owed and "production.metal_output" not in owed
    assert "gov.board_meetings" not in owed


def test_a_metal_plant_owes_anodes_and_electrolysis_but_no_other_process_input():
    owed = owed_indicators(CATALOG, entity(segment="metals"), 2024)
    process = [i for i in owed if i.startswith("process.")]
    assert sorted(process) == [
        "process.carbon_anode_consumed",
        "process.re_metal_electrolysis_output",
    ]
    # site environment less the two oxide outputs, workforce, two process inputs
    assert len(owed) == 119 - 2 + 69 + 2 == 188


def test_a_facility_owes_no_workforce_inputs_and_the_group_owes_the_group_disclosures():
    facility = owed_indicators(CATALOG, entity(kind="facility"), 2024)
    assert len(facility) == 119 + 18 - 1 == 136
    group = owed_indicators(CATALOG, entity(code="GRP", kind="group", segment=None), 2024)
    group_topics = ("governance", "organisation", "innovation", "community")
    group_topics += ("customers_quality", "supply_chain", "climate", "scope3")
    # the scope3 topic's two supplier-specific inputs come from the suppliers' feed instead
    assert len(group) == topic_count(*group_topics) - 2 + 69
    assert len(group) == 40 + 9 + 34 + 11 + 19 + 12 + 7 + 8 + 69 == 209


def test_a_trading_company_owes_no_site_emissions():
    owed = owed_indicators(CATALOG, entity(segment="trading_services"), 2024)
    # energy, water, waste, production less its three outputs; workforce
    assert len(owed) == 26 + 8 + 12 + 4 - 3 + 69 == 116


def test_the_last_matching_rule_decides_and_tags_and_years_bound_rules():
    rules = [
        Rule(name="water", topics=("water",)),
        Rule(name="none at key entities", topics=("water",), tags=("key-entity",), owe=False),
        Rule(name="one back from 2025", indicators=("water.withdrawal*",), since=2025),
    ]
    water = topic_count("water")
    assert len(owed_indicators(CATALOG, entity(), 2024, rules=rules)) == water
    assert owed_indicators(CATALOG, entity(tags=("key-entity",)), 2024, rules=rules) == []
    back = owed_indicators(CATALOG, entity(tags=("key-entity",)), 2025, rules=rules)
    assert back and all(i.startswith("water.withdrawal") for i in back)
    reversed_order = list(reversed(rules))
    assert (
        len(owed_indicators(CATALOG, entity(tags=("key-entity",)), 2024, rules=reversed_order))
        == water
    )


def test_overrides_add_and_drop():
    plain = owed_indicators(CATALOG, entity(), 2024)
    changed = owed_indicators(
        CATALOG,
        entity(),
        2024,
        Overrides(add=frozenset({"gov.board_meetings"}), drop=frozenset({plain[0]})),
    )
    assert len(changed) == len(plain)
    assert "gov.board_meetings" in changed and plain[0] not in changed


def test_monthly_inputs_are_owed_for_each_month():
    monthly = next(i for i in CATALOG.inputs() if i.frequency == "monthly")
    yearly = next(i for i in CATALOG.inputs() if i.frequency == "yearly")
    assert owed_periods(CATALOG, monthly.id, 2024) == [f"2024-{m:02d}" for m in range(1, 13)]
    assert owed_periods(CATALOG, yearly.id, 2024) == ["2024"]


def test_stored_overrides_change_what_the_session_reads(ledger):
    with unit_of_work(ledger) as session:
        before = owed_for_entity(session, CATALOG, "SMELT", 2024)
        set_overrides(
            session, CATALOG, "manager", "SMELT", drop=[before[0]], reason="no such plant"
        )
    with unit_of_work(ledger) as session:
        after = owed_for_entity(session, CATALOG, "SMELT", 2024)
        frame = owed_frame(session, CATALOG, 2024)
    assert after == before[1:]
    assert frame.columns == ["entity", "indicator"]
    assert frame.filter(frame["entity"] == "SMELT").height == len(after)
    assert frame.filter(frame["entity"] == "METAL").height == 188
    assert frame.filter(frame["entity"] == "GRP").height == 209


def test_overrides_refuse_unknown_entities_and_indicators(ledger):
    with unit_of_work(ledger) as session, pytest.raises(EsgError) as error:
        set_overrides(session, CATALOG, "m", "NOPE", add=[], reason="x")
    assert error.value.code == "campaign.unknown_entity"
    with unit_of_work(ledger) as session, pytest.raises(EsgError) as error:
        set_overrides(session, CATALOG, "m", "SMELT", add=["energy.no_such"], reason="x")
    assert error.value.code == "campaign.unknown_indicator"
