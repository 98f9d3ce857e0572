"""/api/v1/assurance and the assurance pages on the web test ledger (2023-01 values)."""

from __future__ import annotations

import io
import zipfile

from esgledger.assurance.proof import verify_package
from tests.permits.test_api import api_as
from tests.web.conftest import csrf_of

ELECTRICITY = "energy.purchased_electricity"
ENGAGEMENT = {
    "code": "A2023",
    "title": "GHG 2023",
    "year": 2023,
    "standard": "ISAE 3410",
    "level": "limited",
    "entities": ["SMELT", "METAL"],
    "indicators": [ELECTRICITY],
    "common_unit": "MWh",
}
VALUE = {"entity": "SMELT", "period": "2023-01", "indicator": ELECTRICITY}


def test_the_api_walks_sample_query_answer_close_and_sign_off(app, tmp_path) -> None:
    auditor, reporter = api_as(app, "auditor"), api_as(app, "reporter")
    base = "/api/v1/assurance/engagements"
    assert auditor.post(base, json=ENGAGEMENT).status_code == 201
    sample = auditor.post(f"{base}/A2023/samples", json={"method": "mus", "size": 2, "seed": 5})
    assert sample.status_code == 201, sample.text
    assert sample.json()["fields"]["interval"] == 700  # (1000 + 400) MWh / 2
    query = auditor.post(
        f"{base}/A2023/queries",
        json={**VALUE, "recipient": "reporter", "question": "Meter reading?"},
    )
    key = query.json()["key"]
    refused = auditor.post(
        f"{base}/A2023/signoffs", json={"entity": "SMELT", "indicator": ELECTRICITY}
    )
    assert (
        refused.status_code == 400
        and "queries or findings on it are open" in refused.json()["error"]["message"]
    )
    mine = reporter.get("/api/v1/assurance/queries/mine").json()
    assert [q["key"] for q in mine] == [key]
    answered = reporter.post(
        "/api/v1/assurance/queries/answer", json={"key": key, "answer": "Invoice 2023-01-17"}
    )
    assert answered.json()["fields"]["status"] == "answered"
    assert (
        auditor.post("/api/v1/assurance/queries/close", json={"key": key, "answer": ""}).status_code
        == 200
    )
    signed = auditor.post(
        f"{base}/A2023/signoffs", json={"entity": "SMELT", "indicator": ELECTRICITY}
    )
    assert signed.status_code == 201
    paper = auditor.get(f"{base}/A2023").json()
    assert paper["queries"][0]["fields"]["answer"] == "Invoice 2023-01-17"
    assert paper["signoffs"][0]["stale"] is False
    package = auditor.post(f"{base}/A2023/package")
    assert package.headers["content-type"] == "application/zip"
    path = tmp_path / "p.zip"
    path.write_bytes(package.content)
    assert verify_package(path) == []
    assert "values.csv" in zipfile.ZipFile(io.BytesIO(package.content)).namelist()


def test_reporters_and_managers_cannot_keep_workpapers_and_auditors_cannot_write_values(
    app,
) -> None:
    reporter, manager, auditor = (
        api_as(app, "reporter"),
        api_as(app, "manager"),
        api_as(app, "auditor"),
    )
    base = "/api/v1/assurance/engagements"
    assert reporter.get(base).status_code == 403
    made = manager.post(base, json=ENGAGEMENT)
    assert (
        made.status_code == 400
        and "may not keep assurance workpapers" in made.json()["error"]["message"]
    )
    form = {
        "entity": "SMELT",
        "period": "2023-02",
        "values": [{"indicator": ELECTRICITY, "value": "5", "unit": "MWh"}],
    }
    refused = auditor.post("/api/v1/observations", json=form)
    assert refused.status_code == 403 and "may not change data" in refused.text
    assert manager.post("/api/v1/observations", json=form).status_code == 200


def test_the_pages_open_in_both_languages_for_the_auditor(client_for) -> None:
    auditor = client_for("auditor")
    page = auditor.get("/assurance")
    assert page.status_code == 200
    fields = {
        "csrf_token": csrf_of(page.text),
        "code": "A2023",
        "year": "2023",
        "standard": "ISAE 3410",
        "level": "reasonable",
        "common_unit": "MWh",
        "entities": ["SMELT", "METAL"],
        "indicators": ELECTRICITY,
    }
    made = auditor.post("/assurance/engagements", data=fields, follow_redirects=False)
    assert made.status_code == 303
    for lang, word in (("en", "Monetary-unit"), ("zh", "货币单位抽样")):
        auditor.cookies.set("lang", lang)
        shown = auditor.get("/assurance/engagement?code=A2023")
        assert shown.status_code == 200 and word in shown.text
    item = auditor.get("/assurance/item", params={"code": "A2023", **VALUE})
    assert item.status_code == 200 and "ticks-form" in item.text


def test_a_mistake_in_the_engagement_form_is_shown_beside_it(client_for) -> None:
    auditor = client_for("auditor")
    page = auditor.get("/assurance")
    fields = {
        "csrf_token": csrf_of(page.text),
        "code": "A 2023",
        "year": "2023",
        "standard": "ISAE 3410",
        "level": "limited",
        "indicators": ELECTRICITY,
        "entities": ["SMELT"],
    }
    shown = auditor.post("/assurance/engagements", data=fields)
    assert shown.status_code == 400 and "A 2023" in shown.text
