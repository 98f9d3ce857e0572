"""Sessions and CSRF, login throttling, accounts, the audit log, and pagination."""

from __future__ import annotations

from sqlalchemy import text

from tests.api.conftest import PASSWORD, REO

FORM = {"entity": "SMELT", "period": "2024", "values": [{"indicator": REO, "value": "5000"}]}


def test_a_cookie_write_without_the_csrf_header_is_403(api):
    client, csrf = api.login("smelt")
    refused = client.post("/api/v1/observations", json=FORM)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["error"]["message"]
    wrong = client.post("/api/v1/observations", json=FORM, headers={"X-CSRF-Token": "guess"})
    assert wrong.status_code == 403
    saved = client.post("/api/v1/observations", json=FORM, headers={"X-CSRF-Token": csrf})
    assert saved.status_code == 200
    assert client.get("/api/v1/me").json()["entities"] == ["SMELT"]


def test_a_multipart_cookie_write_may_carry_the_csrf_token_as_a_form_field(api):
    client, csrf = api.login("smelt")
    content = b"entity,period,indicator,value\nSMELT,2024,production.reo_output,1\n"
    files = {"file": ("a.csv", content, "text/csv")}
    assert client.post("/api/v1/imports", files=files).status_code == 403
    done = client.post("/api/v1/imports", files=files, data={"csrf_token": csrf})
    assert done.status_code == 200, done.text


def test_five_failed_logins_lock_the_account_even_for_the_right_password(api):
    client = api.client()
    for _ in range(5):
        wrong = client.post("/api/v1/login", json={"username": "smelt", "password": "nope-nope"})
        assert wrong.status_code == 401
        assert wrong.json()["error"]["message"] == "wrong user name or password"
    right = client.post("/api/v1/login", json={"username": "smelt", "password": PASSWORD})
    assert right.status_code == 429
    assert "too many failed logins" in right.json()["error"]["message"]
    assert 0 < int(right.headers["Retry-After"]) <= 15 * 60
    other = client.post("/api/v1/login", json={"username": "metal", "password": PASSWORD})
    assert other.status_code == 200


