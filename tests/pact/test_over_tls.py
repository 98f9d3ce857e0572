"""Two real hosts over TLS: a customer pulls and requests the supplier's footprints.

Each host is the real application under uvicorn with a certificate from a throwaway CA
(trustme); the customer reaches the supplier with the real PACT client (httpx), which
trusts only that CA, and the supplier answers a request by calling the customer's own
events endpoint.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from esgledger.ledger.database import migrate, open_database, unit_of_work
from esgledger.ledger.reads.records import current_records
from esgledger.pact import clients, events, exchange, spec
from esgledger.pact.received import SUPPLIER_FOOTPRINTS
from esgledger.pact.remote import RemoteHost, RemoteRefused
from esgledger.pact.store import publish
from tests.pact.helpers import PUBLISHER, metal_footprint, oxide_footprint, serve_pact


@dataclass
class Running:
    url: str
    database: object


@pytest.fixture
def hosts(tmp_path, tls) -> Iterator[tuple[Running, Running]]:
    pem, _ = tls
    dbs = []
    for name in ("supplier", "customer"):
        database = open_database(f"sqlite:///{tmp_path / name}.db")
        migrate(database)
        dbs.append(database)
    supplier_gen, customer_gen = serve_pact(dbs[0], pem), serve_pact(dbs[1], pem)
    supplier = Running(next(supplier_gen), dbs[0])
    customer = Running(next(customer_gen), dbs[1])
    yield supplier, customer
    for gen in (supplier_gen, customer_gen):
        next(gen, None)
    for database in dbs:
        database.dispose()


def test_a_customer_pulls_and_requests_footprints_over_tls(hosts, tls):
    supplier, customer = hosts
    _, trusted = tls
    with unit_of_work(supplier.database) as session:
        publish(session, [oxide_footprint(), metal_footprint()], PUBLISHER, actor="t")
        for_customer = clients.add_client(
            session, "Magnet maker", actor="t", events_url=customer.url
        )
    with unit_of_work(customer.database) as session:
        for_supplier = clients.add_client(session, "NRE", actor="t", events_url=supplier.url)

    # 1. pull: every page of the supplier's list, recorded once per footprint id
    with (
        RemoteHost(
            supplier.url, for_customer.client_id, for_customer.client_secret, verify=trusted
        ) as remote,
        unit_of_work(customer.database) as session,
    ):
        listed, recorded = exchange.fetch(session, remote, actor="buyer", params={"limit": 1})
    assert (listed, recorded) == (2, 2)
    with unit_of_work(customer.database) as session:
        held = current_records(session, SUPPLIER_FOOTPRINTS)
    assert all(spec.problems(r.payload) == [] for r in held)

    # 2. request: RequestCreated to the supplier, fulfilled later, answered to the customer
    criteria = {"productId": ["urn:pact:nre.example.cn:product-id:ndpr-metal"]}
    with (
        RemoteHost(
            supplier.url, for_customer.client_id, for_customer.client_secret, verify=trusted
        ) as remote,
        unit_of_work(customer.database) as session,
    ):
        sent = exchange.request(session, remote, customer.url, criteria, actor="buyer")
    with unit_of_work(supplier.database) as session:
        [pending] = events.pending_requests(session)
    with (
        RemoteHost(
            customer.url, for_supplier.client_id, for_supplier.client_secret, verify=trusted
        ) as remote,
        unit_of_work(supplier.database) as session,
    ):
        status = exchange.answer_request(session, pending.key, remote, supplier.url, actor="seller")
    assert status == "fulfilled"
    with unit_of_work(customer.database) as session:
        [outgoing] = current_records(session, events.OUTGOING)
    assert outgoing.key == sent and outgoing.payload["status"] == "fulfilled"
    assert len(outgoing.payload["answer"]) == 1

    # 3. notify: a PublishedEvent naming the Active footprints, kept by the customer
    with (
        RemoteHost(
            customer.url, for_supplier.client_id, for_supplier.client_secret, verify=trusted
        ) as remote,
        unit_of_work(supplier.database) as session,
    ):
        announced = exchange.notify(session, remote, supplier.url)
    with unit_of_work(customer.database) as session:
        [notice] = current_records(session, events.NOTICES)
    assert notice.payload["event"]["data"]["pfIds"] == announced and len(announced) == 2


def test_the_client_refuses_a_host_it_cannot_trust_and_plain_http(hosts):
    supplier, _ = hosts
    with RemoteHost(supplier.url, "x", "y") as remote, pytest.raises(Exception) as caught:
        remote.token()
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
    with pytest.raises(Exception, match="HTTPS"):
        RemoteHost(supplier.url.replace("https", "http"), "x", "y")


def test_wrong_credentials_are_reported_with_the_hosts_answer(hosts, tls):
    supplier, _ = hosts
    with (
        RemoteHost(supplier.url, "nobody", "nothing", verify=tls[1]) as remote,
        pytest.raises(RemoteRefused) as caught,
    ):
        list(remote.footprints())
    assert "invalid_client" in caught.value.message
