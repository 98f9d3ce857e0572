"""The main flow in a real browser, at desktop and phone size: a monitoring result over its
limit is recorded, the exceedance it opens is shown, its cause and corrective action are
recorded and it is closed. Skipped without chromium unless ESGLEDGER_REQUIRE_BROWSER=1."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.web.latin_text import VISIBLE_TEXT, english_left, load_allow_list
from tests.web.test_browser import browser, chromium, log_in, server, shot  # noqa: F401
from tests.web.test_walk_in_chinese import ledger_names

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
KILN_SEWAGE = "91150200DEMO00001X001P/DW001"  # demo: the Smelting Branch's sewage outlet


@pytest.mark.parametrize("size", list(SIZES))
def test_an_exceedance_is_recorded_seen_explained_and_closed(
    server: str,  # noqa: F811
    browser: Browser,  # noqa: F811
    size: str,
):
    context = browser.new_context(viewport=SIZES[size], locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    log_in(page, server, "smelter")
    page.goto(f"{server}/permits")
    form = page.locator('[data-test="result-form"]')
    form.locator('select[name="outlet"]').select_option(KILN_SEWAGE)
    form.locator('select[name="pollutant"]').select_option("cod")
    day = "2025-04-0" + ("1" if size == "desktop" else "2")
    form.locator('input[name="sampled_at"]').fill(f"{day}T09:30")
    form.locator('input[name="value"]').fill("620")
    form.locator('input[name="unit"]').fill("mg/L")
    form.locator('button[type="submit"]').click()
    expect(page.locator('[data-test="exceedance-status"]')).to_have_text("待处理")
    expect(page.locator('[data-test="exceedance-value"]')).to_contain_text("620")
    shot(page, f"permits-exceedance-{size}")
    page.fill('textarea[name="text"]', "化粪池清掏延误，进水负荷升高")
    page.click('[data-test="step-submit"]')
    expect(page.locator('[data-test="exceedance-status"]')).to_have_text("已查明原因")
    page.fill('textarea[name="text"]', "完成清掏并加密监测")
    page.click('[data-test="step-submit"]')
    expect(page.locator('[data-test="exceedance-status"]')).to_have_text("已整改")
    page.click('[data-test="step-submit"]')
    expect(page.locator('[data-test="exceedance-status"]')).to_have_text("已关闭")
    expect(page.locator('[data-test="exceedance-cause"]')).to_have_text(
        "化粪池清掏延误，进水负荷升高"
    )
    expect(page.locator('[data-test="step-form"]')).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    allowed = load_allow_list().with_words(ledger_names())
    untranslated = english_left(page.evaluate(VISIBLE_TEXT, list(allowed.skipped)), allowed)
    page.goto(f"{server}/permits")
    untranslated += english_left(page.evaluate(VISIBLE_TEXT, list(allowed.skipped)), allowed)
    assert untranslated == [], "\n".join(untranslated)
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    context.close()
