"""Every page renders for the roles that may see it, and refuses the others.

Clients log in through the /login form, as a browser does; role rules are the API's, so a
reporter's other entities are "not found" and a read-only role gets 403 on any write.
"""

from __future__ import annotations

import pytest
import yaml
from fastapi.testclient import TestClient

from esgledger.web.i18n import LOCALE_DIR
from tests.web.conftest import csrf_of, log_in

PAGES = {
    "/": {"admin", "manager", "reporter", "auditor"},
    "/entry": {"admin", "manager", "reporter", "auditor"},
    "/entry/SMELT/2024-01": {"admin", "manager", "reporter", "auditor"},
    "/entry/SMELT/2024": {"admin", "manager", "reporter", "auditor"},
    "/review": {"admin", "manager", "auditor"},
    "/review/SMELT/2023": {"admin", "manager", "auditor"},
    "/observations/SMELT/2023-01/energy.purchased_electricity": {
        "admin",
        "manager",
        "reporter",
        "auditor",
    },
    "/explain?indicator=ghg.scope2&code=SMELT&period=2023": {
        "admin",
        "manager",
        "reporter",
        "auditor",
    },
    "/explain": {"admin", "manager", "reporter", "auditor"},
    "/completeness?year=2023": {"admin", "manager", "reporter", "auditor"},
    "/audit": {"admin", "auditor"},
}


@pytest.mark.parametrize("username", ["admin", "manager", "reporter", "auditor"])
def test_pages_render_for_the_roles_that_may_see_them(client_for, username):
    client = client_for(username)
    for path, allowed in PAGES.items():
        response = client.get(path)
        if username in allowed:
            assert response.status_code == 200, (path, response.text[:500])
            assert '<link rel="alternate" type="application/json"' in response.text, path
        else:
            assert response.status_code == 403, path
            assert "error-card" in response.text


