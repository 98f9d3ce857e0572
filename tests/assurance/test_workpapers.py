"""Engagement, sample, tick marks, queries and findings, and the sign-off rules."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from esgledger.assurance.engagements import save_engagement, save_sample
from esgledger.assurance.model import QUERIES, SIGNOFFS
from esgledger.assurance.population import population
from esgledger.assurance.sampling import mus_sample, random_sample
from esgledger.assurance.signoff import sign_off, signoff_states
from esgledger.assurance.workpapers import (
    answer,
    ask,
    close_query,
    mark_item,
    raise_finding,
    update_finding,
)
from esgledger.auth.roles import Role, may_write_register
from esgledger.catalog import load_catalog
from esgledger.errors import EsgError
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.imports.apply import import_file
from esgledger.ledger.reads.records import record_history
from esgledger.ledger.reads.revision_history import revision_history
from esgledger.ledger.records import RecordChange, append_records
from esgledger.ledger.verify import verify_ledger
from tests.assurance.conftest import AUDITOR, ELECTRICITY, ENGAGEMENT, REPORTER

VALUE = {"entity": "SMELT", "period": "2024-03", "indicator": ELECTRICITY}


def test_the_population_holds_the_years_values_with_magnitudes_and_flags(values: Engine) -> None:
    with unit_of_work(values) as session:
        frame = population(session, ENGAGEMENT)
    assert frame.height == 24
    assert frame.filter(entity="SMELT")["magnitude"].sum() == 36_000
    # SMELT tripled against 2023 (more than the 50 % in data/sampling.yaml); METAL did not
    assert frame.filter(entity="SMELT")["yoy_change"].all()
    assert not frame.filter(entity="METAL")["yoy_change"].any()
    assert frame["no_evidence"].all()  # no evidence.links records yet
    assert not frame["late_revision"].any()


def test_a_stored_sample_keeps_what_is_needed_to_draw_it_again(values: Engine) -> None:
    with unit_of_work(values) as session:
        save_engagement(session, AUDITOR, ENGAGEMENT)
        frame = population(session, ENGAGEMENT)
        stored = save_sample(session, AUDITOR, "E2024", mus_sample(frame, 6, seed=11))
    again = mus_sample(frame, 6, seed=stored.payload["seed"])
    assert stored.key == "E2024|S001"
    assert stored.payload["random_start"] == again.random_start
    assert [i["revision_id"] for i in stored.payload["items"]] == again.items[
        "revision_id"
    ].to_list()
    assert stored.payload["interval"] == pytest.approx(38_478 / 6)


def test_only_an_assurer_writes_workpapers_and_an_auditor_only_assurance_registers(
    values: Engine,
) -> None:
    assert may_write_register(Role.AUDITOR, "assurance.items")
    assert not may_write_register(Role.AUDITOR, "permits.permits")
    with unit_of_work(values) as session, pytest.raises(EsgError) as caught:
        save_engagement(session, REPORTER, ENGAGEMENT)
    assert caught.value.code == "workpaper.not_assurer"


def test_sign_off_waits_for_open_queries_and_findings(values: Engine) -> None:
    with unit_of_work(values) as session:
        save_engagement(session, AUDITOR, ENGAGEMENT)
        mark_item(session, AUDITOR, "E2024", VALUE, ["agreed", "traced"])
        query = ask(session, AUDITOR, "E2024", VALUE, "smelter", "Why did March triple?")
        with pytest.raises(EsgError) as caught:
            sign_off(session, AUDITOR, "E2024", "SMELT", ELECTRICITY)
        assert caught.value.code == "workpaper.signoff_open"
        answer(session, REPORTER, query.key, "A new furnace line started in January.")
        with pytest.raises(EsgError):  # answered is not closed: the auditor accepts it
            sign_off(session, AUDITOR, "E2024", "SMELT", ELECTRICITY)
        close_query(session, AUDITOR, query.key)
        finding = raise_finding(session, AUDITOR, "E2024", VALUE, "medium", "Meter not calibrated")
        with pytest.raises(EsgError):
            sign_off(session, AUDITOR, "E2024", "SMELT", ELECTRICITY)
        update_finding(session, AUDITOR, finding.key, "closed", "Calibrated in May")
        signed = sign_off(session, AUDITOR, "E2024", "SMELT", ELECTRICITY, "No exceptions")
        history = record_history(session, QUERIES, query.key)
    assert [v.payload["status"] for v in history] == ["open", "answered", "closed"]
    assert history[1].author == "smelter"
    assert len(signed.payload["revisions"]) == 12
    with unit_of_work(values) as session:
        assert verify_ledger(session).ok


def test_a_reporter_answers_only_queries_on_its_own_entities(values: Engine) -> None:
    with unit_of_work(values) as session:
        save_engagement(session, AUDITOR, ENGAGEMENT)
        other = {**VALUE, "entity": "METAL"}
        query = ask(session, AUDITOR, "E2024", other, "metal", "Source?")
        with pytest.raises(EsgError) as caught:
            answer(session, REPORTER, query.key, "Meter list")
    assert caught.value.code == "workpaper.not_assurer"


def test_a_later_revision_makes_the_sign_off_stale(values: Engine, write_csv) -> None:
    with unit_of_work(values) as session:
        save_engagement(session, AUDITOR, ENGAGEMENT)
        sign_off(session, AUDITOR, "E2024", "SMELT", ELECTRICITY)
        sign_off(session, AUDITOR, "E2024", "METAL", ELECTRICITY)
        assert not any(state["stale"] for state in signoff_states(session, "E2024"))
    path = write_csv("fix.csv", [("SMELT", "2024-05", ELECTRICITY, 2999, "MWh", "fixed")])
    with unit_of_work(values) as session:
        import_file(session, path, "reporter", load_catalog(), submit=True)
        states = {s["record"].payload["entity"]: s for s in signoff_states(session, "E2024")}
        late = population(session, ENGAGEMENT).filter(late_revision=True)
        assert len(record_history(session, SIGNOFFS, "E2024|SMELT|" + ELECTRICITY)) == 1
    # changed in the present, long after 2024 ended: a late revision (data/sampling.yaml)
    assert late["period"].to_list() == ["2024-05"]
    assert states["SMELT"]["stale"] and states["SMELT"]["changed_periods"] == ["2024-05"]
    assert not states["METAL"]["stale"]


def test_a_sample_of_random_items_is_stored_with_its_seed(values: Engine) -> None:
    with unit_of_work(values) as session:
        save_engagement(session, AUDITOR, ENGAGEMENT)
        frame = population(session, ENGAGEMENT)
        stored = save_sample(session, AUDITOR, "E2024", random_sample(frame, 5, seed=99))
    assert stored.payload["seed"] == 99 and len(stored.payload["items"]) == 5


def test_evidence_on_a_value_or_on_the_import_that_wrote_it_counts(values: Engine) -> None:
    with unit_of_work(values) as session:
        history = revision_history(session, entities=["METAL"], years=[2024])
        import_id = str(history["changeset_id"][0])
        links = [
            RecordChange(
                "import|x",
                {
                    "sha256": "a" * 64,
                    "name": "bills.pdf",
                    "target": "import",
                    "import_id": import_id,
                    "entity": "METAL",
                },
                entity="METAL",
            ),
            RecordChange(
                "value|y",
                {"sha256": "b" * 64, "name": "meter.jpg", "target": "value", **VALUE},
                entity="SMELT",
            ),
        ]
        append_records(session, "evidence.links", links, actor="smelter", action="attach")
        frame = population(session, ENGAGEMENT)
    unbacked = frame.filter(no_evidence=True)
    # every METAL value came in with the evidenced import; of SMELT only March is backed
    assert unbacked["entity"].unique().to_list() == ["SMELT"]
    assert unbacked.height == 11 and "2024-03" not in unbacked["period"].to_list()
