"""The collection loop end to end in Chromium (issue 17), in English on a desktop and in
Chinese on a phone: a campaign's reminder reaches the reporter's inbox; on the home page the
reporter sees what is due and a rejected value with the reviewer's reason; the reporter
attaches the invoice to the value as evidence, answers the reviewer in the value's thread,
corrects the value and submits it; the reviewer reads the answer and sees the file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from esgledger.catalog import load_catalog
from esgledger.collection.campaigns import create_campaign
from esgledger.collection.reminders import run_reminders
from esgledger.demo.generate import factor_file
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.ledger.entry import FormValue, save_form
from esgledger.ledger.revisions import REJECTED, Selection, change_status, latest_revisions
from esgledger.settings import Settings
from tests.evidence.helpers import pdf_bytes
from tests.web.latin_text import VISIBLE_TEXT, english_left, load_allow_list
from tests.web.test_browser import browser, chromium, log_in, serve  # noqa: F401

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
ELECTRICITY = "energy.purchased_electricity"
ROW = f'tr[data-indicator="{ELECTRICITY}"]'
CODES = {"SMELT", "SMELT-PV", "SMELT-HYD", "smelter", "manager", "MWh"}
CASES = {
    "en": {
        "viewport": DESKTOP, "locale": "en-US", "campaign": "9101",
        "reminder": "Campaign 9101: SMELT still has",
        "reason": "December is 40% above November; which meter?",
        "reply": "Meter M-12 was replaced on 3 December; the invoice is attached",
        "file": "december-electricity-invoice.pdf", "attached": "File attached as evidence",
        "correct": "Correct the value",
    },
    "zh": {
        "viewport": PHONE, "locale": "zh-CN", "campaign": "9102",
        "reminder": "填报任务 9102：SMELT 尚有",
        "reason": "十二月比十一月高百分之四十，用的是哪块电表？",
        "reply": "十二月三日更换了电表，已附上电费发票",
        "file": "十二月电费发票.pdf", "attached": "文件已作为证据附上",
        "correct": "更正数值",
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def served(chromium, tmp_path_factory, demo_ledger) -> Iterator[tuple[str, str]]:  # noqa: F811
    folder = tmp_path_factory.mktemp("loop")
    url = demo_ledger.copy_to(folder)
    settings = Settings(db=url, secure_cookies=False, factor_files=[str(factor_file())],
                        files_dir=folder / "files")  # fmt: skip
    for base in serve(settings):
        yield base, url


def campaign_and_rejection(url: str, case: dict) -> None:
    """A campaign due in three days with today's reminders (what the worker's daily job
    writes), and the reporter's December electricity submitted and rejected with a reason."""
    catalog, database = load_catalog(), open_database(url)
    with unit_of_work(database) as session:
        due = date.today() + timedelta(days=3)
        create_campaign(session, catalog, "manager", case["campaign"], year=2024, due=due)
        run_reminders(session, catalog, date.today())
        selection = Selection(["SMELT"], ["2024-12"], [ELECTRICITY])
        seen = latest_revisions(session, selection)[0].id
        value = [FormValue(ELECTRICITY, "3950", "MWh", seen_revision=seen)]
        save_form(session, "smelter", catalog, "SMELT", "2024-12", value, submit=True)
        change_status(session, "manager", REJECTED, selection, reason=case["reason"])
    database.dispose()


def reporter_page(browser: Browser, base: str, lang: str, case: dict) -> Page:  # noqa: F811
    phone = case["viewport"] is PHONE
    context = browser.new_context(viewport=case["viewport"], locale=case["locale"],
                                  is_mobile=phone, has_touch=phone)  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(60_000)
    log_in(page, base, "smelter")
    expect(page).to_have_url(f"{base}/home")
    page.goto(f"{base}/lang/{lang}?next=/inbox")
    return page


def fits(page: Page, case: dict) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= case["viewport"]["width"] + 1


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_reminder_reaches_the_reporter_who_attaches_evidence_and_answers_a_rejection(
    served,
    browser: Browser,  # noqa: F811
    lang: str,
):
    base, url = served
    case = CASES[lang]
    campaign_and_rejection(url, case)
    page = reporter_page(browser, base, lang, case)

    # the reminder is in the inbox
    expect(page.locator("tr.unread", has_text=case["reminder"])).to_have_count(1)
    fits(page, case)

    # home: what is due, and the rejection with the reviewer's reason
    page.goto(f"{base}/home")
    expect(page.locator('[data-test="due-item"]').first).to_be_visible()
    rejected = page.locator('[data-test="rejected-item"]', has_text=case["reason"])
    expect(rejected).to_have_count(1)
    fits(page, case)
    if lang == "zh":
        shown = page.evaluate(VISIBLE_TEXT, [])
        assert english_left(shown, load_allow_list().with_words(CODES)) == []
    rejected.get_by_role("link", name=case["correct"]).click()
    expect(page).to_have_url(f"{base}/entry/SMELT/2024-12#thread-2024-12-{ELECTRICITY}")

    # the invoice as evidence of the value
    row = page.locator(ROW)
    row.locator("details.attach summary").click()
    row.locator('input[type="file"]').set_input_files(
        {"name": case["file"], "mimeType": "application/pdf", "buffer": pdf_bytes("invoice")}
    )
    row.locator('[data-test="attach"]').click()
    expect(page.locator(".notice-ok")).to_contain_text(case["attached"])
    expect(page.locator(ROW).locator('[data-test="evidence-file"]')).to_contain_text(case["file"])

    # the answer in the value's thread, from the form
    row = page.locator(ROW)
    expect(row.locator('[data-test="rejection-reason"]')).to_contain_text(case["reason"])
    row.locator(f'textarea[name="reply.2024-12.{ELECTRICITY}"]').fill(case["reply"])
    row.locator('[data-test="reply"]').click()
    expect(page.locator(ROW).locator('[data-test="comment"]').last).to_contain_text(case["reply"])

    # the corrected value, submitted again
    page.fill(f'input[name="v.{ELECTRICITY}"]', "3890")
    page.click('button[value="submit"]')
    expect(page.locator(ROW).locator(".badge.status-submitted")).to_be_visible()
    fits(page, case)
    page.goto(f"{base}/home")
    expect(page.locator('[data-test="rejected-item"]', has_text=case["reason"])).to_have_count(0)
    page.context.close()

    # the reviewer reads the answer beside the value, with the file
    manager = browser.new_context(viewport=DESKTOP, locale=case["locale"]).new_page()
    manager.set_default_timeout(60_000)
    log_in(manager, base, "manager")
    manager.goto(f"{base}/review/SMELT/2024?status=submitted")
    values = manager.locator('[data-test="review-values"]')
    expect(values).to_contain_text(case["reply"])
    manager.goto(f"{base}/observations/SMELT/2024-12/{ELECTRICITY}")
    expect(manager.locator('[data-test="history-thread"]')).to_contain_text(case["reply"])
    expect(manager.locator('[data-test="evidence-list"]')).to_contain_text(case["file"])
    manager.context.close()
