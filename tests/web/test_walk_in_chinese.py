"""The main flows in 中文 on a phone (390×844), in Chromium: no English left on the way.

An administrator logs in, switches to Chinese and walks the dashboard, a data entry form
(a value saved and submitted), an upload, the review (approved), a value's history and
explanation, targets, pathways, the report page, the audit log and the user pages; then
the registers (materiality, climate risks, safety, permits, monitoring, footprints,
suppliers, carbon assets, campaigns, assurance, evidence, jobs). On
every page the visible text (body text, title, chart texts, menu options and the title,
placeholder, aria-label and alt attributes) may hold Latin words only where Chinese
writing keeps them (latin_allowed.yaml, and the ledger's own codes and names).

Reuses the demo server and browser of tests/web/test_browser.py (skipped without a
chromium binary, unless ESGLEDGER_REQUIRE_BROWSER=1). With ESGLEDGER_SCREENSHOTS=1 the
walk saves docs/img/walk-zh-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from esgledger.demo.build import MANAGER, REPORTER
from esgledger.demo.generate import factor_file
from esgledger.settings import Settings
from esgledger.web.i18n import messages
from tests.conftest import SharedDemo
from tests.web.latin_text import VISIBLE_TEXT, LatinAllowList, english_left, load_allow_list
from tests.web.test_browser import browser, chromium, log_in, serve, shot  # noqa: F401

PHONE = {"width": 390, "height": 844}
DEMO_DATA = Path(str(files("esgledger.demo"))) / "data"
ELECTRICITY = 'input[name="v.energy.purchased_electricity"]'
UPLOAD = (  # a long table with Chinese headers, as a subsidiary fills it
    "实体,期间,指标,数值,单位,备注\n"
    "SMELT,2024-11,energy.purchased_electricity,3650,MWh,十一月抄表\n"
)


def ledger_names() -> set[str]:
    """The demo ledger's own data in Latin letters: entity codes and tags, users and names,
    meter names."""
    org = yaml.safe_load((DEMO_DATA / "org.yaml").read_text(encoding="utf-8"))
    accounts = yaml.safe_load((DEMO_DATA / "accounts.yaml").read_text(encoding="utf-8"))
    meters = yaml.safe_load((DEMO_DATA / "monitoring" / "meters.yaml").read_text(encoding="utf-8"))
    names = {entity["code"] for entity in org["entities"]} | {MANAGER, REPORTER}
    names |= {word for meter in meters for word in meter["name"].split()}  # as the plant names them
    names |= {tag for entity in org["entities"] for tag in entity.get("tags", [])}
    for account in accounts["accounts"]:
        names |= {account["username"], *account["name"].split()}
    return {part for name in names for part in name.split("-")}


@pytest.fixture(scope="module")
def server(
    chromium: str,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
    demo_ledger: SharedDemo,
) -> Iterator[str]:
    """The demo ledger served with the demo's targets and scenarios, so those pages judge."""
    url = demo_ledger.copy_to(tmp_path_factory.mktemp("walk"))
    settings = Settings(
        db=url,
        secure_cookies=False,
        factor_files=[str(factor_file())],
        targets=DEMO_DATA / "targets.yaml",
        scenarios=DEMO_DATA / "scenarios",
        products=DEMO_DATA / "products",
    )
    yield from serve(settings)


class Walk:
    """A phone in Chinese that notes the English on every page it shows."""

    def __init__(self, page: Page, allowed: LatinAllowList) -> None:
        self.page, self.allowed, self.english = page, allowed, {}

    def check(self, shot_name: str | None = None) -> None:
        """Note the English on the page now shown; save its screenshot when asked."""
        expect(self.page.locator("html")).to_have_attribute("lang", "zh-CN")
        text = self.page.evaluate(VISIBLE_TEXT, list(self.allowed.skipped))
        if found := english_left(text, self.allowed):
            self.english[self.page.url] = found
        if shot_name:
            shot(self.page, f"walk-zh-{shot_name}")

    def visit(self, base: str, path: str, shot_name: str | None = None) -> None:
        self.page.goto(f"{base}{path}")
        self.check(shot_name)


