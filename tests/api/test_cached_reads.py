"""The fast paths of GET /api/v1/dashboard and authentication stay exact.

The dashboard body is kept per ledger version and caller scope, and the caller is looked
up on the event loop with a connection of its own (see ``api/loopreads.py``); none of it
may show a stale ledger, another caller's scope, or honour a revoked token.
"""

from __future__ import annotations

from sqlalchemy import select, update

from esgledger.auth import service
from esgledger.auth.schema import ApiToken, User
from tests.api.conftest import GAS, REO


def _codes(client) -> set[str]:
    response = client.get("/api/v1/dashboard")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return {e["code"] for e in response.json()["emissions"]}


def test_the_dashboard_shows_a_write_on_the_next_read(api):
    manager = api.client("manager")
    assert _codes(manager) == {"group", "GRP", "METAL", "SMELT"}
    before = manager.get("/api/v1/dashboard").json()
    api.save("SMELT", "2024", {REO: "5000", GAS: "100"}, submit=True)
    api.approve_submitted()
    after = manager.get("/api/v1/dashboard").json()
    assert after != before
    assert any(row["carrier"] == GAS for row in after["energy_mix"])


def test_callers_with_other_scopes_do_not_share_a_kept_body(api):
    api.save("SMELT", "2024", {REO: "5000", GAS: "100"}, submit=True)
    api.approve_submitted()
    assert _codes(api.client("manager")) == {"group", "GRP", "METAL", "SMELT"}
    assert _codes(api.client("smelt")) == {"SMELT"}
    assert _codes(api.client("metal")) == {"METAL"}
    assert api.client("smelt").get("/api/v1/dashboard").json()["intensities"] == []


def test_a_changed_grant_applies_to_the_next_request(api):
    assert _codes(api.client("smelt")) == {"SMELT"}
    with api.session() as session:
        service.grant(session, "tester", "smelt", entities=["METAL"])
    assert _codes(api.client("smelt")) == {"METAL"}
    assert api.client("smelt").get("/api/v1/me").json()["entities"] == ["METAL"]


def test_a_revoked_token_or_a_deactivated_user_is_refused_at_once(api):
    smelt, auditor = api.client("smelt"), api.client("auditor")
    assert smelt.get("/api/v1/dashboard").status_code == 200
    assert auditor.get("/api/v1/me").status_code == 200
    with api.session() as session:  # no audit entry: the ledger version does not move
        smelt_id = select(User.id).filter_by(username="smelt").scalar_subquery()
        session.execute(update(ApiToken).where(ApiToken.user_id == smelt_id).values(revoked=True))
        session.execute(update(User).where(User.username == "auditor").values(active=False))
    for client, path in ((smelt, "/api/v1/dashboard"), (auditor, "/api/v1/me")):
        response = client.get(path)
        assert response.status_code == 401, response.text
        assert "revoked" in response.json()["error"]["message"]
