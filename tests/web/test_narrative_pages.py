"""Report texts through the pages and the API: written, submitted, refused to their own
author, approved by another user, with every version in the history."""

from __future__ import annotations

from tests.web.conftest import csrf_of

ZH = {"Accept-Language": "zh"}
KEY = "2024-outlook"
FORM = {
    "year": "2024",
    "kind": "outlook",
    "text_zh": "二〇二五年，我们将坚持绿色发展。",
    "text_en": "In 2025 we will keep to green development.",
    "answers": "sse14:Art.53",
    "expected_version": "0",
}


def post(client, path: str, page: str, data: dict):
    token = csrf_of(client.get(page, headers=ZH).text)
    return client.post(path, data={**data, "csrf_token": token}, headers=ZH, follow_redirects=False)


def test_a_text_is_written_submitted_refused_to_its_author_and_approved_by_another(client_for):
    manager, admin = client_for("manager"), client_for("admin")
    saved = post(manager, "/narrative/edit", "/narrative/edit?kind=outlook&year=2024", FORM)
    assert saved.status_code == 303 and saved.headers["location"] == f"/narrative/block/{KEY}"
    page = f"/narrative/block/{KEY}"
    post(manager, f"{page}/submit", page, {"expected_version": "1"})
    refused = post(manager, f"{page}/approve", page, {"expected_version": "2"})
    assert refused.status_code == 422 and "须由另一位审核人批准" in refused.text
    approved = post(admin, f"{page}/approve", page, {"expected_version": "2", "comment": "好"})
    assert approved.status_code == 303
    shown = admin.get(page, headers=ZH).text
    assert "已批准" in shown and "上交所指引 第53条" in shown
    assert shown.count('<li data-version="') == 3
    listing = admin.get("/narrative?year=2024", headers=ZH).text
    assert 'data-key="2024-outlook"' in listing and "已批准" in listing


def test_a_stale_edit_in_the_form_is_refused_and_shown_in_chinese(client_for):
    manager = client_for("manager")
    post(manager, "/narrative/edit", "/narrative/edit?kind=outlook&year=2024", FORM)
    changed = {**FORM, "expected_version": "1", "reason": "更短", "text_en": "Shorter."}
    post(manager, "/narrative/edit", f"/narrative/edit?key={KEY}", changed)
    stale = post(manager, "/narrative/edit", f"/narrative/edit?key={KEY}", changed)
    assert stale.status_code == 422 and "期间已被他人修改" in stale.text


def test_the_api_refuses_self_approval_with_403_and_a_stale_step_with_409(client_for):
    manager = client_for("manager")
    token = csrf_of(manager.get("/narrative", headers=ZH).text)
    headers = {"X-CSRF-Token": token, "Accept-Language": "zh"}
    fields = {k: v for k, v in FORM.items() if k not in ("expected_version", "answers")}
    body = {"fields": {**fields, "year": 2024}, "expected_version": 0}
    created = manager.post("/api/v1/narrative/blocks", json=body, headers=headers)
    assert created.status_code == 200, created.text
    assert created.json()["version"] == 1
    step = f"/api/v1/narrative/blocks/{KEY}"
    assert manager.post(f"{step}/submit", json={"expected_version": 1}, headers=headers).is_success
    own = manager.post(f"{step}/approve", json={"expected_version": 2}, headers=headers)
    assert own.status_code == 403 and "另一位审核人" in own.text
    stale = manager.post(f"{step}/submit", json={"expected_version": 1}, headers=headers)
    assert stale.status_code == 409
    history = manager.get(f"{step}/history").json()
    assert [v["fields"]["status"] for v in history] == ["draft", "submitted"]
