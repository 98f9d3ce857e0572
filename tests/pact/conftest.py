"""A PACT host on a fresh ledger with published footprints and one client; a throwaway CA's
certificate for the hosts served over real TLS."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from esgledger.ledger.database import unit_of_work
from esgledger.pact import clients
from esgledger.pact.host import create_pact_app
from esgledger.pact.store import publish
from tests.pact.helpers import PUBLISHER, metal_footprint, oxide_footprint


@dataclass
class Host:
    http: TestClient
    database: Engine
    client_id: str
    client_secret: str

    def token(self) -> str:
        answer = self.http.post(
            "/auth/token",
            data={"grant_type": "client_credentials"},
            auth=(self.client_id, self.client_secret),
        )
        assert answer.status_code == 200, answer.text
        return answer.json()["access_token"]

    def bearer(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.token()}"}


@pytest.fixture
def host(database: Engine) -> Iterator[Host]:
    with unit_of_work(database) as session:
        publish(session, [oxide_footprint(), metal_footprint()], PUBLISHER, actor="tester")
        made = clients.add_client(
            session,
            "Magnet customer",
            actor="tester",
            events_url="https://customer.example.com/pact",
        )
    with TestClient(create_pact_app(database), base_url="https://supplier.example.com") as http:
        yield Host(http, database, made.client_id, made.client_secret)


@pytest.fixture(scope="module")
def tls(tmp_path_factory) -> tuple[Path, ssl.SSLContext]:
    """A certificate for 127.0.0.1 from a throwaway CA (key and chain in one PEM), and a
    client context that trusts only that CA."""
    folder = tmp_path_factory.mktemp("tls")
    ca = trustme.CA()
    pem = folder / "server.pem"
    ca.issue_cert("127.0.0.1", "localhost").private_key_and_cert_chain_pem.write_to_path(pem)
    trusted = ssl.create_default_context()
    ca.configure_trust(trusted)
    return pem, trusted
