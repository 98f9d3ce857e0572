"""The reporter's home and a value's answers on the pages: a rejection and its reason, the
comment thread in the form, review and history pages, and "not applicable" from the form."""

from __future__ import annotations

import re

from esgledger.ledger.database import unit_of_work
from esgledger.ledger.reads.records import current_records
from tests.web.conftest import csrf_of, log_in
from tests.web.test_forms import ELECTRICITY, FORM, REVIEW, decide, post_form, stored

THREAD = f"/threads/SMELT/2024-01/{ELECTRICITY}"
GAS = "energy.natural_gas"


def rejected(client_for, reason: str = "meter reading missing"):
    """A reporter's January value, submitted and rejected by the manager with ``reason``."""
    post_form(client_for("reporter"), {ELECTRICITY: "1100"}, action="submit")
    assert decide(client_for("manager"), "reject", reason).status_code == 200


def reply(client, text: str, path: str = THREAD, **extra: str):
    page = client.get(path).text
    return client.post(THREAD, data={"csrf_token": csrf_of(page), "text": text, **extra})


def test_a_reporter_lands_on_home_other_roles_on_the_dashboard(app):
    from fastapi.testclient import TestClient

    assert log_in(TestClient(app), "reporter").headers["location"] == "/home"
    assert log_in(TestClient(app), "manager").headers["location"] == "/"
    asked = TestClient(app)
    asked.get("/login?next=/completeness")
    response = asked.post(
        "/login",
        data={"username": "reporter", "password": "correct horse battery", "next": "/completeness"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/completeness"


def test_home_shows_the_rejection_with_its_reason_until_the_value_is_corrected(app, client_for):
    rejected(client_for)
    reporter = client_for("reporter")
    home = reporter.get("/home").text
    assert 'data-test="rejected-item"' in home
    assert "meter reading missing" in home
    assert f"/entry/SMELT/2024-01#thread-2024-01-{ELECTRICITY}" in home
    form = reporter.get(FORM).text
    assert 'data-test="rejection-reason"' in form and "meter reading missing" in form
    post_form(reporter, {ELECTRICITY: "1090"}, action="submit")
    assert stored(app)[ELECTRICITY].status == "submitted"
    assert 'data-test="rejected-item"' not in reporter.get("/home").text


def test_home_in_chinese(client_for):
    reporter = client_for("reporter")
    reporter.cookies.set("lang", "zh")
    home = reporter.get("/home").text
    assert "我的待办" in home and "没有等待您回复的留言" in home


def test_a_reply_reaches_the_reviewer_on_review_history_and_home(app, client_for):
    rejected(client_for)
    reporter, manager = client_for("reporter"), client_for("manager")
    answered = reply(reporter, "The meter was replaced; reading attached", next=FORM)
    assert answered.status_code == 200  # followed to the form
    assert str(answered.url).endswith(f"{FORM}#thread-2024-01-{ELECTRICITY}")
    review = manager.get("/review/SMELT/2024?status=all").text
    assert "The meter was replaced; reading attached" in review
    assert 'data-test="waiting"' in review
    history = manager.get(f"/observations/SMELT/2024-01/{ELECTRICITY}").text
    assert "The meter was replaced; reading attached" in history
    home = manager.get("/home").text
    assert 'data-test="waiting-item"' in home and "Reporter" in home
    assert 'data-test="waiting-item"' not in reporter.get("/home").text


def test_the_reviewers_question_waits_for_the_reporter_and_is_answered_from_the_form(client_for):
    manager, reporter = client_for("manager"), client_for("reporter")
    reply(manager, "Is this the whole site?")
    home = reporter.get("/home").text
    assert "Is this the whole site?" in home and "Group manager" in home
    form = reporter.get(FORM).text
    assert f'name="reply.2024-01.{ELECTRICITY}" form="reply-form"' in form
    box = f"reply.2024-01.{ELECTRICITY}"
    data = {"csrf_token": csrf_of(form), "next": FORM, box: "Yes, all lines"}
    response = reporter.post(THREAD, data=data, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"{FORM}#thread-2024-01-{ELECTRICITY}"
    assert "Yes, all lines" in manager.get(THREAD).text


def test_an_auditor_comments_on_the_thread_page(client_for):
    auditor = client_for("auditor")
    response = reply(auditor, "Which invoice supports this?")
    assert response.status_code == 200 and "Which invoice supports this?" in response.text
    assert "Auditor" in response.text


def test_an_empty_reply_is_refused_with_the_reason_in_each_language(client_for):
    reporter = client_for("reporter")
    response = reply(reporter, "   ")
    assert response.status_code == 422
    assert "the comment is empty; write what you want to ask or answer" in response.text
    reporter.cookies.set("lang", "zh")
    assert "留言为空；请写下要提的问题或回复" in reply(reporter, "").text


def test_not_applicable_from_the_form_shown_in_review_and_withdrawn(app, client_for):
    reporter = client_for("reporter")
    form = reporter.get("/entry/SMELT/2024-01").text
    assert f'name="na_reason.2024-01.{GAS}" form="na-form"' in form
    data = {"csrf_token": csrf_of(form), "action": "declare", "next": "/entry/SMELT/2024-01",
            f"na_reason.2024-01.{GAS}": "No gas connection on site"}  # fmt: skip
    response = reporter.post(f"/threads/SMELT/2024-01/{GAS}/na", data=data)
    assert response.status_code == 200
    assert 'data-test="na-answer"' in response.text and "No gas connection on site" in response.text
    with unit_of_work(app.state.database) as session:
        records = current_records(session, "collection.not_applicable")
    assert [(r.key, r.payload["reason"]) for r in records] == [
        (f"SMELT|2024-01|{GAS}", "No gas connection on site")
    ]
    manager = client_for("manager")
    assert "No gas connection on site" in manager.get("/review/SMELT/2024?status=all").text
    withdraw = {"csrf_token": csrf_of(response.text), "action": "withdraw"}
    reporter.post(f"/threads/SMELT/2024-01/{GAS}/na", data=withdraw)
    assert 'data-test="na-answer"' not in reporter.get("/entry/SMELT/2024-01").text


def test_a_rejected_not_applicable_shows_on_home_with_the_reason(client_for):
    reporter, manager = client_for("reporter"), client_for("manager")
    page = reporter.get(f"/threads/SMELT/2024-01/{GAS}").text
    data = {"csrf_token": csrf_of(page), "action": "declare", "reason": "No gas"}
    reporter.post(f"/threads/SMELT/2024-01/{GAS}/na", data=data)
    page = manager.get(f"/threads/SMELT/2024-01/{GAS}").text
    assert 'data-test="na-decide"' in page
    refused = manager.post(
        f"/threads/SMELT/2024-01/{GAS}/na", data={"csrf_token": csrf_of(page), "action": "reject"}
    )
    assert refused.status_code == 422 and "needs a reason" in refused.text
    manager.post(
        f"/threads/SMELT/2024-01/{GAS}/na",
        data={"csrf_token": csrf_of(page), "action": "reject", "reason": "The canteen uses gas"},
    )
    home = reporter.get("/home").text
    assert 'data-test="na-rejected-item"' in home and "The canteen uses gas" in home


def test_a_reporter_may_not_answer_for_another_entity_nor_an_auditor_declare(client_for):
    reporter = client_for("reporter")
    assert reporter.get(f"/threads/METAL/2024/{GAS}").status_code == 404
    auditor = client_for("auditor")
    page = auditor.get(f"/threads/SMELT/2024-01/{GAS}").text
    assert 'data-test="na-declare"' not in page
    data = {"csrf_token": csrf_of(page), "action": "declare", "reason": "x"}
    assert auditor.post(f"/threads/SMELT/2024-01/{GAS}/na", data=data).status_code == 403


def test_the_thread_page_is_in_the_menu_path_of_the_home_page(client_for):
    page = client_for("reporter").get("/home").text
    assert re.search(r'href="/home"[^>]*aria-current="page"', page)


def test_not_applicable_without_a_reason_is_refused_in_each_language(client_for):
    reporter = client_for("reporter")
    page = reporter.get(f"/threads/SMELT/2024-01/{GAS}").text
    data = {"csrf_token": csrf_of(page), "action": "declare", "reason": "  "}
    refused = reporter.post(f"/threads/SMELT/2024-01/{GAS}/na", data=data)
    assert refused.status_code == 422
    assert (
        "say why the indicator does not apply (for example: no boilers on site since 2022)"
        in refused.text
    )
    reporter.cookies.set("lang", "zh")
    chinese = reporter.post(f"/threads/SMELT/2024-01/{GAS}/na", data=data).text
    assert "请说明该指标为何不适用（例如：自 2022 年起厂区无锅炉）" in chinese


def test_a_review_page_of_several_months_names_each_thread_once(client_for):
    reporter = client_for("reporter")
    for month in ("2024-01", "2024-02"):
        post_form(reporter, {ELECTRICITY: "1100"}, action="submit", path=f"/entry/SMELT/{month}")
    page = client_for("manager").get(REVIEW).text
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert f"thread-2024-01-{ELECTRICITY}" in ids and f"thread-2024-02-{ELECTRICITY}" in ids
    assert [i for i in set(ids) if ids.count(i) > 1] == []
