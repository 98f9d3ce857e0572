"""Security headers on every response, pages that a strict CSP does not break, the
password page, and logins from the form (new session each time, throttled with 429)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from esgledger.api.deps import SESSION_COOKIE
from tests.web.conftest import PASSWORD, csrf_of, log_in

PAGES = [
    "/",
    "/entry",
    "/entry/SMELT/2024-01",
    "/review",
    "/completeness",
    "/explain",
    "/targets",
    "/pathways",
    "/report",
    "/audit",
    "/password",
    "/logout",
]
INLINE = re.compile(r"style=|<style|<script(?![^>]*\bsrc=)|javascript:|\son[a-z]+=", re.I)


def test_every_response_carries_the_security_headers(app):
    client = TestClient(app)
    for path in ("/login", "/api/v1/me", "/static/style.css", "/no-such-page"):
        headers = client.get(path).headers
        policy = headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert "strict-transport-security" not in headers  # plain HTTP


def test_hsts_only_over_https(app):
    headers = TestClient(app, base_url="https://testserver").get("/login").headers
    assert headers["strict-transport-security"].startswith("max-age=")


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_api_docs_get_a_policy_of_this_server_only_with_no_inline_script(app, path):
    page = TestClient(app).get(path)
    policy = page.headers["content-security-policy"]
    assert not re.findall(r'(?:src|href)="(https?://[^/"]+)', page.text)  # packaged assets
    assert "http" not in policy  # no other host may serve anything
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert script_src.strip() == "script-src 'self'"
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize("username", ["admin", "reporter"])
def test_pages_have_no_inline_script_or_style_the_policy_would_block(client_for, username):
    client = client_for(username)
    for path in PAGES:
        page = client.get(path)
        assert page.status_code in (200, 403, 404), (path, page.status_code)
        assert not INLINE.search(page.text), (path, INLINE.search(page.text))


def test_error_pages_have_no_inline_script_either(client_for):
    page = client_for("admin").get("/entry/NOPE/2024")
    assert page.status_code == 404
    assert not INLINE.search(page.text)


def test_logging_in_again_from_the_form_ends_the_previous_session(app):
    client = TestClient(app)
    log_in(client, "manager")
    first = client.cookies[SESSION_COOKIE]
    log_in(client, "manager")
    assert client.cookies[SESSION_COOKIE] != first
    old = TestClient(app)
    old.cookies[SESSION_COOKIE] = first
    assert old.get("/", follow_redirects=False).status_code == 303  # back to the login


def test_the_login_form_says_when_to_try_again_after_five_failures(app):
    client = TestClient(app)
    for _ in range(5):
        assert log_in(client, "manager", "wrong-wrong-wrong").status_code == 401
    refused = log_in(client, "manager")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert 'data-test="login-error"' in refused.text


def test_the_password_page_changes_the_password_and_keeps_this_browser_in(app, client_for):
    client, elsewhere = client_for("manager"), client_for("manager")
    form = client.get("/password")
    assert form.status_code == 200
    body = {
        "csrf_token": csrf_of(form.text),
        "current_password": PASSWORD,
        "new_password": "password",
        "repeat_password": "password",
    }
    weak = client.post("/password", data=body)
    assert weak.status_code == 400 and "at least 12" in weak.text
    body |= {"new_password": "quarry violet kettle", "repeat_password": "quarry violet kettle"}
    done = client.post("/password", data=body)
    assert done.status_code == 200 and 'data-test="password-done"' in done.text
    assert client.get("/", follow_redirects=False).status_code == 200
    assert elsewhere.get("/", follow_redirects=False).status_code == 303
    assert log_in(TestClient(app), "manager", "quarry violet kettle").status_code == 303


def test_the_password_form_needs_the_csrf_token(client_for):
    client = client_for("manager")
    body = {"current_password": PASSWORD, "new_password": "x" * 20, "repeat_password": "x" * 20}
    assert client.post("/password", data=body).status_code == 403


def test_an_overlong_user_name_on_the_login_form_is_refused_before_any_check(app):
    response = log_in(TestClient(app), "x" * 300)
    assert response.status_code == 422
