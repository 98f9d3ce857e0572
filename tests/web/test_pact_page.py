"""The PACT exchange page and the host mounted in the web application at /pact."""

from __future__ import annotations

import io
from html.parser import HTMLParser

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from esgledger.ledger.database import unit_of_work
from esgledger.pact import clients
from esgledger.pact.store import publish
from tests.pact.helpers import PUBLISHER, metal_footprint, oxide_footprint
from tests.web.latin_text import english_left, load_allow_list


def _publish(app) -> clients.NewClient:
    with unit_of_work(app.state.database) as session:
        publish(session, [oxide_footprint(), metal_footprint()], PUBLISHER, actor="t")
        publish(session, [oxide_footprint(20_000.0)], PUBLISHER, actor="t")
        return clients.add_client(session, "磁材客户", actor="t")


def test_the_page_lists_published_footprints_with_their_status(app, client_for):
    _publish(app)
    page = client_for("manager").get("/pact-exchange")
    assert page.status_code == 200
    assert page.text.count('data-status="Active"') == 2
    assert page.text.count('data-status="Deprecated"') == 1
    assert "20" in page.text and "21.4" in page.text


class _VisibleText(HTMLParser):
    """The text of <main>, less elements marked as English data (``lang="en"``)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self._stack: list[tuple[str, bool]] = []
        self._in_main = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_main = self._in_main or tag == "main"
        if tag not in VOID:
            self._stack.append((tag, ("lang", "en") in attrs))

    def handle_endtag(self, tag: str) -> None:
        while self._stack and self._stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        english_data = any(flag for _, flag in self._stack)
        if self._in_main and not english_data and data.strip():
            self.lines.append(data.strip())


VOID = {"br", "img", "input", "meta", "link", "hr"}


def test_the_page_reads_in_chinese(app, client_for):
    _publish(app)
    page = client_for("manager").get("/pact-exchange", headers={"accept-language": "zh-CN"})
    assert "已废弃" in page.text and "产品碳足迹" in page.text
    visible = _VisibleText()
    visible.feed(page.text)
    allowed = load_allow_list().with_words(["SMELT", "METAL"])
    assert english_left("\n".join(visible.lines), allowed) == []


def test_the_footprints_table_downloads_as_xlsx(app, client_for):
    _publish(app)
    answer = client_for("manager").get("/pact-exchange?xlsx=pact-footprints")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet.max_row == 4  # header and three footprints


def test_a_reporter_may_not_read_the_groups_footprints(app, client_for):
    assert client_for("reporter").get("/pact-exchange").status_code == 403
    assert client_for("reporter").get("/api/v1/pact/footprints").status_code == 403


def test_the_web_application_serves_the_pact_host_under_pact(app):
    made = _publish(app)
    host = TestClient(app, base_url="https://esg.example.cn")
    token = host.post(
        "/pact/auth/token",
        data={"grant_type": "client_credentials"},
        auth=(made.client_id, made.client_secret),
    ).json()["access_token"]
    listed = host.get("/pact/3/footprints", headers={"authorization": f"Bearer {token}"})
    assert listed.status_code == 200 and len(listed.json()["data"]) == 3


def test_pagination_links_name_the_mount_and_the_requested_host(app):
    made = _publish(app)
    host = TestClient(app, base_url="https://esg.example.cn")
    token = host.post(
        "/pact/auth/token",
        data={"grant_type": "client_credentials"},
        auth=(made.client_id, made.client_secret),
    ).json()["access_token"]
    headers = {"authorization": f"Bearer {token}"}
    first = host.get("/pact/3/footprints?limit=2&status=Active", headers=headers)
    link = first.links["next"]["url"] if "next" in first.links else None
    listed = host.get("/pact/3/footprints?status=Active", headers=headers).json()["data"]
    assert len(listed) == 2 and link is None  # two Active: one page of two, no next
    first = host.get("/pact/3/footprints?limit=2", headers=headers)
    link = first.links["next"]["url"]
    assert link.startswith("https://esg.example.cn/pact/3/footprints?")
    rest = host.get(link, headers=headers).json()["data"]
    assert len(first.json()["data"]) + len(rest) == 3


def test_the_openid_configuration_names_the_token_endpoint_under_the_mount(app):
    host = TestClient(app, base_url="https://esg.example.cn")
    found = host.get("/pact/.well-known/openid-configuration").json()
    assert found["token_endpoint"] == "https://esg.example.cn/pact/auth/token"
