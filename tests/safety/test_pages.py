"""The safety pages and API on the demo ledger, in both languages, with the loop's refusals."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from esgledger.demo.generate import factor_file
from esgledger.settings import Settings
from tests.apps import serving
from tests.conftest import SharedDemo
from tests.safety.helpers import png_bytes
from tests.web.conftest import csrf_of, log_in


@pytest.fixture(scope="module")
def demo_app(
    tmp_path_factory: pytest.TempPathFactory, demo_ledger: SharedDemo
) -> Iterator[FastAPI]:
    folder = tmp_path_factory.mktemp("safety-demo")
    settings = Settings(
        db=demo_ledger.copy_to(folder),
        secure_cookies=False,
        factor_files=[str(factor_file())],
        files_dir=folder / "files",
    )
    with serving(settings) as app:
        yield app


@pytest.fixture
def client(demo_app: FastAPI) -> Callable[[str], TestClient]:
    def make(username: str) -> TestClient:
        made = TestClient(demo_app)
        assert log_in(made, username, f"demo-{username}-pass").status_code == 303
        return made

    return make


def test_the_overview_shows_the_reports_counts_reconciled_in_chinese(client):
    page = client("manager").get("/safety?year=2024", headers={"Accept-Language": "zh"})
    assert page.status_code == 200
    html = page.text
    assert 'data-test="found">4,562<' in html and 'data-test="drills">472<' in html
    assert 'data-test="correction-rate">100.0%<' in html
    assert (
        "隐患整改率" in html and "一致" in html and "待重述" not in html.split("reconciliation")[-1]
    )


def test_the_summary_api_gives_the_same_counts(client):
    body = client("auditor").get("/api/v1/safety/summary?year=2024&as_of=2025-01-31").json()
    assert body["totals"]["found"] == 4562 and body["totals"]["drills"] == 472
    assert body["correction_rate_percent"] == 100.0
    assert {r["agreement"] for r in body["reconciliation"] if r["entity"] == "group"} >= {"match"}


def test_a_reporter_sees_only_its_sites(client):
    body = client("smelter").get("/api/v1/safety/risk-points").json()
    assert body and {r["entity"] for r in body} <= {"SMELT", "SMELT-HYD", "SMELT-PV"}


def test_the_map_page_is_an_svg_with_print_css(client):
    page = client("manager").get("/safety/map/SMELT-HYD", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "<svg" in page.text and "RP-SMELT-HYD-01" in page.text
    css = client("manager").get("/static/safety.css").text
    assert "@media print" in css


def test_a_hazard_loop_through_the_pages_and_a_refused_close(client):
    inspector, owner = client("manager"), client("admin")
    form = inspector.get("/safety/hazards/new").text
    new = {
        "csrf_token": csrf_of(form),
        "key": "HZ-PAGE-1",
        "entity": "SMELT-HYD",
        "title": "灭火器压力不足",
        "severity": "general",
        "found_on": "2025-12-01",
        "owner": "admin",
        "deadline": "2025-12-08",
        "inspection": "routine",
    }
    assert inspector.post("/safety/hazards", data=new, follow_redirects=False).status_code == 303
    page = owner.get("/safety/hazards/HZ-PAGE-1", headers={"Accept-Language": "zh"}).text
    token = csrf_of(page)
    refused = owner.post(
        "/safety/hazards/HZ-PAGE-1/close",
        headers={"Accept-Language": "zh"},
        data={"csrf_token": token, "on": "2025-12-05"},
    )
    assert refused.status_code == 422 and "尚未验收" in refused.text
    not_image = owner.post(
        "/safety/hazards/HZ-PAGE-1/rectify",
        data={"csrf_token": token, "note": "done", "on": "2025-12-05"},
        files={"photos": ("after.png", b"MZ\x90\x00 not an image", "image/png")},
    )
    assert not_image.status_code == 422
    done = owner.post(
        "/safety/hazards/HZ-PAGE-1/rectify",
        data={"csrf_token": token, "note": "换新灭火器", "on": "2025-12-05"},
        files={"photos": ("after.png", png_bytes(), "image/png")},
        follow_redirects=False,
    )
    assert done.status_code == 303
    token = csrf_of(inspector.get("/safety/hazards/HZ-PAGE-1").text)
    for step in ("verify", "close"):
        answer = inspector.post(
            f"/safety/hazards/HZ-PAGE-1/{step}",
            data={"csrf_token": token, "on": "2025-12-06"},
            follow_redirects=False,
        )
        assert answer.status_code == 303
    final = inspector.get("/api/v1/safety/hazards/HZ-PAGE-1").json()
    assert final["fields"]["status"] == "closed" and final["version"] == 4
    photo = inspector.get(f"/safety/files/{final['fields']['photos'][0]}")
    assert photo.headers["content-type"] == "image/png"


def test_the_api_refuses_closing_an_unverified_hazard_in_the_callers_language(demo_app):
    api = TestClient(demo_app)
    login = api.post("/api/v1/login", json={"username": "manager", "password": "demo-manager-pass"})
    api.headers["X-CSRF-Token"] = login.json()["csrf_token"]
    body = {
        "key": "HZ-API-1",
        "entity": "HEFA",
        "fields": {
            "title": "叉车倒车报警器损坏",
            "severity": "general",
            "found_on": "2025-12-02",
            "owner": "x",
            "deadline": "2025-12-09",
        },
    }
    assert api.post("/api/v1/safety/hazards", json=body).status_code == 201
    refused = api.post(
        "/api/v1/safety/hazards/HZ-API-1/close",
        json={"on": "2025-12-03"},
        headers={"Accept-Language": "zh"},
    )
    assert refused.status_code in (400, 422) and "尚未验收" in refused.text
    assert api.get("/api/v1/safety/hazards/HZ-API-1").json()["version"] == 1
