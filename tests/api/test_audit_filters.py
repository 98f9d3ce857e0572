"""GET /api/v1/audit filters (entity, actor, action, days) and GET /api/v1/audit/export."""

from __future__ import annotations

import csv
import io

from esgledger.ledger.database import utcnow
from tests.api.conftest import REO


def test_the_audit_log_filters_by_entity_and_days(api):
    api.save("SMELT", "2024", {REO: "5000"})
    api.save("METAL", "2024", {REO: "100"})
    auditor = api.client("auditor")
    smelt = auditor.get("/api/v1/audit", params={"entity": "SMELT"}).json()
    assert [e["action"] for e in smelt["items"]] == ["import"] and smelt["total"] == 1
    assert smelt["items"][0]["detail"]["new_revisions"] == 1
    today = utcnow().date().isoformat()
    both = auditor.get("/api/v1/audit", params={"from": today, "to": today, "action": "import"})
    assert both.json()["total"] == 2
    before = auditor.get("/api/v1/audit", params={"to": "2000-01-01"}).json()
    assert before["total"] == 0 and before["items"] == []


def test_a_reversed_day_range_or_a_non_date_is_refused(api):
    auditor = api.client("auditor")
    reversed_days = auditor.get("/api/v1/audit", params={"from": "2024-05-02", "to": "2024-05-01"})
    assert reversed_days.status_code == 400
    assert "give the earlier day first" in reversed_days.text
    for not_a_day in ("May 2", "0", "2024-5-2"):
        assert auditor.get("/api/v1/audit", params={"from": not_a_day}).status_code == 422


def test_the_export_is_for_auditors_and_holds_the_filtered_entries(api):
    api.save("SMELT", "2024", {REO: "5000"})
    assert api.client("smelt").get("/api/v1/audit/export").status_code == 403
    response = api.client("admin").get("/api/v1/audit/export", params={"action": "import"})
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["action"] for row in rows] == ["import"]
    assert set(rows[0]) == {"id", "at_utc", "actor", "action", "detail", "prev_hash", "entry_hash"}
