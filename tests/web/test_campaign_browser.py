"""A campaign reminder reaches a reporter, in the browser (Debian's chromium through
Playwright), in English on a desktop and in Chinese on a phone.

The group manager opens a campaign due in three days on the campaigns page; the worker's
daily reminders (run here for today, as the periodic job does) write the "3 days left"
reminder; the Smelting Branch's reporter sees the unread badge, reads the reminder in the
inbox, opens it into the entry form of the entity, and the badge counts one fewer.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, expect

from esgledger.catalog import load_catalog
from esgledger.collection.reminders import run_reminders
from esgledger.demo.generate import factor_file
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.settings import Settings
from tests.web.latin_text import VISIBLE_TEXT, english_left, load_allow_list
from tests.web.test_browser import browser, chromium, log_in, serve, shot  # noqa: F401

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
CODES = {"SMELT", "SMELT-PV", "SMELT-HYD", "smelter", "manager"}


@pytest.fixture(scope="module")
def served(chromium, tmp_path_factory, demo_ledger) -> Iterator[tuple[str, str]]:  # noqa: F811
    url = demo_ledger.copy_to(tmp_path_factory.mktemp("campaign"))
    for base in serve(Settings(db=url, secure_cookies=False, factor_files=[str(factor_file())])):
        yield base, url


def remind_today(url: str) -> None:
    """What the worker's daily campaign_reminders job writes (tests/jobs runs the job)."""
    database = open_database(url)
    with unit_of_work(database) as session:
        run_reminders(session, load_catalog(), date.today())
    database.dispose()


def unread(page) -> int:
    badge = page.locator('[data-test="unread-count"]')
    return int(badge.inner_text()) if badge.count() else 0


@pytest.mark.parametrize(
    ("lang", "viewport", "name", "reminder"),
    [
        (
            "en",
            DESKTOP,
            "9001",
            "Campaign 9001: SMELT still has 4 items open; due {due}, in 3 days.",
        ),
        ("zh", PHONE, "9002", "填报任务 9002：SMELT 尚有 4 项未填报；截止日期 {due}，还剩 3 天。"),
    ],
)
def test_a_campaign_reminder_reaches_the_reporter(
    served,
    browser: Browser,  # noqa: F811
    lang,
    viewport,
    name,
    reminder,
):
    base, url = served
    due = (date.today() + timedelta(days=3)).isoformat()
    locale = "zh-CN" if lang == "zh" else "en-US"
    phone = viewport is PHONE
    manager_context = browser.new_context(viewport=DESKTOP, locale=locale)
    manager = manager_context.new_page()
    manager.set_default_timeout(60_000)
    log_in(manager, base, "manager")
    manager.goto(f"{base}/lang/{lang}?next=/campaigns")
    form = manager.locator('[data-test="open-campaign"]')
    form.locator('input[name="name"]').fill(name)
    form.locator('input[name="year"]').fill("2024")
    form.locator('input[name="due"]').fill(due)
    form.locator('button[type="submit"]').click()
    expect(manager.locator('[data-test="campaign-progress"]')).to_contain_text("SMELT")
    state = manager.locator('tr[data-entity="SMELT-HYD"] [data-test="entity-state"]')
    expect(state).to_contain_text("已完成" if lang == "zh" else "Complete")
    shot(manager, f"campaign-{lang}")
    manager_context.close()

    remind_today(url)

    context = browser.new_context(
        viewport=viewport, locale=locale, is_mobile=phone, has_touch=phone
    )
    reporter = context.new_page()
    reporter.set_default_timeout(60_000)
    log_in(reporter, base, "smelter")
    reporter.goto(f"{base}/lang/{lang}?next=/inbox")
    before = unread(reporter)
    assert before >= 2  # the opening notice and the reminder, at least
    row = reporter.locator("tr.unread", has_text=reminder.format(due=due))
    expect(row).to_have_count(1)
    if phone:
        assert reporter.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if lang == "zh":
        text = reporter.evaluate(VISIBLE_TEXT, [])
        assert english_left(text, load_allow_list().with_words(CODES)) == []
    shot(reporter, f"inbox-{lang}-{'phone' if phone else 'desktop'}")
    row.locator('[data-test="open-notice"]').click()
    expect(reporter).to_have_url(f"{base}/entry/SMELT/2024")
    reporter.goto(f"{base}/inbox")
    assert unread(reporter) == before - 1
    context.close()
