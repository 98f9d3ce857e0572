"""The audit log page: filters shared with the API, the CSV export, verification on request."""

from __future__ import annotations

import csv
import io

from sqlalchemy import create_engine, select, text

from esgledger.ledger.schema import AuditEntry, RecordVersion
from esgledger.web.i18n import messages
from tests.web.conftest import csrf_of


def _actions(html: str) -> list[str]:
    return [cell.split('"')[0] for cell in html.split('<span class="badge" data-action="')[1:]]


def test_viewing_the_audit_page_does_not_verify_but_verify_now_does(app, client_for):
    client = client_for("auditor")
    with app.state.database.begin() as connection:  # edit a past entry behind esgledger's back
        connection.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE id = 2"))
    page = client.get("/audit")
    assert page.status_code == 200
    assert 'data-test="chain-unchecked"' in page.text
    assert "chain-broken" not in page.text and "chain-ok" not in page.text
    verified = client.post("/audit/verify", data={"csrf_token": csrf_of(page.text)})
    assert verified.status_code == 200
    assert 'data-test="chain-broken"' in verified.text
    assert "entry 2" in verified.text


def test_only_auditors_and_admins_may_verify_from_the_page(client_for):
    client = client_for("manager")
    token = csrf_of(client.get("/").text)
    assert client.post("/audit/verify", data={"csrf_token": token}).status_code == 403


def test_the_audit_page_filters_by_action_actor_entity_and_day(client_for):
    client = client_for("auditor")
    assert set(_actions(client.get("/audit?action=user.add").text)) == {"user.add"}
    assert _actions(client.get("/audit?actor=nobody").text) == []
    # the seed saves SMELT's and METAL's January (one import each), then approves both at once
    assert _actions(client.get("/audit").text).count("import") == 2
    assert _actions(client.get("/audit?entity=SMELT").text) == ["approved", "import"]
    assert _actions(client.get("/audit?entity=NOWHERE").text) == []
    assert _actions(client.get("/audit?from=2000-01-01&to=2000-01-02").text) == []


def test_the_pager_and_the_export_link_keep_the_filters(client_for):
    page = client_for("auditor").get("/audit?action=user.add&from=2000-01-01").text
    assert "/api/v1/audit/export?action=user.add&amp;from=2000-01-01" in page
    assert 'action="/audit/verify?action=user.add&amp;from=2000-01-01"' in page


def test_the_export_holds_every_filtered_entry_as_csv(client_for):
    client = client_for("auditor")
    response = client.get("/api/v1/audit/export", params={"action": "user.add"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 4 and {row["action"] for row in rows} == {"user.add"}
    ids = [int(row["id"]) for row in rows]
    assert ids == sorted(ids, reverse=True)


def test_the_filter_form_sent_with_empty_fields_shows_everything(client_for):
    client = client_for("auditor")
    everything = _actions(client.get("/audit").text)
    sent = client.get("/audit?entity=&actor=&action=&from=&to=")
    assert sent.status_code == 200 and _actions(sent.text) == everything


def test_a_day_not_written_as_a_date_is_a_clear_error(client_for):
    page = client_for("auditor").get("/audit?from=31.03.2025")
    assert page.status_code == 400
    assert "should read like 2025-03-31, got &#39;31.03.2025&#39;" in page.text


def test_every_action_and_register_of_the_demo_ledger_has_a_chinese_name(demo_ledger):
    """The audit page names actions and registers from the locale files; a new kind of write
    without a Chinese name would show its code on a Chinese page."""
    engine = create_engine(demo_ledger.url)
    with engine.connect() as connection:
        actions = set(connection.scalars(select(AuditEntry.action).distinct()))
        registers = set(connection.scalars(select(RecordVersion.register).distinct()))
    engine.dispose()
    zh = messages("zh")
    unnamed = sorted(a for a in actions if f"audit.action.{a}" not in zh)
    unnamed += sorted(r for r in registers if f"audit.register.{r}" not in zh)
    assert unnamed == []
