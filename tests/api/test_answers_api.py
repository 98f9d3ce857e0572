"""Comment threads, "waiting for you", and "not applicable" answers through the API."""

from __future__ import annotations

from tests.api.conftest import GAS, REO

KEY = {"entity": "SMELT", "period": "2024", "indicator": REO}


def comment(api, user: str, text: str, **key):
    response = api.client(user).post("/api/v1/comments", json={**KEY, **key, "text": text})
    assert response.status_code == 201, response.text
    return response.json()


def test_a_thread_names_author_role_and_time_and_turns_between_the_sides(api):
    comment(api, "manager", "Why 40% above last year?")
    waiting = api.client("smelt").get("/api/v1/threads/waiting").json()
    assert [(w["indicator"], w["last_author"], w["last_role"]) for w in waiting] == [
        (REO, "manager", "group-manager")
    ]
    assert api.client("metal").get("/api/v1/threads/waiting").json() == []
    assert api.client("manager").get("/api/v1/threads/waiting").json() == []
    answer = comment(api, "smelt", "A new line started in May.")
    assert answer["role"] == "reporter" and answer["at"].endswith("Z")
    assert api.client("smelt").get("/api/v1/threads/waiting").json() == []
    back = api.client("manager").get("/api/v1/threads/waiting").json()
    assert back[0]["last_text"] == "A new line started in May." and back[0]["comments"] == 2
    listed = api.client("auditor").get("/api/v1/comments", params=KEY).json()["items"]
    assert [(c["author"], c["role"]) for c in listed] == [
        ("manager", "group-manager"),
        ("smelt", "reporter"),
    ]


def test_the_auditor_may_comment_but_still_writes_no_value(api):
    asked = comment(api, "auditor", "Which meter is this read from?")
    assert asked["role"] == "auditor"
    assert api.client("smelt").get("/api/v1/threads/waiting").json()[0]["last_author"] == "auditor"
    body = {"entity": "SMELT", "period": "2024", "values": [{"indicator": REO, "value": "1"}]}
    assert api.client("auditor").post("/api/v1/observations", json=body).status_code == 403
    na = {**KEY, "reason": "none"}
    assert api.client("auditor").put("/api/v1/not-applicable", json=na).status_code == 403


def test_a_reporter_comments_only_on_its_own_entities(api):
    foreign = {**KEY, "entity": "METAL", "text": "hello"}
    assert api.client("smelt").post("/api/v1/comments", json=foreign).status_code == 404


def test_not_applicable_is_declared_listed_withdrawn_and_counted_once(api):
    smelt = api.client("smelt")
    declared = smelt.put(
        "/api/v1/not-applicable", json={**KEY, "indicator": GAS, "reason": "No gas supply"}
    )
    assert declared.status_code == 200, declared.text
    assert declared.json()["author"] == "smelt"
    again = smelt.put(
        "/api/v1/not-applicable", json={**KEY, "indicator": GAS, "reason": "No gas pipe"}
    )
    assert again.status_code == 200
    listed = smelt.get("/api/v1/not-applicable", params={"entity": "SMELT"}).json()
    assert [(a["indicator"], a["reason"]) for a in listed] == [(GAS, "No gas pipe")]
    gone = smelt.delete("/api/v1/not-applicable", params={**KEY, "indicator": GAS})
    assert gone.status_code == 204
    assert smelt.get("/api/v1/not-applicable").json() == []


def test_not_applicable_is_refused_beside_a_value_and_without_a_reason(api):
    api.save("SMELT", "2024", {REO: "5000"})
    smelt = api.client("smelt")
    beside = smelt.put("/api/v1/not-applicable", json={**KEY, "reason": "n/a"})
    assert beside.status_code == 400
    assert beside.json()["error"]["message"] == (
        f"{REO} has a value for 2024; delete the value before answering not applicable"
    )
    blank = smelt.put("/api/v1/not-applicable", json={**KEY, "indicator": GAS, "reason": " "})
    assert blank.status_code == 422 and blank.json()["error"]["field"] == "body.reason"


def test_a_reviewer_rejects_a_not_applicable_answer_with_a_reason(api):
    smelt = api.client("smelt")
    smelt.put("/api/v1/not-applicable", json={**KEY, "indicator": GAS, "reason": "No gas"})
    decision = {**KEY, "indicator": GAS, "accept": False, "reason": ""}
    manager = api.client("manager")
    no_reason = manager.post("/api/v1/not-applicable/decision", json=decision)
    assert no_reason.status_code == 400
    assert smelt.post("/api/v1/not-applicable/decision", json=decision).status_code == 403
    decision["reason"] = "The canteen burns gas; report it"
    assert manager.post("/api/v1/not-applicable/decision", json=decision).status_code == 204
    assert smelt.get("/api/v1/not-applicable").json() == []
