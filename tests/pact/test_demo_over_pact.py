"""Issue #19's "done when": a customer's system pulls the demo group's product footprints
over PACT, and the numbers are explained back to the ledger rows.

The demo ledger as `esgledger demo` builds it (which publishes the footprints and registers
the demo customer, data/pact.yaml) is served by the real PACT host under uvicorn over TLS.
The customer is a plain HTTP client that trusts only the test CA: it authenticates with
the documented client credentials, lists with a filter and pages, gets each footprint and
checks every answer against the specification's schema. Each pulled figure must equal the
product system computed here, again, from the ledger (to 1e-9), and that computation's
explanation must reach ledger revisions (ids, entity, indicator, value) and cited factors.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import httpx
import pytest

from esgledger.catalog import load_catalog
from esgledger.demo.products import pact_settings, product_system_files
from esgledger.engine.methodset import method_sets
from esgledger.factors import load_factor_sets
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.ledger.reads.observations import revisions_by_id
from esgledger.pact import spec
from esgledger.products.explain import flow_lines
from esgledger.products.loading import read_system
from esgledger.products.service import ledger_footprints
from tests.pact.helpers import serve_pact

DOMAIN = "nre.example.cn"


@pytest.fixture(scope="module")
def demo_host(demo_ledger, tls, tmp_path_factory):
    """The demo ledger (a copy: tokens are written) behind the PACT host over TLS."""
    database = open_database(demo_ledger.copy_to(tmp_path_factory.mktemp("demo-pact")))
    served = serve_pact(database, tls[0])
    yield next(served), database, demo_ledger
    next(served, None)
    database.dispose()


@pytest.fixture(scope="module")
def computed(demo_host):
    """The demo's product systems for 2024 computed from the ledger, not read from PACT."""
    _, database, demo = demo_host
    systems = [read_system(path) for path in product_system_files()]
    with unit_of_work(database) as session:
        results = ledger_footprints(
            session,
            systems,
            load_catalog(),
            method_sets()["cn-default"],
            2024,
            factor_files=[demo.factors],
        )
    return {f"urn:pact:{DOMAIN}:product-id:{r.footprint.product_id}": r for r in results}


@pytest.fixture(scope="module")
def customer(demo_host, tls):
    """The customer's HTTP client with a bearer token got with the demo's credentials."""
    base, _, _ = demo_host
    given = pact_settings()["customer"]
    with httpx.Client(base_url=base, verify=tls[1], timeout=30) as http:
        answer = http.post(
            "/auth/token",
            data={"grant_type": "client_credentials"},
            auth=(given["client_id"], given["client_secret"]),
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["token_type"] == "bearer"
        http.headers["authorization"] = f"Bearer {answer.json()['access_token']}"
        yield http


def _pages(http: httpx.Client, params: list[tuple[str, str]]) -> list[list[dict]]:
    """Every page of a listing, following the Link header as the specification says."""
    pages, answer = [], http.get("/3/footprints", params=params)
    while True:
        assert answer.status_code == 200, answer.text
        assert spec.problems(answer.json(), "ListFootprintsResponse") == []
        pages.append(answer.json()["data"])
        following = answer.links.get("next")
        if following is None:
            return pages
        assert following["url"].startswith("https://")
        answer = http.get(following["url"])


def test_a_customer_pulls_every_demo_footprint_with_filter_and_paging(customer, computed):
    everything = _pages(customer, [("limit", "2"), ("geography", "CN")])
    assert [len(page) for page in everything] == [2, 2, 1]
    pulled = [pf for page in everything for pf in page]
    assert {pf["productIds"][0] for pf in pulled} == set(computed)
    wanted = [f"urn:pact:{DOMAIN}:product-id:{p}" for p in ("ndfeb-magnet", "prnd-metal")]
    chosen = _pages(customer, [("limit", "1"), *(("productId", urn) for urn in wanted)])
    assert [[pf["productIds"][0] for pf in page] for page in chosen] == [
        [u] for u in sorted(wanted, key=lambda u: [pf["productIds"][0] for pf in pulled].index(u))
    ]
    for listed in pulled:
        answer = customer.get(f"/3/footprints/{listed['id']}")
        assert answer.status_code == 200
        assert spec.problems(answer.json(), "GetFootprintResponse") == []
        assert answer.json()["data"] == listed


def test_each_pulled_figure_is_the_product_system_computed_from_the_ledger(customer, computed):
    pulled = [pf for page in _pages(customer, [("status", "Active")]) for pf in page]
    assert len(pulled) == len(computed) == 5
    for pf in pulled:
        result = computed[pf["productIds"][0]]
        pcf = pf["pcf"]
        figure = float(Decimal(pcf["pcfExcludingBiogenicUptake"]))
        assert figure == pytest.approx(result.solution.score, rel=1e-9), pf["productNameCompany"]
        assert figure == pytest.approx(result.footprint.fossil.magnitude, rel=1e-9)
        assert pcf["declaredUnitOfMeasurement"] == "kilogram"
        assert pcf["ipccCharacterizationFactors"] == ["AR6"]  # gwp_dataset ipcc_ar6_gwp100
        assert pcf["fossilCarbonContent"] == pcf["biogenicCarbonContent"] == "0"
        assert pcf["biogenicCO2Uptake"] == "0"
        lines = flow_lines(result)  # the footprint told back to its sources, as the CLI does
        assert sum(line.kg_co2e for line in lines) == pytest.approx(figure, rel=1e-9)


def test_the_explanation_reaches_ledger_revisions_and_cited_factors(demo_host, computed):
    _, database, demo = demo_host
    library = load_factor_sets([demo.factors])
    [system] = [read_system(path) for path in product_system_files()]
    for result in computed.values():
        observations = result.lineage.observations
        assert {o.entity for o in observations} >= {"SMELT-HYD"}
        with unit_of_work(database) as session:
            stored = revisions_by_id(session, [o.revision_id for o in observations])
        assert set(stored) == {o.revision_id for o in observations}
        for o in observations:
            row = stored[o.revision_id]
            assert (row.entity, row.indicator, row.period) == (o.entity, o.indicator, o.period)
            assert o.value == pytest.approx(row.canonical_value, rel=1e-12)
        ledger = [line for line in flow_lines(result) if line.kind == "ledger"]
        assert ledger and all(" 2024: ghg." in line.source for line in ledger)
        cited = {row.key: row.citation for row in result.lineage.factors}
        for flow in (b for b in system.background if b.factor_key):
            if f"background:{flow.product}" not in cited:
                continue  # a product this footprint does not reach
            factor = library.get(
                flow.factor_key,
                on=date(flow.vintage or 2024, 1, 1),
                region=flow.region,
                dataset=flow.dataset,
            )  # the factor's id: key, region, validity, dataset and version
            assert cited[f"background:{flow.product}"].startswith(f"{factor.label}: ")
        assert "background:grid-electricity" in cited
