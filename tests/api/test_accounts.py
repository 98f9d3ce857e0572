"""Accounts over the API: sessions rotate, logout needs CSRF, tokens revoke, users deactivate,
passwords change under the policy, the last admin stays, and every change is audited."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from esgledger.api.deps import SESSION_COOKIE
from esgledger.auth.schema import LoginSession
from esgledger.ledger.database import utcnow
from tests.api.conftest import PASSWORD

NEW_PASSWORD = "quarry violet kettle"


def actions(api, actor: str, count: int) -> list[str]:
    entries = api.client("auditor").get("/api/v1/audit", params={"actor": actor}).json()
    return [e["action"] for e in entries["items"][:count]]


def test_logging_in_again_gives_a_new_session_and_ends_the_old_one(api):
    client, _csrf = api.login("manager")
    first = client.cookies[SESSION_COOKIE]
    again = client.post("/api/v1/login", json={"username": "manager", "password": PASSWORD})
    assert again.status_code == 200
    second = client.cookies[SESSION_COOKIE]
    assert second != first
    assert client.get("/api/v1/me").status_code == 200
    stolen = api.client()
    stolen.cookies[SESSION_COOKIE] = first
    assert stolen.get("/api/v1/me").status_code == 401


def test_a_session_id_planted_before_login_is_not_kept(api):
    client = api.client()
    client.cookies[SESSION_COOKIE] = "chosen-by-the-attacker"
    login = client.post("/api/v1/login", json={"username": "manager", "password": PASSWORD})
    assert login.cookies[SESSION_COOKIE] not in ("", "chosen-by-the-attacker")


def test_api_logout_needs_the_csrf_token_like_every_cookie_write(api):
    client, csrf = api.login("manager")
    refused = client.post("/api/v1/logout")
    assert refused.status_code == 403 and "CSRF" in refused.json()["error"]["message"]
    assert client.get("/api/v1/me").status_code == 200  # still logged in
    assert client.post("/api/v1/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert client.get("/api/v1/me").status_code == 401


def test_a_bearer_token_needs_no_csrf_token_to_log_out(api):
    assert api.client("manager").post("/api/v1/logout").status_code == 204


def test_a_user_lists_and_revokes_its_own_tokens(api):
    manager = api.client("manager")
    secret = manager.post("/api/v1/tokens", json={"name": "nightly"}).json()["token"]
    listed = manager.get("/api/v1/tokens").json()
    assert [t["name"] for t in listed] == ["tests", "nightly"]
    assert "token" not in listed[1] and listed[1]["revoked"] is False
    script = api.client()
    script.headers["Authorization"] = f"Bearer {secret}"
    assert script.get("/api/v1/me").status_code == 200
    revoked = manager.post(f"/api/v1/tokens/{listed[1]['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked"] is True
    assert script.get("/api/v1/me").status_code == 401
    assert manager.get("/api/v1/me").status_code == 200  # the other token still works
    assert actions(api, "manager", 1) == ["token.revoke"]


def test_another_users_token_cannot_be_revoked(api):
    admins = api.client("admin").get("/api/v1/tokens").json()
    response = api.client("manager").post(f"/api/v1/tokens/{admins[0]['id']}/revoke")
    assert response.status_code == 404
    assert api.client("admin").get("/api/v1/me").status_code == 200


def test_a_deactivated_user_is_locked_out_at_once_and_can_be_let_back_in(api):
    admin = api.client("admin")
    browser, _csrf = api.login("smelt")
    off = admin.patch("/api/v1/users/smelt", json={"active": False})
    assert off.status_code == 200 and off.json()["active"] is False
    assert api.client("smelt").get("/api/v1/me").status_code == 401  # its API token
    assert browser.get("/api/v1/me").status_code == 401  # its session
    login = api.client().post("/api/v1/login", json={"username": "smelt", "password": PASSWORD})
    assert login.status_code == 401
    assert login.json()["error"]["message"] == "wrong user name or password"
    assert admin.patch("/api/v1/users/smelt", json={"active": True}).status_code == 200
    assert api.client("smelt").get("/api/v1/me").status_code == 200
    assert actions(api, "admin", 2) == ["user.activate", "user.deactivate"]


def test_the_last_active_admin_can_be_neither_demoted_nor_deactivated(api):
    admin = api.client("admin")
    for change in ({"role": "auditor"}, {"active": False}):
        refused = admin.patch("/api/v1/users/admin", json=change)
        assert refused.status_code == 400, refused.text
        assert "last active administrator" in refused.json()["error"]["message"]
    assert admin.get("/api/v1/users").status_code == 200  # still an admin
    assert admin.patch("/api/v1/users/manager", json={"role": "admin"}).status_code == 200
    assert admin.patch("/api/v1/users/admin", json={"role": "auditor"}).status_code == 200
    assert admin.get("/api/v1/users").status_code == 403


def test_changing_ones_password_ends_the_other_sessions(api):
    browser, csrf = api.login("manager")
    other_browser, _ = api.login("manager")
    wrong = browser.post(
        "/api/v1/password",
        json={"current_password": "not-the-one-at-all", "new_password": NEW_PASSWORD},
        headers={"X-CSRF-Token": csrf},
    )
    assert wrong.status_code == 400 and "current password is wrong" in wrong.text
    weak = browser.post(
        "/api/v1/password",
        json={"current_password": PASSWORD, "new_password": "password"},
        headers={"X-CSRF-Token": csrf},
    )
    assert weak.status_code == 422 and "at least 12" in weak.json()["error"]["message"]
    changed = browser.post(
        "/api/v1/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers={"X-CSRF-Token": csrf},
    )
    assert changed.status_code == 204
    assert other_browser.get("/api/v1/me").status_code == 401
    client = api.client()
    old = client.post("/api/v1/login", json={"username": "manager", "password": PASSWORD})
    assert old.status_code == 401
    new = client.post("/api/v1/login", json={"username": "manager", "password": NEW_PASSWORD})
    assert new.status_code == 200
    assert "user.password" in actions(api, "manager", 3)
    assert NEW_PASSWORD not in api.client("auditor").get("/api/v1/audit").text


def test_guessing_the_current_password_is_throttled(api):
    manager = api.client("manager")
    body = {"current_password": "guess-guess-guess", "new_password": NEW_PASSWORD}
    statuses = [manager.post("/api/v1/password", json=body).status_code for _ in range(6)]
    assert statuses == [400] * 5 + [429]


def test_new_accounts_need_a_password_the_policy_accepts(api):
    admin = api.client("admin")
    for password, reason in (
        ("password", "at least 12"),
        (" " * 8, "blank"),
        (" " * 14, "blank"),
        ("qwerty123456", "leaked"),
    ):
        body = {"username": "lin", "password": password, "role": "auditor"}
        refused = admin.post("/api/v1/users", json=body)
        assert refused.status_code == 422, refused.text
        assert reason in refused.json()["error"]["message"]
    assert admin.get("/api/v1/users").json()["total"] == 5


def test_expired_sessions_are_removed_when_someone_logs_in(api):
    api.login("manager")
    with api.session() as session:
        for row in session.scalars(select(LoginSession)):
            row.expires_at = utcnow() - timedelta(seconds=1)
    api.login("auditor")
    with api.session() as session:
        assert len(session.scalars(select(LoginSession)).all()) == 1
