"""Register counts beside typed yearly totals: a difference is a restatement candidate."""

from __future__ import annotations

from datetime import date

from esgledger.catalog import load_catalog
from esgledger.ledger import revisions
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.imports.apply import import_file
from esgledger.safety import hazards
from esgledger.safety.reconcile import Agreement, reconcile
from esgledger.safety.register import Entry
from tests.safety.helpers import MANAGER, hazard_fields

CLOSED = {
    "status": "closed",
    "rectified_on": "2023-03-05",
    "rectified_by": "a",
    "verified_on": "2023-03-06",
    "verified_by": "b",
    "closed_on": "2023-03-06",
}


def typed(ledger, write_csv, rows):
    path = write_csv("typed.csv", rows)
    with unit_of_work(ledger) as session:
        import_file(session, path, "reporter", load_catalog(), submit=True)
        revisions.change_status(session, "manager", revisions.APPROVED, revisions.Selection())


def hazards_found(ledger, site, year, count):
    entries = [
        Entry(
            f"H-{site}-{year}-{n}",
            site,
            hazard_fields(
                found_on=f"{year}-03-01",
                deadline=f"{year}-03-08",
                **{k: v.replace("2023", str(year)) for k, v in CLOSED.items()},
            ),
            0,
        )
        for n in range(count)
    ]
    with unit_of_work(ledger) as session:
        hazards.record_hazards(session, MANAGER, entries)


def lines(ledger, years=(2023, 2024)):
    with unit_of_work(ledger) as session:
        found = reconcile(session, MANAGER, load_catalog(), list(years), date(2025, 1, 31))
    return {(x.indicator, x.entity, x.year): x for x in found.lines}


def test_a_register_that_differs_from_the_typed_total_is_a_restatement_candidate(ledger, write_csv):
    typed(
        ledger,
        write_csv,
        [
            ("SMELT", "2023", "safety.hazards_identified", "3", "item", ""),
            ("METAL", "2023", "safety.hazards_identified", "2", "item", ""),
        ],
    )
    hazards_found(ledger, "SMELT", 2023, 3)
    hazards_found(ledger, "METAL", 2023, 1)
    found = lines(ledger)
    smelt = found["safety.hazards_identified", "SMELT", 2023]
    metal = found["safety.hazards_identified", "METAL", 2023]
    group = found["safety.hazards_identified", "group", 2023]
    assert (smelt.register, smelt.typed, smelt.agreement) == (3, 3.0, Agreement.MATCH)
    assert (metal.register, metal.difference) == (1, -1.0)
    assert metal.agreement is Agreement.RESTATEMENT_CANDIDATE
    assert (group.register, group.typed) == (4, 5.0)
    assert group.agreement is Agreement.RESTATEMENT_CANDIDATE


def test_a_year_only_the_register_holds_is_not_a_difference(ledger):
    hazards_found(ledger, "SMELT", 2024, 2)
    found = lines(ledger)
    assert found["safety.hazards_identified", "SMELT", 2024].agreement is Agreement.REGISTER_ONLY
    assert ("safety.hazards_identified", "SMELT", 2023) not in found
