"""Published footprints are immutable: a new calculation is a new id, the old deprecated."""

from __future__ import annotations

from esgledger.ledger.database import unit_of_work
from esgledger.ledger.reads.records import record_history
from esgledger.pact import spec
from esgledger.pact.store import FOOTPRINTS, publish, published
from tests.pact.helpers import PUBLISHER, oxide_footprint


def test_a_new_calculation_deprecates_the_old_and_names_it(database):
    with unit_of_work(database) as session:
        [first] = publish(session, [oxide_footprint(21_400.0)], PUBLISHER, actor="t")
    with unit_of_work(database) as session:
        [second] = publish(session, [oxide_footprint(20_900.0)], PUBLISHER, actor="t")
    with unit_of_work(database) as session:
        [third] = publish(session, [oxide_footprint(20_100.0)], PUBLISHER, actor="t")
        everything = {f["id"]: f for f in published(session)}
        history = record_history(session, FOOTPRINTS, first["id"])
    assert third["precedingPfIds"] == [first["id"], second["id"]]
    assert everything[first["id"]]["status"] == "Deprecated"
    assert everything[second["id"]]["status"] == "Deprecated"
    assert everything[third["id"]]["status"] == "Active"
    # the deprecated footprint changed in nothing but its status
    old, new = history[0].payload, history[1].payload
    assert {k for k in old if old[k] != new[k]} == {"status"}
    assert all(spec.problems(f) == [] for f in everything.values())


def test_publishing_the_same_figures_again_adds_nothing(database):
    with unit_of_work(database) as session:
        publish(session, [oxide_footprint()], PUBLISHER, actor="t")
    with unit_of_work(database) as session:
        assert publish(session, [oxide_footprint()], PUBLISHER, actor="t") == []
        assert len(published(session)) == 1


def test_another_period_is_another_lineage(database):
    from datetime import date

    with unit_of_work(database) as session:
        publish(session, [oxide_footprint()], PUBLISHER, actor="t")
        publish(
            session,
            [oxide_footprint(period_start=date(2023, 1, 1), period_end=date(2024, 1, 1))],
            PUBLISHER,
            actor="t",
        )
        statuses = sorted(f["status"] for f in published(session))
    assert statuses == ["Active", "Active"]
