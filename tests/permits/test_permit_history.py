"""A permit's history: a renewal and a tightened limit read as what changed, who, when and
why, on the page (both languages), through the API and from a re-imported workbook."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from esgledger.auth.roles import Role
from esgledger.auth.service import Principal
from esgledger.errors import NotFoundError
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.ledger.reads.records import FieldChange
from esgledger.permits.history import limit_text, permit_history
from esgledger.permits.model import LimitIn, OutletIn, PermitIn
from esgledger.permits.register import save_outlets, save_permits
from tests.permits.test_api import api_as
from tests.permits.test_pages import seed_permits

ADMIN = Principal(0, "setup", Role.ADMIN, None)
SITES = ["SMELT", "METAL"]
RENEWAL = "换证：原证到期延续 (renewed on expiry)"


def renew(database: Engine) -> None:
    """P-SMELT renewed for five years; on its outlet COD tightened from 70 to 60 mg/L
    with a yearly amount; an unchanged outlet written again."""
    with unit_of_work(database) as session:
        permit = PermitIn(number="P-SMELT", entity="SMELT", authority="包头市生态环境局",
                          valid_from=date(2028, 1, 1), valid_to=date(2032, 12, 31))  # fmt: skip
        save_permits(session, ADMIN, [permit], SITES, reason=RENEWAL)
        cod = LimitIn(pollutant="cod", max=60, unit="mg/L", mass_limit=18, mass_unit="t/a")
        outlet = OutletIn(permit="P-SMELT", code="DW001", medium="water", limits=[cod])
        same = OutletIn(permit="P-METAL", code="DW001", medium="water",
                        limits=[LimitIn(pollutant="cod", max=70, unit="mg/L")])  # fmt: skip
        save_outlets(session, ADMIN, [outlet, same], reason=RENEWAL)


@pytest.fixture
def renewed(app: FastAPI) -> FastAPI:
    seed_permits(app)
    database = open_database(app.state.settings.db)
    renew(database)
    database.dispose()
    return app


def test_a_renewal_and_a_tightened_limit_read_as_field_changes(renewed):
    database = open_database(renewed.state.settings.db)
    with unit_of_work(database) as session:
        found = permit_history(session, ADMIN, "P-SMELT")
        metal = permit_history(session, ADMIN, "P-METAL")
    database.dispose()
    steps = [(c.subject, c.version.version, c.version.reason) for c in found.changes]
    assert steps == [("permit", 1, None), ("DW001", 1, None),
                     ("permit", 2, RENEWAL), ("DW001", 2, RENEWAL)]  # fmt: skip
    assert found.changes[2].changes == [
        FieldChange("valid_from", "2023-01-01", "2028-01-01"),
        FieldChange("valid_to", "2027-12-31", "2032-12-31"),
    ]
    [cod] = found.changes[3].changes
    assert cod.field == "limits.cod"
    assert (limit_text(cod.before), limit_text(cod.after)) == ("≤ 70 mg/L", "≤ 60 mg/L; 18 t/a")
    # the outlet written again unchanged has no second version
    assert [c.version.version for c in metal.changes] == [1, 1]


def test_limits_print_as_a_permit_prints_them():
    assert limit_text({"pollutant": "ph", "min": 6, "max": 9, "unit": "1"}) == "6–9"
    assert limit_text(None) == "—"
    assert limit_text("2032-12-31") == "2032-12-31"


def test_a_reporter_cannot_read_the_history_of_another_sites_permit(renewed):
    reporter = Principal(0, "reporter", Role.REPORTER, frozenset({"SMELT"}))
    database = open_database(renewed.state.settings.db)
    with unit_of_work(database) as session, pytest.raises(NotFoundError) as refused:
        permit_history(session, reporter, "P-METAL")
    database.dispose()
    assert refused.value.code == "permit.unknown_permit"


def test_the_permit_page_shows_each_change_in_chinese(renewed, client_for):
    manager = client_for("manager")
    manager.cookies.set("lang", "zh")
    listing = manager.get("/permits").text
    assert 'href="/permits/permit?number=P-SMELT"' in listing
    page = manager.get("/permits/permit", params={"number": "P-SMELT"}).text
    assert "有效期止: 2027-12-31 → 2032-12-31" in page
    assert "化学需氧量: ≤ 70 mg/L → ≤ 60 mg/L; 18 t/a" in page
    assert RENEWAL in page and "首次登记" in page
    for english in ("Changes", "What changed", "Valid to", "First recorded", "Permit "):
        assert english not in page


def test_the_permit_page_in_english_and_an_unknown_permit(renewed, client_for):
    manager = client_for("manager")
    page = manager.get("/permits/permit", params={"number": "P-SMELT"}).text
    assert "Valid to: 2027-12-31 → 2032-12-31" in page
    missing = manager.get("/permits/permit", params={"number": "P-NONE"})
    assert missing.status_code == 400 and "no permit P-NONE" in missing.text
    reporter = client_for("reporter").get("/permits/permit", params={"number": "P-METAL"})
    assert "no permit P-METAL" in reporter.text


def test_the_api_returns_the_history_and_404_for_a_permit_out_of_reach(renewed):
    answer = api_as(renewed, "manager").get("/api/v1/permits/P-SMELT/history")
    assert answer.status_code == 200
    body = answer.json()
    assert body["permit"]["fields"]["valid_to"] == "2032-12-31"
    renewal = body["changes"][2]
    assert renewal["reason"] == RENEWAL and renewal["changes"][1] == {
        "field": "valid_to", "before": "2027-12-31", "after": "2032-12-31"}  # fmt: skip
    assert api_as(renewed, "reporter").get("/api/v1/permits/P-METAL/history").status_code == 404