def test_logout_ends_the_session(api):
    client, csrf = api.login("manager")
    assert client.get("/api/v1/me").status_code == 200
    assert client.post("/api/v1/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert client.get("/api/v1/me").status_code == 401


def test_an_api_token_needs_no_csrf_header(api):
    client, csrf = api.login("smelt")
    token = client.post("/api/v1/tokens", json={"name": "script"}, headers={"X-CSRF-Token": csrf})
    assert token.status_code == 201
    script = api.client()
    script.headers["Authorization"] = f"Bearer {token.json()['token']}"
    assert script.post("/api/v1/observations", json=FORM).status_code == 200


def test_the_admin_adds_users_and_changes_roles_and_every_change_is_audited(api):
    admin = api.client("admin")
    body = {"username": "lin", "password": PASSWORD, "role": "reporter", "entities": ["METAL"]}
    created = admin.post("/api/v1/users", json=body)
    assert created.status_code == 201
    assert created.json()["entities"] == ["METAL"] and "password" not in created.json()
    assert admin.post("/api/v1/users", json=body).status_code == 400
    changed = admin.patch("/api/v1/users/lin", json={"role": "group-manager"}).json()
    assert changed["role"] == "group-manager" and changed["entities"] == ["METAL"]
    moved = admin.patch("/api/v1/users/lin", json={"entities": ["SMELT", "GRP"]}).json()
    assert moved["entities"] == ["GRP", "SMELT"]
    names = [u["username"] for u in admin.get("/api/v1/users").json()["items"]]
    assert names == ["admin", "auditor", "lin", "manager", "metal", "smelt"]
    actions = [
        e["action"] for e in admin.get("/api/v1/audit", params={"actor": "admin"}).json()["items"]
    ]
    assert actions[:3] == ["user.grant", "user.grant", "user.add"]


def test_user_input_errors(api):
    admin = api.client("admin")
    short = {"username": "x", "password": "short", "role": "reporter"}
    assert admin.post("/api/v1/users", json=short).status_code == 422
    unknown = {"username": "x", "password": PASSWORD, "role": "reporter", "entities": ["NOPE"]}
    response = admin.post("/api/v1/users", json=unknown)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "entities.0"
    assert admin.patch("/api/v1/users/ghost", json={"role": "auditor"}).status_code == 404
    assert admin.patch("/api/v1/users/smelt", json={"role": "king"}).status_code == 422


def test_the_audit_log_is_newest_first_paginated_and_verifies(api):
    api.save("SMELT", "2024", {REO: "5000"})
    auditor = api.client("auditor")
    page = auditor.get("/api/v1/audit", params={"limit": 3, "offset": 1}).json()
    assert set(page) == {"items", "total", "limit", "offset"}
    assert (page["limit"], page["offset"]) == (3, 1)
    ids = [e["id"] for e in page["items"]]
    assert ids == [page["total"] - 1, page["total"] - 2, page["total"] - 3]
    newest = auditor.get("/api/v1/audit", params={"limit": 1}).json()["items"][0]
    assert newest["action"] == "import" and newest["detail"]["new_revisions"] == 1
    check = auditor.get("/api/v1/audit/verify").json()
    assert check["ok"] is True and check["entries"] == page["total"]
    assert check["head_hash"] == newest["entry_hash"]


def test_list_endpoints_share_the_pagination_fields(api):
    client = api.client("manager")
    first = client.get("/api/v1/indicators", params={"limit": 5}).json()
    second = client.get("/api/v1/indicators", params={"limit": 5, "offset": 5}).json()
    assert first["total"] == second["total"] == len(api.app.state.catalog)
    assert len(first["items"]) == 5 and first["items"] != second["items"]
    assert client.get("/api/v1/indicators", params={"limit": 0}).status_code == 422
    assert client.get("/api/v1/indicators", params={"offset": -1}).status_code == 422
    past = client.get("/api/v1/indicators", params={"offset": 10_000}).json()
    assert past["items"] == [] and past["total"] == first["total"]


def test_every_kind_of_write_lands_in_the_audit_log(api):
    admin, manager = api.client("admin"), api.client("manager")

    def actions_after(call) -> list[str]:
        before = api.client("auditor").get("/api/v1/audit").json()["total"]
        response = call()
        assert response.status_code < 300, response.text
        entries = api.client("auditor").get("/api/v1/audit", params={"limit": 1000}).json()
        return [e["action"] for e in entries["items"][: entries["total"] - before]]

    key = {"entity": "SMELT", "period": "2024", "indicator": REO}
    content = b"entity,period,indicator,value\nSMELT,2023,production.reo_output,1\n"
    steps = [
        (lambda: admin.post("/api/v1/observations", json=FORM), "import"),
        (lambda: admin.post("/api/v1/imports", files={"file": ("a.csv", content)}), "import"),
        (lambda: admin.post("/api/v1/workflow/submit", json={}), "submitted"),
        (
            lambda: manager.post(
                "/api/v1/workflow/reject", json={"revisions": api.submitted(), "reason": "r"}
            ),
            "rejected",
        ),
        (lambda: admin.post("/api/v1/workflow/submit", json={}), "submitted"),
        (lambda: api.approve_submitted(), "approved"),
        (lambda: manager.post("/api/v1/workflow/lock", json={"period": "2024"}), "lock"),
        (
            lambda: manager.post(
                "/api/v1/workflow/restate",
                json={**key, "value": 2, "unit": "tREO", "reason": "r"},
            ),
            "restate",
        ),
        (
            lambda: admin.post(
                "/api/v1/observations/delete", json={**key, "period": "2023", "reason": "r"}
            ),
            "delete",
        ),
        (lambda: manager.post("/api/v1/snapshots"), "snapshot"),
        # a comment on a value tells the entity's reporters: its notices are audited too
        (
            lambda: admin.post("/api/v1/comments", json={**key, "text": "t"}),
            ("notices.post", "comment"),
        ),
        (lambda: admin.post("/api/v1/tokens", json={"name": "n"}), "token.create"),
        (
            lambda: admin.post(
                "/api/v1/users", json={"username": "u", "password": PASSWORD, "role": "auditor"}
            ),
            "user.add",
        ),
        (lambda: admin.patch("/api/v1/users/u", json={"role": "reporter"}), "user.grant"),
        (
            lambda: api.client().post(
                "/api/v1/login", json={"username": "u", "password": PASSWORD}
            ),
            "login",
        ),
    ]
    for call, action in steps:
        assert actions_after(call) == (list(action) if isinstance(action, tuple) else [action])
    assert api.client("auditor").get("/api/v1/audit/verify").json()["ok"] is True


def test_a_page_past_the_end_of_the_audit_log_is_empty(api):
    page = api.client("auditor").get("/api/v1/audit", params={"offset": 10**20}).json()
    assert page["items"] == [] and page["total"] > 0


def test_verify_names_an_edited_revision_and_the_checkpoint_matches_the_head(api):
    api.save("SMELT", "2024", {REO: "5000"})
    auditor = api.client("auditor")
    head = auditor.get("/api/v1/audit/checkpoint").json()
    check = auditor.get("/api/v1/audit/verify").json()
    assert (head["entry_id"], head["head_hash"]) == (check["head_id"], check["head_hash"])
    assert head["revisions"] == check["revisions"] >= 1
    edited = api.revision("SMELT", "2024", REO)
    with api.app.state.database.begin() as connection:
        connection.execute(
            text("UPDATE revisions SET canonical_value = 1 WHERE id = :i"), {"i": edited}
        )
    check = auditor.get("/api/v1/audit/verify").json()
    assert check["ok"] is False and check["broken_at"] is None
    assert check["breaks"][0] | {"detail": ""} == {
        "kind": "edited data row",
        "table": "revisions",
        "row": str(edited),
        "detail": "",
    }
