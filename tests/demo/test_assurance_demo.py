"""The demo holds an assurance engagement in fieldwork, drawn and worked through the same
functions as the assurance pages (data/assurance.yaml)."""

from __future__ import annotations

from tests.conftest import SharedDemo

from esgledger.assurance.population import population
from esgledger.assurance.sampling import draw
from esgledger.demo.assurance import spec
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.ledger.reads.records import current_records
from esgledger.notices import inbox_for


def test_the_demo_engagement_has_a_sample_ticks_an_answered_query_and_a_finding(
    demo_ledger: SharedDemo,
) -> None:
    database = open_database(demo_ledger.url)
    with unit_of_work(database) as session:
        (engagement,) = current_records(session, "assurance.engagements")
        (sample,) = current_records(session, "assurance.samples")
        items = current_records(session, "assurance.items")
        (query,) = current_records(session, "assurance.queries")
        (finding,) = current_records(session, "assurance.findings")
        inbox = inbox_for(session, "smelter")
        again = draw(population(session, engagement.payload, None), "mus", 15, 2024)
    database.dispose()
    assert engagement.key == "2024" and engagement.payload["standard"] == "ISAE 3410"
    drawn = [(i["entity"], i["period"], i["indicator"]) for i in sample.payload["items"]]
    assert len(drawn) == 15 and len(set(drawn)) == 15
    redrawn = again.items.select("entity", "period", "indicator").rows()
    assert redrawn == drawn  # the seed draws the same sample again
    assert len(items) == len(spec()["ticked"])
    assert (query.payload["entity"], query.payload["status"]) == ("SMELT", "answered")
    assert finding.payload["severity"] == "low"
    assert any(n.kind == "assurance_query" for n in inbox)
