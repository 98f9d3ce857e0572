"""The review workflow through the API: statuses, reasons, locks, restatements, review."""

from __future__ import annotations

from tests.api.conftest import GAS, REO

SMELT_REO = {"entity": "SMELT", "period": "2024", "indicator": REO}


def status_of(api, entity="SMELT", period="2024", indicator=REO):
    items = api.client("admin").get(
        "/api/v1/observations", params={"entity": entity, "indicator": indicator}
    )
    return {o["period"]: o["status"] for o in items.json()["items"]}[period]


def post(client, path, body):
    response = client.post(f"/api/v1/workflow/{path}", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_draft_submitted_approved_locked_and_each_step_in_history(api):
    smelt, manager = api.client("smelt"), api.client("manager")
    api.save("SMELT", "2024", {REO: "5000"})
    assert status_of(api) == "draft"
    assert post(smelt, "submit", {"entity": "SMELT", "periods": ["2024"]})["changed"] == 1
    assert status_of(api) == "submitted"
    seen = api.submitted(period="2024")
    assert post(manager, "approve", {"revisions": seen}) == {"action": "approved", "changed": 1}
    assert status_of(api) == "approved"
    assert post(manager, "lock", {"period": "2024"}) == {"action": "lock", "changed": 1}
    assert status_of(api) == "locked"
    history = smelt.get("/api/v1/observations/history", params=SMELT_REO).json()
    assert [(h["status"], h["author"]) for h in history] == [
        ("draft", "admin"),
        ("submitted", "smelt"),
        ("approved", "manager"),
        ("locked", "manager"),
    ]
    assert history[0]["value"] == "5000" and history[0]["source_file"] == "form SMELT 2024"
    assert all(h["canonical_unit"] == "tREO" for h in history)


def test_a_submission_without_an_entity_covers_only_the_reporters_own(api):
    api.save("SMELT", "2024", {REO: "5000"})
    api.save("METAL", "2024", {REO: "700"})
    assert post(api.client("smelt"), "submit", {})["changed"] == 1
    assert status_of(api, "METAL") == "draft"


def test_a_year_selects_its_months(api):
    api.save("SMELT", "2024-01", {GAS: "10"})
    api.save("SMELT", "2024-02", {GAS: "12"})
    assert post(api.client("smelt"), "submit", {"periods": ["2024"]})["changed"] == 2


def test_rejection_needs_a_reason_and_sends_values_back(api):
    api.save("SMELT", "2024", {REO: "5000"}, submit=True)
    manager = api.client("manager")
    seen = api.submitted(entity="SMELT")
    missing = manager.post("/api/v1/workflow/reject", json={"revisions": seen})
    assert missing.status_code == 422
    assert missing.json()["error"]["field"] == "body.reason"
    blank = manager.post("/api/v1/workflow/reject", json={"revisions": seen, "reason": "  "})
    assert blank.status_code == 422
    assert status_of(api) == "submitted"
    done = post(manager, "reject", {"revisions": seen, "reason": "check the meter"})
    assert done == {"action": "rejected", "changed": 1}
    history = api.client("smelt").get("/api/v1/observations/history", params=SMELT_REO).json()
    assert history[-1]["status"] == "rejected" and history[-1]["reason"] == "check the meter"
    assert post(api.client("smelt"), "submit", {})["changed"] == 1


def test_a_period_with_unapproved_values_cannot_be_locked(api):
    api.save("SMELT", "2024", {REO: "5000"}, submit=True)
    response = api.client("manager").post("/api/v1/workflow/lock", json={"period": "2024"})
    assert response.status_code == 400
    assert "1 submitted" in response.json()["error"]["message"]


def test_a_restatement_after_lock_is_flagged_and_needs_a_locked_period(api):
    manager = api.client("manager")
    api.save("SMELT", "2024", {REO: "5000"}, submit=True)
    body = {**SMELT_REO, "value": 5100, "unit": "tREO", "reason": "meter recalibrated"}
    early = manager.post("/api/v1/workflow/restate", json=body)
    assert early.status_code == 400 and "not locked" in early.json()["error"]["message"]
    post(manager, "approve", {"revisions": api.submitted()})
    post(manager, "lock", {"period": "2024"})
    restated = post(manager, "restate", body)
    assert restated["restatement"] is True and restated["status"] == "locked"
    assert restated["value"] == 5100.0
    history = manager.get("/api/v1/observations/history", params=SMELT_REO).json()
    assert [h["restatement"] for h in history] == [False, False, False, True]
    assert history[-1]["reason"] == "meter recalibrated"
    audit = api.client("auditor").get("/api/v1/audit", params={"action": "restate"}).json()
    assert audit["items"][0]["detail"]["reason"] == "meter recalibrated"


def test_restating_a_computed_indicator_or_unknown_entity_is_refused(api):
    manager = api.client("manager")
    body = {**SMELT_REO, "value": 1, "unit": "tce", "reason": "x"}
    derived = manager.post("/api/v1/workflow/restate", json={**body, "indicator": "energy.total"})
    assert derived.status_code == 400
    unknown = manager.post("/api/v1/workflow/restate", json={**body, "entity": "NOPE"})
    assert unknown.status_code == 404


def test_locked_periods_refuse_form_saves_and_deletions(api):
    manager = api.client("manager")
    api.save("SMELT", "2024", {REO: "5000"}, submit=True)
    post(manager, "approve", {"revisions": api.submitted()})
    post(manager, "lock", {"period": "2024"})
    form = {
        "entity": "SMELT",
        "period": "2024",
        "values": [{"indicator": REO, "value": "1", "seen_revision": api.revision(**SMELT_REO)}],
    }
    assert manager.post("/api/v1/observations", json=form).status_code == 422
    deletion = {**SMELT_REO, "reason": "typo"}
    refused = manager.post("/api/v1/observations/delete", json=deletion)
    assert refused.status_code == 400 and "restate" in refused.json()["error"]["message"]


def test_the_review_queue_counts_statuses_per_entity_and_year(api):
    api.save("SMELT", "2024", {REO: "5000", GAS: "100"}, submit=True)
    api.save("METAL", "2024", {REO: "700"})
    api.save("METAL", "2023", {REO: "650"})
    queue = api.client("manager").get("/api/v1/review-queue").json()
    rows = {(i["entity"], i["year"]): i for i in queue["items"]}
    assert rows[("SMELT", 2024)]["submitted"] == 2 and rows[("SMELT", 2024)]["total"] == 2
    assert rows[("METAL", 2024)]["draft"] == 1
    assert [(i["entity"], i["year"]) for i in queue["items"]][-1] == ("METAL", 2023)
    pending = api.client("manager").get("/api/v1/review-queue", params={"pending_only": True})
    assert [(i["entity"], i["year"]) for i in pending.json()["items"]] == [("SMELT", 2024)]


def test_completeness_counts_answered_items_against_what_is_owed(api):
    api.save("SMELT", "2024-01", {GAS: "10"})
    api.save("SMELT", "2024-02", {GAS: "12"})
    api.save("SMELT", "2024", {REO: "5000"}, submit=True)
    rows = {r["entity"]: r for r in api.client("manager").get("/api/v1/completeness").json()}
    assert set(rows) == {"GRP", "SMELT", "METAL"}
    smelt = rows["SMELT"]
    # two months of natural gas (monthly), and REO output (monthly) given for the whole
    # year, which answers each of its 12 months: 14 owed items answered
    assert smelt["year"] == 2024 and smelt["reported"] == 2 + 12
    catalog = api.app.state.catalog
    owed = api.client("manager").get("/api/v1/obligations?entity=SMELT&year=2024").json()
    assert len(owed) == 205  # tests/collection/test_obligations.py works it out
    months = sum(1 for i in owed if catalog.get(i).frequency == "monthly")
    assert smelt["expected"] == 12 * months + (205 - months)
    assert smelt["missing"] == smelt["expected"] - 14 and not smelt["complete"]
    assert smelt["by_status"] == {
        "draft": 2,
        "submitted": 1,
        "approved": 0,
        "rejected": 0,
        "locked": 0,
    }
    assert rows["METAL"]["reported"] == 0
    earlier = api.client("manager").get("/api/v1/completeness", params={"year": 2023}).json()
    assert {r["reported"] for r in earlier} == {0}


def test_comments_are_written_to_the_audit_log_and_read_back(api):
    smelt = api.client("smelt")
    body = {"entity": "SMELT", "period": "2024", "indicator": REO, "text": "estimated from Q3"}
    created = smelt.post("/api/v1/comments", json=body)
    assert created.status_code == 201
    assert created.json()["author"] == "smelt"
    api.client("manager").post(
        "/api/v1/comments", json={"entity": "METAL", "period": "2024-03", "text": "late"}
    )
    mine = smelt.get("/api/v1/comments").json()
    assert [c["text"] for c in mine["items"]] == ["estimated from Q3"]
    everything = api.client("auditor").get("/api/v1/comments").json()
    assert everything["total"] == 2
    audit = api.client("auditor").get("/api/v1/audit", params={"action": "comment"}).json()
    assert audit["total"] == 2 and audit["items"][0]["detail"]["entity"] == "METAL"


def test_a_comment_on_an_unknown_indicator_or_bad_period_is_refused(api):
    manager = api.client("manager")
    unknown = manager.post(
        "/api/v1/comments",
        json={"entity": "SMELT", "period": "2024", "indicator": "energy.gass", "text": "x"},
    )
    assert unknown.status_code == 404
    bad = manager.post(
        "/api/v1/comments", json={"entity": "SMELT", "period": "2024-13", "text": "x"}
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "body.period"


ANODE, METAL_OUT = "process.carbon_anode_consumed", "process.re_metal_electrolysis_output"


def test_the_review_queue_flags_anode_use_outside_the_measured_range(api):
    # 1,000 t anode for 1,000 t metal: 3.667 t CO2/t, far above 0.165-0.6724 t CO2/t
    # (literature_rare_earth_electrolysis); METAL's 100 t for 1,000 t (0.367 t/t) is inside
    api.save("SMELT", "2024", {ANODE: "1000", METAL_OUT: "1000"}, submit=True)
    api.save("METAL", "2024", {ANODE: "100", METAL_OUT: "1000"}, submit=True)
    queue = api.client("manager").get("/api/v1/review-queue").json()
    rows = {(i["entity"], i["year"]): i for i in queue["items"]}
    flags = rows[("SMELT", 2024)]["plausibility"]
    assert any("anode CO2 3.667 t per t" in f and "0.165–0.6724" in f for f in flags)
    assert rows[("METAL", 2024)]["plausibility"] == []
