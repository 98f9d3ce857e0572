"""Who may do what: 401 without credentials, 403 for a role, 404 for another's entity."""

from __future__ import annotations

import pytest

from tests.api.conftest import GAS, PASSWORD, REO

# A survey is answered through its signed one-use link, without an account (auth/links.py).
PUBLIC = {"/api/v1/login", "/api/v1/logout", "/api/v1/materiality/survey/{token}"}
# One's own API tokens, password and inbox (a notice read) are account housekeeping, not
# writes to the data.
ACCOUNT = {
    "/api/v1/tokens",
    "/api/v1/tokens/{token_id}/revoke",
    "/api/v1/password",
    "/api/v1/notices/{key}/read",
}
# The auditor's questions belong in a value's thread: commenting is the auditor's one write
# to the shared data (COMMENTERS in auth/roles.py); it never writes values.
AUDITOR_WRITES = {"/api/v1/comments"}


def api_operations(app, methods=None):
    """(method, path template, path with sample parameters) of every documented operation."""
    found = []
    for template, operations in app.openapi()["paths"].items():
        path = template.replace("{snapshot_id}", "1").replace("{token_id}", "1")
        for name in ("code", "indicator_id", "username"):
            path = path.replace("{" + name + "}", "x")
        for method in operations:
            if methods is None or method.upper() in methods:
                found.append((method.upper(), template, path))
    return found


def audit_count(api) -> int:
    return api.client("admin").get("/api/v1/audit").json()["total"]


@pytest.fixture
def seeded(api):
    api.save("SMELT", "2024", {REO: "5000", GAS: "100"}, submit=True)
    api.save("METAL", "2024", {REO: "700"}, submit=True)
    assert api.approve_submitted().json()["changed"] == 3
    return api


def test_every_operation_but_login_answers_401_without_credentials(api):
    client = api.client()
    operations = api_operations(api.app)
    assert len(operations) > 30
    for method, template, path in operations:
        if template in PUBLIC:
            continue
        response = client.request(method, path, json={})
        assert response.status_code == 401, (method, path, response.text)
        assert response.json()["ok"] is False


def test_an_unknown_api_token_is_401(api):
    client = api.client()
    client.headers["Authorization"] = "Bearer esg_not-a-token"
    response = client.get("/api/v1/indicators")
    assert response.status_code == 401
    assert "token" in response.json()["error"]["message"]


def test_the_auditor_gets_403_on_every_write_and_reads_everything(seeded):
    client = seeded.client("auditor")
    before = audit_count(seeded)
    writes = [op for op in api_operations(seeded.app, {"POST", "PATCH", "PUT", "DELETE"})]
    for method, template, path in writes:
        if template in PUBLIC | ACCOUNT | AUDITOR_WRITES:
            continue
        response = client.request(method, path, json={})
        if "/assurance/" in template:  # the auditor's own workpapers (auth/roles.py ASSURERS)
            assert response.status_code != 403, (method, path, response.text)
            continue
        assert response.status_code == 403, (method, path, response.text)
    assert audit_count(seeded) == before
    assert client.get("/api/v1/audit").status_code == 200
    assert client.get("/api/v1/audit/verify").json()["ok"] is True
    assert client.get("/api/v1/observations").json()["total"] == 3
    results = client.get("/api/v1/results", params={"code": "group"}).json()
    assert results["total"] > 0


@pytest.mark.parametrize("user", ["smelt", "manager"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/audit"),
        ("GET", "/api/v1/audit/verify"),
        ("GET", "/api/v1/users"),
        ("POST", "/api/v1/users"),
        ("PATCH", "/api/v1/users/smelt"),
    ],
)
def test_reporters_and_managers_may_not_read_the_audit_log_or_manage_users(api, user, method, path):
    response = api.client(user).request(method, path, json={})
    assert response.status_code == 403
    assert "your role" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/workflow/approve"),
        ("POST", "/api/v1/workflow/reject"),
        ("POST", "/api/v1/workflow/lock"),
        ("POST", "/api/v1/workflow/restate"),
        ("POST", "/api/v1/snapshots"),
        ("GET", "/api/v1/review-queue"),
    ],
)
def test_reporters_may_not_review(api, method, path):
    assert api.client("smelt").request(method, path, json={}).status_code == 403


