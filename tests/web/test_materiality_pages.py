"""The survey answered through a link without an account, and the manager's page."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from esgledger.ledger.database import open_database, unit_of_work
from esgledger.ledger.reads.records import current_records
from esgledger.materiality.model import sse14_topics
from esgledger.materiality.survey import RESPONSES, issue_survey_links
from esgledger.materiality.topics import save_topics
from esgledger.settings import Settings
from esgledger.web.app import create_app
from tests.apps import serving
from tests.web.conftest import csrf_of, log_in

KEY = "a-test-link-key-of-some-length"
WATER = "sse.water_use"
GOOD = {f"{WATER}|scale": "4", f"{WATER}|scope": "3", f"{WATER}|irremediability": "5",
        f"{WATER}|likelihood": "5"}  # fmt: skip


@pytest.fixture
def ledger_url(tmp_path: Path, seeded_file: Path) -> str:
    path = tmp_path / "ledger.db"
    shutil.copyfile(seeded_file, path)
    url = f"sqlite:///{path}"
    database = open_database(url)
    with unit_of_work(database) as session:
        save_topics(session, 2024, sse14_topics(), actor="manager")
    database.dispose()
    return url


@pytest.fixture
def client(ledger_url: str) -> Iterator[TestClient]:
    with serving(Settings(db=ledger_url, secure_cookies=False, link_key=KEY)) as app:
        yield TestClient(app)


def issue(url: str, group: str = "employees", lang: str = "zh", days: int = 14) -> str:
    database = open_database(url)
    with unit_of_work(database) as session:
        token = issue_survey_links(
            session, KEY.encode(), year=2024, group=group, count=1, lang=lang,
            valid_for=timedelta(days=days), now=datetime.now(UTC), actor="manager",
        )[0]  # fmt: skip
    database.dispose()
    return token


def responses(url: str) -> list:
    database = open_database(url)
    with unit_of_work(database) as session:
        found = current_records(session, RESPONSES)
    database.dispose()
    return found


def test_a_stakeholder_answers_in_chinese_without_an_account(client, ledger_url):
    token = issue(ledger_url)
    form = client.get(f"/s/{token}")
    assert form.status_code == 200
    assert 'lang="zh-CN"' in form.text and "水资源利用" in form.text and "员工" in form.text
    sent = client.post(f"/s/{token}", data=GOOD)
    assert sent.status_code == 200 and "感谢参与" in sent.text
    assert len(responses(ledger_url)) == 1


def test_the_second_answer_is_refused_in_the_links_language_and_changes_nothing(client, ledger_url):
    token = issue(ledger_url)
    client.post(f"/s/{token}", data=GOOD)
    again = client.post(f"/s/{token}", data={**GOOD, f"{WATER}|scale": "1"})
    assert again.status_code == 409 and "此链接已被使用" in again.text
    assert client.get(f"/s/{token}?lang=en").text.count("already used") == 1
    assert [r.payload["scores"] for r in responses(ledger_url)] == [[4, 3, 5, 5]]


def test_forged_and_expired_links_are_refused(client, ledger_url):
    token = issue(ledger_url)
    forged = client.get(f"/s/{token[:-3]}abc")
    assert forged.status_code == 403 and "此链接无效" in forged.text
    assert client.post(f"/s/{token[:-3]}abc", data=GOOD).status_code == 403
    expired = issue(ledger_url, days=-1)
    page = client.get(f"/s/{expired}", headers={"accept-language": "en-US"})
    assert page.status_code == 410 and "expired" in page.text
    assert responses(ledger_url) == []


def test_a_rating_out_of_range_is_refused_and_the_form_keeps_the_answers(client, ledger_url):
    token = issue(ledger_url, lang="en")
    sent = client.post(f"/s/{token}", data={**GOOD, f"{WATER}|scope": "9"})
    assert sent.status_code == 400 and "from 1 to 5" in sent.text
    assert re.search(r'name="sse.water_use\|scale" value="4" checked', sent.text)
    assert responses(ledger_url) == []
    assert client.post(f"/s/{token}", data=GOOD).status_code == 200


def test_the_manager_sees_rates_the_matrix_and_the_responses_behind(client, ledger_url):
    client.post(f"/s/{issue(ledger_url)}", data=GOOD)
    issue(ledger_url)
    log_in(client, "manager")
    page = client.get("/materiality?year=2024")
    assert page.status_code == 200 and "<svg" in page.text
    row = re.search(r'<tr data-group="employees">(.*?)</tr>', page.text, re.S)[1]
    assert re.findall(r'class="num">([^<]*)<', row) == ["1.0", "2", "1", "50%"]
    behind = client.get(f"/materiality/2024/{WATER}")
    assert behind.status_code == 200 and "4.00" in behind.text


def test_the_manager_issues_links_from_the_page(client):
    log_in(client, "manager")
    page = client.get("/materiality?year=2024")
    issued = client.post(
        "/materiality/links",
        data={"csrf_token": csrf_of(page.text), "year": "2024", "group": "suppliers",
              "count": "3", "lang": "zh"},
    )  # fmt: skip
    links = re.findall(r'href="(http[^"]*/s/[^"]+)"', issued.text)
    assert issued.status_code == 200 and len(links) == 3
    assert client.get(links[0].split("testserver", 1)[1]).status_code == 200


def test_a_server_without_a_link_key_says_so_when_links_are_issued(ledger_url):
    client = TestClient(create_app(Settings(db=ledger_url, secure_cookies=False)))
    log_in(client, "manager")
    page = client.get("/materiality?year=2024")
    refused = client.post(
        "/materiality/links",
        data={"csrf_token": csrf_of(page.text), "year": "2024", "group": "suppliers",
              "count": "3"},
    )  # fmt: skip
    assert "ESGLEDGER_LINK_KEY" in refused.text


def test_an_auditor_reads_the_page_a_reporter_does_not(client_for):
    assert client_for("auditor").get("/materiality?year=2024").status_code == 200
    assert client_for("reporter").get("/materiality?year=2024").status_code == 403


def test_the_api_takes_one_answer_per_link_and_reads_the_assessment(client, ledger_url):
    token = issue(ledger_url)
    answers = [
        {"topic": WATER, "dimension": k.split("|")[1], "score": int(v)} for k, v in GOOD.items()
    ]
    first = client.post(f"/api/v1/materiality/survey/{token}", json={"answers": answers})
    assert first.status_code == 201, first.text
    again = client.post(
        f"/api/v1/materiality/survey/{token}", json={"answers": answers},
        headers={"accept-language": "zh-CN"},
    )  # fmt: skip
    assert again.status_code == 400 and "已被使用" in again.json()["error"]["message"]
    bad = client.post(
        f"/api/v1/materiality/survey/{issue(ledger_url)}",
        json={"answers": [{**answers[0], "score": 7}]},
    )
    assert bad.status_code == 400 and "from 1 to 5" in bad.json()["error"]["message"]
    log_in(client, "manager")
    read = client.get("/api/v1/materiality/2024").json()
    water = next(t for t in read["topics"] if t["id"] == WATER)
    assert water["impact"] == pytest.approx(4.0) and water["tier"] == "high"
    behind = client.get(f"/api/v1/materiality/2024/topics/{WATER}").json()
    assert [r["group"] for r in behind["responses"]] == ["employees"]
