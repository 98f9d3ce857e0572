"""The carbon assets page in a real browser, at desktop and phone size, in Chinese and
English: a reporter records an allowance purchase on the demo ledger, sees it among the
movements and the compliance gap; the Chinese page holds no English. Skipped without
chromium unless ESGLEDGER_REQUIRE_BROWSER=1."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.web.latin_text import VISIBLE_TEXT, english_left, load_allow_list
from tests.web.test_browser import browser, chromium, log_in, server  # noqa: F401
from tests.web.test_walk_in_chinese import ledger_names

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
LOCALES = {"zh": "zh-CN", "en": "en-US"}


@pytest.mark.parametrize(("size", "lang"), [("desktop", "zh"), ("phone", "zh"), ("phone", "en")])
def test_a_purchase_is_recorded_and_shown_with_the_gap(
    server: str,  # noqa: F811
    browser: Browser,  # noqa: F811
    size: str,
    lang: str,
):
    context = browser.new_context(viewport=SIZES[size], locale=LOCALES[lang])
    page = context.new_page()
    page.set_default_timeout(30_000)
    log_in(page, server, "smelter")
    page.goto(f"{server}/carbon-assets")
    assert page.evaluate("document.documentElement.lang") == ("zh-CN" if lang == "zh" else "en")
    expect(page.locator('[data-test="gap-row"]').first).to_be_visible()
    ref = f"CEA-BUY-{size}-{lang}"
    form = page.locator('[data-test="movement-form"]')
    form.locator('input[name="ref"]').fill(ref)
    form.locator('select[name="entity"]').select_option("SMELT")
    form.locator('select[name="instrument"]').select_option("cea")
    form.locator('select[name="kind"]').select_option("purchase")
    form.locator('input[name="quantity"]').fill("2,500")
    form.locator('input[name="on"]').fill("2025-05-06")
    form.locator('button[type="submit"]').click()
    row = page.locator('[data-test="movement-row"]', has_text=ref)
    expect(row).to_contain_text("2,500")
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    if lang == "zh":
        allowed = load_allow_list().with_words(ledger_names())
        untranslated = english_left(page.evaluate(VISIBLE_TEXT, list(allowed.skipped)), allowed)
        assert untranslated == [], "\n".join(untranslated)
    context.close()