OTHER_ENTITY_READS = [
    ("/api/v1/observations", {"entity": "METAL"}),
    ("/api/v1/observations/history", {"entity": "METAL", "period": "2024", "indicator": REO}),
    ("/api/v1/explain", {"indicator": REO, "code": "METAL", "period": "2024"}),
    ("/api/v1/explain", {"indicator": REO, "code": "group", "period": "2024"}),
    ("/api/v1/results", {"code": "METAL"}),
    ("/api/v1/comments", {"entity": "METAL"}),
    ("/api/v1/entities/METAL", {}),
]


@pytest.mark.parametrize(("path", "params"), OTHER_ENTITY_READS)
def test_a_reporter_gets_404_reading_another_entity(seeded, path, params):
    response = seeded.client("smelt").get(path, params=params)
    assert response.status_code == 404, response.text
    assert response.json()["error"]["code"] == "NotFoundError"


def _form(entity):
    return {"entity": entity, "period": "2024", "values": [{"indicator": REO, "value": "1"}]}


OTHER_ENTITY_WRITES = [
    ("/api/v1/observations", _form("METAL")),
    (
        "/api/v1/observations/delete",
        {"entity": "METAL", "period": "2024", "indicator": REO, "reason": "x"},
    ),
    ("/api/v1/workflow/submit", {"entity": "METAL"}),
    ("/api/v1/comments", {"entity": "METAL", "period": "2024", "text": "hello"}),
]


@pytest.mark.parametrize(("path", "body"), OTHER_ENTITY_WRITES)
def test_a_reporter_gets_404_writing_another_entity_and_nothing_changes(seeded, path, body):
    before = audit_count(seeded)
    response = seeded.client("smelt").post(path, json=body)
    assert response.status_code == 404, response.text
    assert audit_count(seeded) == before


def test_a_reporter_sees_only_its_own_entities(seeded):
    client = seeded.client("smelt")
    observations = client.get("/api/v1/observations").json()
    assert {o["entity"] for o in observations["items"]} == {"SMELT"}
    results = client.get("/api/v1/results").json()["items"]
    assert results and {(r["level"], r["code"]) for r in results} == {("entity", "SMELT")}
    shot = seeded.client("manager").post("/api/v1/snapshots").json()
    values = client.get(f"/api/v1/snapshots/{shot['id']}").json()["values"]
    assert {v["entity"] for v in values["items"]} == {"SMELT"}
    assert values["total"] == len(values["items"]) < shot["observations"]  # others not counted
    assert [c["entity"] for c in client.get("/api/v1/completeness").json()] == ["SMELT"]
    dashboard = client.get("/api/v1/dashboard").json()
    assert {e["code"] for e in dashboard["emissions"]} == {"SMELT"}
    assert dashboard["intensities"] == []


def test_a_reporter_without_entities_sees_nothing_rather_than_everything(seeded):
    admin = seeded.client("admin")
    body = {"username": "newbie", "password": PASSWORD, "role": "reporter"}
    assert admin.post("/api/v1/users", json=body).status_code == 201
    comment = {"entity": "SMELT", "period": "2024", "text": "seen"}
    assert seeded.client("manager").post("/api/v1/comments", json=comment).status_code == 201
    client, csrf = seeded.login("newbie")
    assert client.get("/api/v1/comments").json()["total"] == 0
    assert client.get("/api/v1/observations").json()["total"] == 0
    assert client.get("/api/v1/results").json()["total"] == 0
    assert client.get("/api/v1/completeness").json() == []
    assert client.get("/api/v1/dashboard").json()["emissions"] == []
    submitted = client.post("/api/v1/workflow/submit", json={}, headers={"X-CSRF-Token": csrf})
    assert submitted.json() == {"action": "submitted", "changed": 0}
