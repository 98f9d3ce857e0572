"""Administrators manage accounts in the browser, through the same rules as the API."""

from __future__ import annotations

from html import unescape

from fastapi.testclient import TestClient

from esgledger.auth.service import entities_of, get_user, list_users
from esgledger.ledger.database import unit_of_work
from esgledger.notices.contacts import email_of
from tests.web.conftest import PASSWORD, csrf_of, log_in

NEW_PASSWORD = "purple otters juggle lanterns"


def post(client: TestClient, path: str, data: dict, page: str = "/users"):
    """Post a form of ``page`` as a browser does, with the page's CSRF token."""
    token = csrf_of(client.get(page).text)
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def account(app, username: str):
    with unit_of_work(app.state.database) as session:
        user = get_user(session, username)
        return user.role, user.active, entities_of(session, user.id)


def test_only_an_administrator_sees_the_users_page(client_for):
    assert client_for("admin").get("/users").status_code == 200
    for other in ("manager", "reporter", "auditor"):
        assert client_for(other).get("/users").status_code == 403
    assert 'href="/users"' in client_for("admin").get("/").text
    assert 'href="/users"' not in client_for("manager").get("/").text


def test_an_administrator_adds_a_reporter_for_one_entity(app, client_for):
    admin = client_for("admin")
    data = {"username": "li.wei", "display_name": "Li Wei", "role": "reporter"}
    response = post(admin, "/users", {**data, "password": NEW_PASSWORD, "entities": ["METAL"]})
    assert response.status_code == 303
    assert account(app, "li.wei") == ("reporter", True, ["METAL"])
    newcomer = TestClient(app)
    assert log_in(newcomer, "li.wei", NEW_PASSWORD).status_code == 303
    assert newcomer.get("/entry/SMELT/2024-01").status_code == 404  # not among its entities


def test_a_weak_password_or_a_taken_name_is_shown_on_the_page_and_nothing_is_saved(app, client_for):
    admin = client_for("admin")
    weak = post(admin, "/users", {"username": "zhang", "role": "auditor", "password": "short"})
    assert weak.status_code == 400 and 'data-test="users-error"' in weak.text
    taken = post(
        admin, "/users", {"username": "manager", "role": "auditor", "password": NEW_PASSWORD}
    )
    assert "exists already" in unescape(taken.text)
    with unit_of_work(app.state.database) as session:
        assert "zhang" not in [user.username for user, _ in list_users(session)]


def test_a_role_change_and_a_deactivation_take_effect(app, client_for):
    admin = client_for("admin")
    reporter = client_for("reporter")
    page = "/users/reporter"
    response = post(admin, f"{page}/role", {"role": "group-manager"}, page)
    assert response.status_code == 303
    assert account(app, "reporter")[0] == "group-manager"
    assert post(admin, f"{page}/active", {"active": "false"}, page).status_code == 303
    assert account(app, "reporter")[1] is False
    assert reporter.get("/", follow_redirects=False).status_code in (303, 401)
    assert log_in(TestClient(app), "reporter").status_code != 303


def test_the_last_administrator_can_be_neither_demoted_nor_deactivated(app, client_for):
    admin = client_for("admin")
    page = "/users/admin"
    demoted = post(admin, f"{page}/role", {"role": "auditor"}, page)
    assert demoted.status_code == 400 and "admin" in unescape(demoted.text).lower()
    stopped = post(admin, f"{page}/active", {"active": "false"}, page)
    assert stopped.status_code == 400
    assert account(app, "admin")[:2] == ("admin", True)


def test_a_password_reset_lets_the_user_in_with_the_new_password_only(app, client_for):
    admin = client_for("admin")
    page = "/users/auditor"
    assert post(admin, f"{page}/password", {"password": NEW_PASSWORD}, page).status_code == 303
    assert log_in(TestClient(app), "auditor", PASSWORD).status_code != 303
    assert log_in(TestClient(app), "auditor", NEW_PASSWORD).status_code == 303


def test_the_user_pages_speak_chinese(client_for):
    admin = client_for("admin")
    admin.cookies.set("lang", "zh")
    assert "添加用户" in admin.get("/users").text
    assert "重置密码" in admin.get("/users/reporter").text


def test_a_user_name_with_a_space_is_refused_with_the_allowed_characters(app, client_for):
    data = {"username": "li wei", "role": "auditor", "password": NEW_PASSWORD}
    response = post(client_for("admin"), "/users", data)
    assert response.status_code == 400
    assert "User name 'li wei' is not allowed: use 1–80 letters" in unescape(response.text)


def test_an_administrator_sets_the_address_notices_are_mailed_to(app, client_for):
    admin = client_for("admin")
    saved = post(admin, "/users/reporter/email", {"email": "li.na@example.cn"}, "/users/reporter")
    assert saved.status_code == 303 and saved.headers["location"] == "/users/reporter?done=email"
    assert 'value="li.na@example.cn"' in admin.get("/users/reporter").text
    with unit_of_work(app.state.database) as session:
        assert email_of(session, "reporter") == "li.na@example.cn"
    admin.cookies.set("lang", "zh")
    refused = post(admin, "/users/reporter/email", {"email": "li.na at example"}, "/users/reporter")
    assert refused.status_code == 400 and "li.na at example" in unescape(refused.text)
    assert "电子邮箱地址" in refused.text
    with unit_of_work(app.state.database) as session:
        assert email_of(session, "reporter") == "li.na@example.cn"  # the bad one was not kept
    removed = post(admin, "/users/reporter/email", {"email": ""}, "/users/reporter")
    assert removed.status_code == 303
    with unit_of_work(app.state.database) as session:
        assert email_of(session, "reporter") is None
    manager = client_for("manager")
    assert post(manager, "/users/reporter/email", {"email": "x@y.cn"}, "/").status_code == 403
