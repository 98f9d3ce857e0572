"""A PACT host on a fresh ledger with published footprints and one client."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
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
