"""The register's main flow in Chromium at desktop and phone size: a group manager adds a
risk and finds it on the heat map, then opens it from there."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from esgledger.demo.generate import factor_file
from esgledger.settings import Settings
from tests.conftest import SharedDemo
from tests.web.test_browser import browser, chromium, log_in, serve, shot  # noqa: F401

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def server(
    chromium: str,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
    demo_ledger: SharedDemo,
) -> Iterator[str]:
    url = demo_ledger.copy_to(tmp_path_factory.mktemp("climate"))
    yield from serve(Settings(db=url, secure_cookies=False, factor_files=[str(factor_file())]))


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_risk_added_in_the_form_appears_on_the_heat_map(
    server: str,
    browser: Browser,  # noqa: F811
    size: str,
) -> None:
    context = browser.new_context(viewport=SIZES[size], locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    log_in(page, server, "manager")
    page.goto(f"{server}/lang/zh?next=/climate")
    expect(page.locator("h1")).to_have_text("气候风险与机遇")
    before = page.locator('[data-test="cell-5-4"] a.heat-key').count()
    page.click('[data-test="climate-add"]')
    key = f"CR-NEW-{size}"
    page.fill('input[name="key"]', key)
    page.select_option('select[name="category"]', "transition.policy_legal")
    page.fill('input[name="title_zh"]', "欧盟碳边境调节机制")
    page.fill('input[name="title_en"]', "EU carbon border adjustment")
    page.fill('input[name="entities"]', "NMAG")
    page.fill('[data-test="likelihood"]', "9")  # off the scale first
    page.fill('[data-test="impact"]', "4")
    page.click('[data-test="climate-save"]')
    expect(page.locator('[data-test="problem-likelihood"]')).to_contain_text("1 至 5")
    page.fill('[data-test="likelihood"]', "5")
    shot(page, f"climate-form-{size}")
    page.click('[data-test="climate-save"]')
    expect(page.locator("h1")).to_have_text("欧盟碳边境调节机制")
    expect(page.locator('[data-test="climate-history"] tbody tr')).to_have_count(1)
    page.goto(f"{server}/climate")
    cell = page.locator('[data-test="cell-5-4"] a.heat-key')
    expect(cell).to_have_count(before + 1)
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    shot(page, f"climate-heatmap-{size}", full_page=True)
    page.locator('[data-test="cell-5-4"]').get_by_text(key).click()
    expect(page.locator('[data-test="climate-facts"]')).to_contain_text("几乎确定")
    context.close()


def test_the_scenario_page_draws_the_demo_analysis(server: str, browser: Browser) -> None:  # noqa: F811
    context = browser.new_context(viewport=SIZES["phone"], locale="en-US")
    page = context.new_page()
    page.set_default_timeout(60_000)  # the shared machine can be slow to log in
    log_in(page, server, "manager")
    page.goto(f"{server}/climate/scenarios?pathway=efficiency_green_process")
    expect(page.locator('[data-test="scenario-chart"] svg')).to_be_visible()
    expect(page.locator('[data-test="scenario-table"] tbody tr').first).to_be_visible()
    expect(page.locator('[data-test="hazards-table"]')).to_contain_text("Drought")
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES["phone"]["width"]
    context.close()