@pytest.fixture
def walk(server: str, browser: Browser) -> Iterator[Walk]:  # noqa: F811
    """Logged in as the administrator on a phone, switched to Chinese by the menu's link."""
    context = browser.new_context(viewport=PHONE, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(60_000)
    log_in(page, server, "admin")
    page.click('[data-test="menu-toggle"]')  # on a phone the switch is in the folded menu
    page.click('a[lang="zh-CN"]')
    expect(page.locator("h1")).to_have_text("总览")
    yield Walk(page, load_allow_list().with_words(ledger_names()))
    context.close()


def test_the_main_flows_in_chinese_on_a_phone_show_no_english(
    server: str,
    walk: Walk,
    tmp_path: Path,
):
    page = walk.page
    walk.check("dashboard")
    page.click('[data-test="menu-toggle"]')
    walk.check()  # the folded menu, open
    walk.visit(server, "/entry")
    walk.visit(server, "/entry/SMELT/2024-12")
    page.fill(ELECTRICITY, "3890")
    row = page.locator('tr[data-indicator="energy.purchased_electricity"]')
    row.locator('input[name^="c."]').fill("十二月新轧机投产")
    walk.check("entry")
    page.click('button[value="submit"]')
    expect(page.locator(".notice-ok")).to_be_visible()
    walk.check()

    upload = tmp_path / "十一月.csv"
    upload.write_text(UPLOAD, encoding="utf-8")
    walk.visit(server, "/entry/SMELT/2024-11")
    page.set_input_files('input[name="file"]', str(upload))
    page.locator('form[action$="/upload"] button[type="submit"]').click()
    expect(page.locator(".notice-ok")).to_be_visible()
    walk.check()

    walk.visit(server, "/review")
    walk.visit(server, "/review/SMELT/2024")
    page.fill('textarea[name="reason"]', "已与十二月电表读数核对。")
    walk.check("review")
    page.click('button[value="approve"]')
    expect(page.locator(".notice-ok")).to_be_visible()
    walk.check()

    walk.visit(server, "/observations/SMELT/2024-12/energy.purchased_electricity", "history")
    walk.visit(server, "/explain?indicator=ghg.scope2&code=SMELT&period=2024", "explain")
    walk.visit(server, "/explain?indicator=ghg.scope2&code=NRE&period=2024")
    walk.visit(server, "/completeness?year=2024")
    walk.visit(server, "/targets", "targets")
    walk.visit(server, "/pathways", "pathways")
    walk.visit(server, "/pact-exchange")
    walk.visit(server, "/report")
    walk.visit(server, "/restate")
    walk.visit(server, "/audit")
    page.locator('[data-test="verify-now"]').click()
    expect(page.locator('[data-test="chain-ok"]')).to_be_visible()
    walk.check("audit")
    walk.visit(server, "/users")
    walk.visit(server, "/users/smelter")
    walk.visit(server, "/password")
    page.click('[data-test="menu-toggle"]')
    page.click('[data-test="logout"]')
    walk.check()
    assert walk.english == {}, "\n".join(
        f"{url}\n  " + "\n  ".join(lines) for url, lines in walk.english.items()
    )


REGISTERS = (  # the registers beside the ledger's figures, as the menu opens them
    "/registers",
    "/materiality",
    "/climate",
    "/climate/scenarios",
    "/safety",
    "/permits",
    "/monitoring",
    "/footprints",
    "/suppliers",
    "/carbon-assets",
    "/campaigns",
    "/assurance",
    "/evidence",
    "/jobs",
    "/inbox",
    "/home",
)


def test_the_register_pages_in_chinese_on_a_phone_show_no_english(server: str, walk: Walk):
    for path in REGISTERS:
        walk.visit(server, path)
    assert walk.english == {}, "\n".join(
        f"{url}\n  " + "\n  ".join(lines) for url, lines in walk.english.items()
    )


def test_the_walk_finds_an_english_label_put_back(
    server: str,
    walk: Walk,
    monkeypatch: pytest.MonkeyPatch,
):
    """The server runs in this process: its Chinese table, with one label back in English."""
    monkeypatch.setitem(messages("zh"), "audit.action.login", "login")
    walk.visit(server, "/audit")
    assert list(walk.english) == [f"{server}/audit"]
    assert any(line.startswith("login  ←") for line in walk.english[f"{server}/audit"])
