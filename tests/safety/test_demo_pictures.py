"""The demo's safety register has pictures: every site with risk points has the demo site
plan under its four-colour map, and two open hazards were taken on through the loop with
before and after photos, served back by the web app from the ledger's files folder."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image

from esgledger.demo.generate import factor_file
from esgledger.demo.pictures import PLAN_SIZE
from esgledger.demo.safety import risk_points, spec
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.ledger.reads.records import current_record, current_records
from esgledger.safety.models import HAZARDS, SITE_PLANS
from esgledger.settings import Settings
from tests.apps import serving
from tests.conftest import SharedDemo
from tests.web.conftest import log_in


@pytest.fixture(scope="module")
def demo_app(
    tmp_path_factory: pytest.TempPathFactory, demo_ledger: SharedDemo
) -> Iterator[FastAPI]:
    url = demo_ledger.copy_to(tmp_path_factory.mktemp("safety-pictures"))
    with serving(Settings(db=url, secure_cookies=False, factor_files=[str(factor_file())])) as app:
        yield app


@pytest.fixture
def manager(demo_app: FastAPI) -> TestClient:
    client = TestClient(demo_app)
    assert log_in(client, "manager", "demo-manager-pass").status_code == 303
    return client


def records(demo_ledger: SharedDemo, read: Callable) -> object:
    database = open_database(demo_ledger.url)
    with unit_of_work(database) as session:
        found = read(session)
    database.dispose()
    return found


def test_every_site_with_risk_points_has_a_plan_its_map_draws_on(demo_ledger, manager):
    plans = records(demo_ledger, lambda s: current_records(s, SITE_PLANS))
    sites = {entry.entity for entry in risk_points(spec())}
    assert {plan.key for plan in plans} == sites
    plan = plans[0].payload
    assert (plan["width"], plan["height"]) == PLAN_SIZE
    page = manager.get(f"/safety/map/{plans[0].key}").text
    assert f'href="/safety/files/{plan["sha256"]}"' in page
    image = manager.get(f"/safety/files/{plan['sha256']}")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(image.content)).size == PLAN_SIZE


def test_a_demo_hazard_was_closed_with_photos_and_another_awaits_verification(demo_ledger, manager):
    closed, waiting = records(demo_ledger, lambda s: [
        current_record(s, HAZARDS, "HZ-SMELT-HYD-2025-0001"),
        current_record(s, HAZARDS, "HZ-JINMENG-2025-0005"),
    ])  # fmt: skip
    assert closed.payload["status"] == "closed" and len(closed.payload["photos"]) == 2
    assert (closed.payload["rectified_by"], closed.payload["verified_by"]) == ("smelter", "manager")
    assert waiting.payload["status"] == "rectified" and len(waiting.payload["photos"]) == 2
    page = manager.get("/safety/hazards/HZ-SMELT-HYD-2025-0001").text
    for sha256 in closed.payload["photos"]:
        assert f"/safety/files/{sha256}" in page
        assert manager.get(f"/safety/files/{sha256}").status_code == 200
