"""An auditor samples, queries a reporter, records the answer and signs off, in a real
browser, in Chinese at desktop size and in English at phone size. Skipped without chromium
unless ESGLEDGER_REQUIRE_BROWSER=1."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.latin_text import VISIBLE_TEXT, english_left, load_allow_list
from tests.web.test_browser import browser, chromium, server, shot  # noqa: F401
from tests.web.test_walk_in_chinese import ledger_names

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
CASES = {  # language: (browser locale, size, engagement code, texts shown)
    "zh": ("zh-CN", "desktop", "2024-1", {"answered": "已回复", "signed": "签署"}),
    "en": ("en-US", "phone", "2024-2", {"answered": "Answered", "signed": "Signed off"}),
}
ELECTRICITY = "energy.purchased_electricity"


def sign_in(page: Page, base: str, username: str) -> None:
    """Log in straight to the assurance page (the dashboard is not what this test is about)."""
    page.set_default_timeout(60_000)
    page.goto(f"{base}/login?next=/assurance")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', f"demo-{username}-pass")
    page.click('button[type="submit"]')
    expect(page.locator(".who")).to_contain_text(username)


def untranslated(page: Page) -> list[str]:
    allowed = load_allow_list().with_words(ledger_names())
    return english_left(page.evaluate(VISIBLE_TEXT, list(allowed.skipped)), allowed)


def open_engagement(page: Page, server: str, code: str) -> None:  # noqa: F811
    page.goto(f"{server}/assurance")
    form = page.locator('[data-test="engagement-form"]')
    form.locator('input[name="code"]').fill(code)
    form.locator('input[name="year"]').fill("2024")
    form.locator('select[name="standard"]').select_option("ISAE 3410")
    form.locator('select[name="common_unit"]').select_option("MWh")
    form.locator('input[name="entities"][value="SMELT"]').check()
    form.locator('textarea[name="indicators"]').fill(ELECTRICITY)
    form.locator('[data-test="engagement-submit"]').click()
    expect(page.locator("h1")).to_contain_text(code)


def sample_and_query(page: Page) -> str:
    page.locator('[data-test="sample-method"]').select_option("random")
    page.locator('[data-test="sample-size"]').fill("3")
    page.locator('[data-test="sample-seed"]').fill("42")
    page.locator('[data-test="sample-submit"]').click()
    expect(page.locator('[data-test="item-link"]')).to_have_count(3)
    page.locator('[data-test="item-link"]').first.click()
    page.locator('[data-test="tick-agreed"]').check()
    page.locator('[data-test="tick-traced"]').check()
    page.locator('[data-test="ticks-submit"]').click()
    expect(page.locator('[data-test="tick-agreed"]')).to_be_checked()
    page.locator('[data-test="query-recipient"]').select_option("smelter")
    page.locator('[data-test="query-text"]').fill("请提供该月电费发票")
    page.locator('[data-test="query-submit"]').click()
    expect(page.locator('[data-test="item-query-status"]')).to_have_count(1)
    return page.url


@pytest.mark.parametrize("lang", list(CASES))
def test_an_auditor_samples_queries_records_the_answer_and_signs_off(
    server: str,  # noqa: F811
    browser: Browser,  # noqa: F811
    lang: str,
) -> None:
    locale, size, code, texts = CASES[lang]
    auditor = browser.new_context(viewport=SIZES[size], locale=locale).new_page()
    sign_in(auditor, server, "auditor")
    open_engagement(auditor, server, code)
    item_url = sample_and_query(auditor)
    shot(auditor, f"assurance-item-{lang}-{size}", full_page=True)
    problems = untranslated(auditor) if lang == "zh" else []

    reporter = browser.new_context(viewport=SIZES[size], locale=locale).new_page()
    sign_in(reporter, server, "smelter")
    reporter.goto(f"{server}/assurance")
    reporter.locator('[data-test="my-query-link"]').first.click()  # open queries first
    expect(reporter.locator('[data-test="query-question"]')).to_have_text("请提供该月电费发票")
    reporter.locator('[data-test="answer-text"]').fill("发票号 2024-0117，已上传")
    reporter.locator('[data-test="answer-submit"]').click()
    expect(reporter.locator('[data-test="query-status"]')).to_have_text(texts["answered"])
    problems += untranslated(reporter) if lang == "zh" else []

    auditor.goto(item_url)
    expect(auditor.locator('[data-test="item-query-answer"]')).to_contain_text("发票号 2024-0117")
    auditor.locator('[data-test="close-query"]').click()
    auditor.goto(f"{server}/assurance/engagement?code={code}")
    row = auditor.locator('[data-test="signoff-row"][data-entity="SMELT"]')
    row.locator('[data-test="signoff-submit"]').click()
    expect(row.locator('[data-test="signoff-state"]')).to_contain_text(texts["signed"])
    shot(auditor, f"assurance-engagement-{lang}-{size}", full_page=True)
    problems += untranslated(auditor) if lang == "zh" else []
    assert problems == [], "\n".join(problems)
    assert auditor.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
