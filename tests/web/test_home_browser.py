"""A reporter answers a rejection in a real browser (Chromium via Playwright), in English on
a desktop and in Chinese on a phone: home shows the rejection and its reason, the reporter
replies in the value's thread, then corrects the value from the form and submits it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from esgledger.catalog import load_catalog
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.ledger.entry import FormValue, save_form
from esgledger.ledger.revisions import REJECTED, Selection, change_status
from esgledger.settings import Settings
from tests.web.conftest import PASSWORD
from tests.web.test_browser import (  # noqa: F401 - fixtures shared with the other browser tests
    _note_csp_violation,
    browser,
    chromium,
    no_csp_violations,
    serve,
)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
ELECTRICITY = "energy.purchased_electricity"
REASONS = {"en": "The January meter reading is missing", "zh": "缺少一月份的电表读数"}
REPLIES = {
    "en": "Meter replaced on 3 January; corrected from the new meter",
    "zh": "电表已于一月三日更换，已按新表更正",
}
TEXTS = {
    "en": {
        "correct": "Correct the value",
        "answer": "Reply",
        "send": "Send",
        "submit": "Submit for review",
    },
    "zh": {"correct": "更正数值", "answer": "回复", "send": "发送", "submit": "提交审核"},
}


def rejected_ledger(folder: Path, seeded: Path, lang: str) -> str:
    """The seeded ledger with the reporter's January 2024 value submitted and rejected."""
    path = folder / "ledger.db"
    shutil.copyfile(seeded, path)
    database = open_database(f"sqlite:///{path}")
    with unit_of_work(database) as session:
        value = [FormValue(ELECTRICITY, "1100", "MWh")]
        save_form(session, "reporter", load_catalog(), "SMELT", "2024-01", value, submit=True)
        change_status(session, "manager", REJECTED, Selection(["SMELT"], ["2024-01"]),
                      reason=REASONS[lang])  # fmt: skip
    database.dispose()
    return f"sqlite:///{path}"


@pytest.fixture
def server_for(tmp_path: Path, seeded_file: Path) -> Iterator:
    servers = []

    def start(lang: str) -> str:
        url = rejected_ledger(tmp_path, seeded_file, lang)
        running = serve(Settings(db=url, secure_cookies=False))
        servers.append(running)
        return next(running)

    yield start
    for running in servers:
        next(running, None)


def reporter_page(browser: Browser, base: str, lang: str, viewport: dict) -> Page:  # noqa: F811
    context = browser.new_context(
        viewport=viewport, locale="zh-CN" if lang == "zh" else "en-US",
        is_mobile=viewport is PHONE, has_touch=viewport is PHONE,
    )  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.on("console", _note_csp_violation)
    page.goto(f"{base}/lang/{lang}?next=/login")
    page.fill('input[name="username"]', "reporter")
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    return page


@pytest.mark.parametrize(("lang", "viewport"), [("en", DESKTOP), ("zh", PHONE)])
def test_a_reporter_answers_a_rejection_from_home(
    browser: Browser,  # noqa: F811
    server_for,
    lang: str,
    viewport: dict,
):
    base, words = server_for(lang), TEXTS[lang]
    page = reporter_page(browser, base, lang, viewport)
    expect(page).to_have_url(f"{base}/home")
    item = page.locator('[data-test="rejected-item"]')
    expect(item).to_have_count(1)
    expect(item.locator('[data-test="rejection-reason"]')).to_have_text(REASONS[lang])
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    item.get_by_role("link", name=words["answer"]).click()
    page.locator('textarea[name="text"]').fill(REPLIES[lang])
    page.get_by_role("button", name=words["send"]).click()
    expect(page.locator('[data-test="comment"]').last).to_contain_text(REPLIES[lang])
    expect(page.locator('[data-test="comment"]').last).to_contain_text(
        "填报人" if lang == "zh" else "Reporter"
    )

    page.goto(f"{base}/home")
    page.locator('[data-test="rejected-item"]').get_by_role("link", name=words["correct"]).click()
    answers = page.locator(f'[id="thread-2024-01-{ELECTRICITY}"]')
    expect(answers).to_have_attribute("open", "")  # a rejected value's thread opens itself
    expect(answers).to_contain_text(REPLIES[lang])
    page.fill(f'input[name="v.{ELECTRICITY}"]', "1090")
    page.get_by_role("button", name=words["submit"], exact=True).click()
    row = page.locator(f'tr[data-indicator="{ELECTRICITY}"]')
    expect(row.locator(".badge.status-submitted")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    page.goto(f"{base}/home")
    expect(page.locator('[data-test="rejected-item"]')).to_have_count(0)
