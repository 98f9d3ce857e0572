"""The permits pages: record a result over its limit, see the exceedance, walk it to closure;
reporters see only their own sites; every visible string in Chinese on a Chinese page."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi import FastAPI

from esgledger.auth.roles import Role
from esgledger.auth.service import Principal
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.permits.model import LimitIn, OutletIn, PermitIn
from esgledger.permits.register import save_outlets, save_permits
from tests.web.conftest import csrf_of

ADMIN = Principal(0, "setup", Role.ADMIN, None)


def seed_permits(app: FastAPI) -> None:
    """A permit with a COD-limited outlet at SMELT and one at METAL (another site)."""
    database = open_database(app.state.settings.db)
    with unit_of_work(database) as session:
        for number, site in (("P-SMELT", "SMELT"), ("P-METAL", "METAL")):
            permit = PermitIn(
                number=number,
                entity=site,
                authority="包头市生态环境局",
                valid_from=date(2023, 1, 1),
                valid_to=date(2027, 12, 31),
            )
            save_permits(session, ADMIN, [permit], ["SMELT", "METAL"])
            limit = LimitIn(pollutant="cod", max=70, unit="mg/L")
            save_outlets(
                session,
                ADMIN,
                [OutletIn(permit=number, code="DW001", medium="water", limits=[limit])],
            )
    database.dispose()


@pytest.fixture
def permits_app(app: FastAPI) -> FastAPI:
    seed_permits(app)
    return app


def record(client, value: str, unit: str = "mg/L"):
    page = client.get("/permits")
    form = {
        "csrf_token": csrf_of(page.text),
        "outlet": "P-SMELT/DW001",
        "pollutant": "cod",
        "sampled_at": "2024-06-01T09:30",
        "value": value,
        "unit": unit,
        "method": "manual",
    }
    return client.post("/permits/results", data=form, follow_redirects=False)


def step(client, key: str, name: str, text: str = ""):
    page = client.get("/permits/exceedance", params={"key": key})
    version = page.text.split('name="version" value="')[1].split('"')[0]
    form = {
        "csrf_token": csrf_of(page.text),
        "key": key,
        "step": name,
        "version": version,
        "text": text,
    }
    return client.post("/permits/exceedance", data=form, follow_redirects=False)


def test_a_result_over_its_limit_opens_an_exceedance_that_walks_to_closure(permits_app, client_for):
    reporter = client_for("reporter")
    answer = record(reporter, "85")
    assert answer.status_code == 303 and "/permits/exceedance?key=" in answer.headers["location"]
    key = "P-SMELT/DW001/cod/2024-06-01T09:30"
    assert step(reporter, key, "cause", "Stripping tower fouled").status_code == 303
    manager = client_for("manager")
    assert step(manager, key, "correct", "Tower cleaned").status_code == 303
    assert step(manager, key, "close").status_code == 303
    page = manager.get("/permits/exceedance", params={"key": key})
    assert 'data-test="exceedance-status">Closed' in page.text
    assert "Stripping tower fouled" in page.text and 'data-test="step-form"' not in page.text


def test_a_wrong_unit_is_refused_on_the_page_in_chinese_and_nothing_is_recorded(
    permits_app, client_for
):
    reporter = client_for("reporter")
    reporter.cookies.set("lang", "zh")
    answer = record(reporter, "85", unit="t/a")
    assert answer.status_code == 400
    assert "无法换算为 mg/L" in answer.text
    assert "P-SMELT/DW001/cod" not in reporter.get("/permits").text


def test_a_reporter_sees_only_its_own_sites(permits_app, client_for):
    page = client_for("reporter").get("/permits").text
    assert "P-SMELT" in page and "P-METAL" not in page
    assert "P-METAL" in client_for("auditor").get("/permits").text


def test_the_chinese_page_has_no_english_labels(permits_app, client_for):
    manager = client_for("manager")
    manager.cookies.set("lang", "zh")
    page = manager.get("/permits").text
    for english in ("Exceedances", "Record a monitoring result", "Permit number", "Outlet"):
        assert english not in page
    assert "排污许可证" in page and "录入监测结果" in page