def test_a_visitor_is_sent_to_the_login_form_and_back(app):
    client = TestClient(app)
    response = client.get("/review", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Freview"
    page = client.get(response.headers["location"])
    assert 'name="next" value="/review"' in page.text
    response = client.post(
        "/login",
        data={"username": "manager", "password": "correct horse battery", "next": "/review"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/review"


def test_a_wrong_password_shows_the_message_and_repeated_failures_are_throttled(app):
    client = TestClient(app)
    response = log_in(client, "manager", "wrong password")
    assert response.status_code == 401
    assert "Wrong user name or password." in response.text
    for _ in range(5):
        log_in(client, "manager", "wrong password")
    response = log_in(client, "manager", "correct horse battery")
    assert "Too many failed sign-ins" in response.text


def test_the_login_form_never_redirects_off_site(app):
    client = TestClient(app)
    client.get("/login")
    response = client.post(
        "/login",
        data={"username": "manager", "password": "correct horse battery", "next": "//evil.test"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_logging_out_ends_the_session(client_for):
    client = client_for("reporter")
    page = client.get("/logout")
    response = client.post("/logout", data={"csrf_token": csrf_of(page.text)})
    assert response.url.path == "/login"
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_reporter_sees_only_its_own_entities(client_for):
    client = client_for("reporter")
    for path in (
        "/entry/METAL/2024-01",
        "/observations/METAL/2023-01/energy.purchased_electricity",
        "/explain?indicator=ghg.scope2&code=METAL&period=2023",
        "/explain?indicator=ghg.scope2&code=group&period=2023",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "among yours" in response.text
    for path in ("/", "/completeness?year=2023", "/entry"):
        text = client.get(path).text
        assert "Smelter" in text
        assert "Metal plant" not in text, path


def test_an_auditor_reads_but_cannot_write(client_for):
    client = client_for("auditor")
    page = client.get("/entry/SMELT/2024-01")
    assert "Save draft" not in page.text
    assert "disabled" in page.text
    token = csrf_of(page.text)
    writes = {
        "/entry/SMELT/2024-01": {"v.energy.purchased_electricity": "5", "action": "save"},
        "/review/SMELT/2023": {"action": "approve"},
        "/review/lock/2023": {},
    }
    for path, data in writes.items():
        response = client.post(path, data={**data, "csrf_token": token})
        assert response.status_code == 403, path
        assert "may not" in response.text
    review = client.get("/review/SMELT/2023")
    assert 'value="approve"' not in review.text


def test_a_write_without_the_csrf_token_is_refused(client_for):
    client = client_for("reporter")
    response = client.post(
        "/entry/SMELT/2024-01", data={"v.energy.purchased_electricity": "5", "action": "save"}
    )
    assert response.status_code == 403
    assert "CSRF" in response.text


def test_errors_are_pages_for_pages_and_json_for_the_api(client_for):
    client = client_for("manager")
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Not found" in page.text
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404
    assert api.json()["ok"] is False
    bad_period = client.get("/entry/SMELT/2024-Q1")
    assert bad_period.status_code == 400
    assert "a year (2024) or a month (2024-03)" in bad_period.text


def test_the_language_switch_shows_chinese_names(client_for):
    client = client_for("reporter")
    response = client.get("/lang/zh?next=/entry/SMELT/2024-01")
    assert response.url.path == "/entry/SMELT/2024-01"
    text = response.text
    assert '<html lang="zh-CN">' in text
    assert "外购电力" in text  # the catalog's Chinese name of purchased electricity
    assert "冶炼厂" in text  # the entity's Chinese name
    assert "保存草稿" in text
    assert "Save draft" not in text
    back = client.get("/lang/en?next=/")
    assert "Dashboard" in back.text


def test_the_dashboard_draws_charts_and_reuses_them(app, client_for):
    client = client_for("manager")
    first = client.get("/")
    assert first.text.count("<svg") >= 2
    assert "Scope 1, 2 and 3 emissions by entity" in first.text
    cached = len(app.state.chart_cache)
    client.get("/")
    assert len(app.state.chart_cache) == cached
    client.get("/lang/zh?next=/")
    assert len(app.state.chart_cache) == cached + 1


def test_the_dashboard_shows_the_months_of_the_group_or_of_a_chosen_entity(client_for):
    text = client_for("manager").get("/").text
    assert 'data-test="monthly-table"' in text and "Monthly trend" in text
    assert 'data-cell="group|2023-01|energy.total"' in text
    assert "period=2023-01" in text  # each month's figure explains itself
    chosen = client_for("manager").get("/?trend=METAL").text
    assert 'data-cell="METAL|2023-01|energy.total"' in chosen
    assert 'data-cell="group|2023-01|energy.total"' not in chosen
    # a reporter sees its own entity's months only, whatever it asks for
    own = client_for("reporter").get("/?trend=METAL").text
    assert 'data-cell="SMELT|2023-01|energy.total"' in own and "METAL|" not in own


def test_explain_shows_a_month(client_for):
    page = client_for("manager").get("/explain?indicator=energy.total&code=SMELT&period=2023-01")
    # 1,000 MWh x 0.1229 tce/MWh
    assert page.status_code == 200 and "122.9" in page.text


def test_the_audit_page_verifies_the_chain_when_asked(client_for):
    client = client_for("auditor")
    page = client.get("/audit")
    assert 'data-test="chain-unchecked"' in page.text and "user.add" in page.text
    verified = client.post("/audit/verify", data={"csrf_token": csrf_of(page.text)})
    assert 'data-test="chain-ok"' in verified.text


def test_both_languages_have_the_same_keys():
    for english_file in [LOCALE_DIR / "en.yaml", *LOCALE_DIR.glob("*/en.yaml")]:
        english = yaml.safe_load(english_file.read_text(encoding="utf-8"))
        chinese_file = english_file.with_name("zh.yaml")
        chinese = yaml.safe_load(chinese_file.read_text(encoding="utf-8"))
        assert set(english) == set(chinese), chinese_file
