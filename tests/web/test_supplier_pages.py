"""Supplier pages: the register, a questionnaire sent by link and e-mailed by a job through
a real SMTP server (aiosmtpd), the answer through the link without an account, refusals,
classes, the workbook round trip, and who may see what."""

from __future__ import annotations

import email
import email.policy
import io
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from esgledger.settings import Settings
from tests.apps import serving
from tests.jobs.test_kinds import Inbox, free_port
from tests.suppliers.helpers import BEST_EVALUATION
from tests.web.conftest import csrf_of, log_in
from tests.web.latin_text import english_left, load_allow_list

KEY = "a-test-link-key-of-some-length"
SUPPLIER = {"code": "S1", "name_zh": "包头化工", "name_en": "Baotou Chemicals",
            "credit_code": "", "category": "auxiliary_material", "region": "内蒙古",
            "material": "碳酸氢铵", "spend": "1,000,000", "status": "approved",
            "entity": "SMELT", "email": "esg@s1.example", "version": "0"}  # fmt: skip
LINK = re.compile(r'href="(http://testserver/q/[^"]+)" data-test="link"')


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def app(tmp_path: Path, seeded_file: Path, smtp):
    path = tmp_path / "ledger.db"
    shutil.copyfile(seeded_file, path)
    settings = Settings(db=f"sqlite:///{path}", secure_cookies=False, link_key=KEY,
                        smtp_port=smtp[0].port, smtp_from="esg@group.example")  # fmt: skip
    with serving(settings) as app:
        yield app


def _client(app, user="manager") -> TestClient:
    client = TestClient(app)
    assert log_in(client, user).status_code == 303
    return client


def _post(client: TestClient, path: str, data: dict, page: str = "/suppliers", **more):
    token = csrf_of(client.get(page).text)
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False, **more)


def _send(client: TestClient, kind="evaluation", by_mail="1", lang="zh"):
    data = {"kind": kind, "year": "2024", "lang": lang, "by_mail": by_mail}
    return _post(client, "/suppliers/S1/send", data, "/suppliers/S1")


def test_a_questionnaire_is_mailed_by_a_job_and_answered_once_through_its_link(app, smtp):
    manager = _client(app)
    assert _post(manager, "/suppliers", SUPPLIER).status_code == 303
    sent = _send(manager)
    assert sent.status_code == 200
    url = LINK.search(sent.text)[1]
    _, inbox = smtp
    assert inbox.envelopes == []  # the request only queued the mail
    job_id = re.search(r'href="/jobs/([^"]+)" data-test="mail-job"', sent.text)[1]
    app.state.jobs.run(job_id)
    (envelope,) = inbox.envelopes
    assert envelope.rcpt_tos == ["esg@s1.example"]
    message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert "供应商年度评价问卷" in message["Subject"] and url in message.get_content()

    supplier = TestClient(app)  # no account
    form = supplier.get(url)
    assert form.status_code == 200 and "供应商年度评价问卷" in form.text
    answer = {f"v.{k}": v for k, v in BEST_EVALUATION.items()}
    incomplete = supplier.post(url, data={**answer, "v.injuries": ""})
    assert incomplete.status_code == 400 and "第 6 题未作答" in incomplete.text
    assert 'value="ge99" checked' in incomplete.text  # the form keeps what was sent
    assert "感谢" in supplier.post(url, data=answer).text
    again = supplier.post(url, data=answer)
    assert again.status_code == 409 and "此链接已被使用" in again.text
    assert "already used" in supplier.get(url + "?lang=en").text

    scores = manager.get("/suppliers-scores?year=2024")
    row = re.search(r'data-test="class-row" data-code="S1">(.*?)</tr>', scores.text, re.S)[1]
    assert "Strategic supplier" in row and "First evaluation" in row
    assert "包头化工" in manager.get("/suppliers/S1").text


def test_a_forged_link_is_refused_in_both_languages(app):
    manager = _client(app)
    _post(manager, "/suppliers", SUPPLIER)
    url = LINK.search(_send(manager, by_mail="").text)[1]
    forged = url[:-3] + ("abc" if not url.endswith("abc") else "xyz")
    client = TestClient(app)
    refused = client.post(forged, data={"v.pass_rate": "ge99"})
    assert refused.status_code == 403 and "此链接无效" in refused.text
    assert "not valid" in client.get(forged + "?lang=en").text


def test_mail_to_a_supplier_without_an_address_is_refused(app):
    manager = _client(app)
    _post(manager, "/suppliers", SUPPLIER | {"email": ""})
    refused = _send(manager)
    assert refused.status_code == 400 and "has no e-mail address" in refused.text


def test_a_bad_supplier_is_refused_with_the_field_named(app):
    manager = _client(app)
    refused = _post(manager, "/suppliers", SUPPLIER | {"credit_code": "91150200114123453X"})
    assert refused.status_code == 400 and "unified social credit code" in refused.text
    assert "Baotou Chemicals" in refused.text  # the form keeps what was typed
    assert "S1" not in manager.get("/api/v1/suppliers").text


def test_the_register_round_trips_through_its_workbook_and_a_bad_row_is_named(app):
    manager = _client(app)
    _post(manager, "/suppliers", SUPPLIER)
    exported = manager.get("/suppliers/export.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(exported.content))
    sheet = book["suppliers"]
    header = [c.value for c in sheet[1]]
    sheet.cell(2, header.index("spend") + 1, 2_500_000)
    sheet.append(["S2", "稀土精矿公司", "", "", "bulk_raw_material", "", "", 5, "candidate",
                  "MARS", ""])  # fmt: skip
    bad = io.BytesIO()
    book.save(bad)
    files = {"upload": ("register.xlsx", bad.getvalue())}
    refused = _post(manager, "/suppliers/import", {}, files=files)
    assert refused.status_code == 400 and "row 3" in refused.text and "MARS" in refused.text
    sheet.delete_rows(3)
    good = io.BytesIO()
    book.save(good)
    done = _post(manager, "/suppliers/import", {}, files={"upload": ("r.xlsx", good.getvalue())})
    assert done.status_code == 303
    [s1] = manager.get("/api/v1/suppliers").json()
    assert s1["spend"] == 2_500_000 and s1["version"] == 2


def test_reporters_do_not_see_the_register_and_auditors_only_read(app):
    assert _client(app, "reporter").get("/suppliers").status_code == 403
    auditor = _client(app, "auditor")
    page = auditor.get("/suppliers")
    assert page.status_code == 200 and 'data-test="supplier-form"' not in page.text
    csrf = csrf_of(page.text)
    refused = auditor.post("/suppliers", data={**SUPPLIER, "csrf_token": csrf})
    assert refused.status_code == 403


def test_the_manager_pages_in_chinese_hold_no_english(app):
    manager = _client(app)
    _post(manager, "/suppliers", SUPPLIER)
    url = LINK.search(_send(manager, by_mail="").text)[1]
    answer = {f"v.{k}": v for k, v in BEST_EVALUATION.items()}
    TestClient(app).post(url, data=answer)
    manager.headers["accept-language"] = "zh-CN"
    allowed = load_allow_list().with_words({"S1", "esg", "s1", "example", "com"})
    for path in ("/suppliers", "/suppliers/S1", "/suppliers-scores?year=2024"):
        page = manager.get(path)
        assert page.status_code == 200 and 'lang="zh-CN"' in page.text
        body = page.text.split("<main", 1)[1].split(">", 1)[1].split("</main>", 1)[0]
        text = re.sub(r"<[^>]+>", "\n", body)
        assert english_left(text, allowed) == [], path
