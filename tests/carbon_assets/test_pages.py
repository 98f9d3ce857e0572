"""The carbon assets page and API: record movements, see holdings and the compliance gap,
write retirements to Scope 2; refusals in the user's language; reporters see their sites."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from esgledger.carbon_assets.model import VerifiedIn
from esgledger.carbon_assets.register import save_verified
from esgledger.carbon_assets.scope2_feed import LINEAGE
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.ledger.reads.records import current_records
from tests.carbon_assets.conftest import MANAGER, SITES, move, save
from tests.permits.test_api import api_as
from tests.web.conftest import csrf_of


@pytest.fixture
def carbon_app(app: FastAPI) -> FastAPI:
    """SMELT: 1,000 CEA allocated for 2024 and 1,200 t verified; METAL: 300 GECs bought."""
    database = open_database(app.state.settings.db)
    save(
        database,
        move("A-S-24", "SMELT", "cea", "allocation", 1000, compliance_year=2024),
        move("G-M", "METAL", "gec", "purchase", 300),
    )
    with unit_of_work(database) as session:
        save_verified(session, MANAGER, [VerifiedIn(entity="SMELT", year=2024,
                                                    verified_tco2=1200)], SITES)  # fmt: skip
    database.dispose()
    return app


def post_movement(client, **fields):
    page = client.get("/carbon-assets")
    form = {"csrf_token": csrf_of(page.text), "on": "2024-12-01", **fields}
    return client.post("/carbon-assets/movements", data=form, follow_redirects=False)


def test_a_recorded_surrender_closes_part_of_the_gap(carbon_app, client_for):
    manager = client_for("manager")
    page = manager.get("/carbon-assets").text
    # 1,200 due, nothing surrendered: gap 1,200, 1,000 held, 200 to buy
    assert "1,200" in page and "<strong>200.0</strong>" in page
    answer = post_movement(manager, ref="SUR-24", entity="SMELT", instrument="cea",
                           kind="surrender", quantity="1000", compliance_year="2024")  # fmt: skip
    assert answer.status_code == 303
    page = manager.get("/carbon-assets").text
    assert "SUR-24" in page and "<strong>200.0</strong>" in page  # gap 200, held 0: still 200


def test_a_surrender_beyond_holdings_is_refused_in_chinese_and_nothing_is_recorded(
    carbon_app, client_for
):
    manager = client_for("manager")
    manager.cookies.set("lang", "zh")
    answer = post_movement(manager, ref="SUR-X", entity="SMELT", instrument="cea",
                           kind="surrender", quantity="5000", compliance_year="2024")  # fmt: skip
    assert answer.status_code == 400
    assert "少于本次转出的 5000.0" in answer.text
    assert "SUR-X" not in manager.get("/carbon-assets").text.split('id="movements"')[1]


def test_a_reporter_sees_only_its_own_sites(carbon_app, client_for):
    page = client_for("reporter").get("/carbon-assets").text
    assert "A-S-24" in page and "G-M" not in page


def test_the_chinese_page_has_no_english_labels(carbon_app, client_for):
    manager = client_for("manager")
    manager.cookies.set("lang", "zh")
    page = manager.get("/carbon-assets").text
    for english in ("Compliance gap", "Holdings", "Record a movement", "Allocation"):
        assert english not in page
    assert "履约缺口" in page and "登记变动" in page


def test_retirements_are_written_to_scope2_from_the_page(carbon_app, client_for):
    manager = client_for("manager")
    answer = post_movement(manager, ref="G-RET", entity="METAL", instrument="gec",
                           kind="retirement", quantity="300", period="2024-05",
                           serials="1-300", production_year="2024")  # fmt: skip
    assert answer.status_code == 303
    page = manager.get("/carbon-assets")
    feed = manager.post("/carbon-assets/scope2-feed", data={"csrf_token": csrf_of(page.text)},
                        follow_redirects=False)  # fmt: skip
    assert feed.status_code == 303 and "fed=1" in feed.headers["location"]
    database = open_database(carbon_app.state.settings.db)
    with unit_of_work(database) as session:
        (lineage,) = current_records(session, LINEAGE)
    database.dispose()
    assert (lineage.key, lineage.payload["mwh"]) == ("METAL|2024-05", 300.0)


def test_the_api_lists_and_refuses_like_the_page(carbon_app):
    manager = api_as(carbon_app, "manager")
    body = manager.get("/api/v1/carbon-assets").json()
    (gap,) = body["compliance_gap"]
    assert (gap["entity"], gap["gap"], gap["to_buy"]) == ("SMELT", 1200.0, 200.0)
    twice = [
        {"ref": "R1", "entity": "METAL", "instrument": "gec", "kind": "retirement",
         "quantity": 10, "on": "2024-06-01", "period": "2024-06", "serials": "1-10",
         "production_year": 2024},
        {"ref": "R2", "entity": "METAL", "instrument": "gec", "kind": "retirement",
         "quantity": 10, "on": "2024-06-01", "period": "2024-07", "serials": "5-14",
         "production_year": 2024},
    ]  # fmt: skip
    answer = manager.post("/api/v1/carbon-assets/movements", json=twice)
    assert answer.status_code == 400 and "retired once" in answer.text
    assert manager.post("/api/v1/carbon-assets/movements", json=twice[:1]).status_code == 201


@pytest.mark.parametrize("year", [False, True, 24, "2024x"])
def test_the_scope2_feed_refuses_what_is_not_a_year(carbon_app, year):
    manager = api_as(carbon_app, "manager")
    answer = manager.post("/api/v1/carbon-assets/scope2-feed", json={"year": year})
    assert answer.status_code == 422 and "year" in answer.text
    assert manager.post("/api/v1/carbon-assets/scope2-feed", json={"year": 2024}).status_code == 200


def test_the_api_refuses_true_for_a_quantity(carbon_app):
    movement = {"ref": "R1", "entity": "METAL", "instrument": "gec", "kind": "retirement",
                "quantity": True, "on": "2024-06-01", "period": "2024-06",
                "serials": "1-1", "production_year": 2024}  # fmt: skip
    answer = api_as(carbon_app, "manager").post("/api/v1/carbon-assets/movements", json=[movement])
    assert answer.status_code == 422 and "quantity" in answer.text
