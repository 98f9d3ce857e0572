# ruff: noqa: F811 (pytest fixtures imported from tests/web/test_browser.py)
"""In Chromium: a hazard from finding to closure with a photo, and the map on a phone.

Reuses the demo server and browser of tests/web/test_browser.py (skipped without a chromium
binary, unless ESGLEDGER_REQUIRE_BROWSER=1); the Content-Security-Policy check applies.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.safety.helpers import png_bytes
from tests.web.test_browser import (  # noqa: F401
    browser,
    chromium,
    log_in,
    no_csp_violations,
    server,
)

PHONE = {"width": 390, "height": 844}


def person(browser: Browser, username: str, server: str, viewport=None):
    context = browser.new_context(
        viewport=viewport or {"width": 1280, "height": 800},
        locale="zh-CN",
        extra_http_headers={"Accept-Language": "zh"},
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    log_in(page, server, username)
    return context, page


def test_a_hazard_goes_from_finding_to_closure_with_a_photo(
    server: str,
    browser: Browser,
    tmp_path: Path,
):
    inspector_context, inspector = person(browser, "manager", server)
    inspector.goto(f"{server}/safety/hazards/new")
    form = inspector.locator('[data-test="new-hazard-form"]')
    form.locator('input[name="key"]').fill("HZ-BROWSER-1")
    form.locator('select[name="entity"]').select_option("SMELT-HYD")
    form.locator('input[name="title"]').fill("洗眼器水压不足")
    form.locator('input[name="found_on"]').fill("2025-12-01")
    form.locator('input[name="owner"]').fill("admin")
    form.locator('input[name="deadline"]').fill("2025-12-08")
    form.locator('button[type="submit"]').click()
    expect(inspector.locator('[data-test="hazard-status"]')).to_contain_text("待整改")

    owner_context, owner = person(browser, "admin", server, PHONE)  # the owner, on a phone
    owner.goto(f"{server}/safety/hazards/HZ-BROWSER-1")
    photo = tmp_path / "after.png"
    photo.write_bytes(png_bytes())
    rectify = owner.locator('[data-test="rectify-form"]')
    rectify.locator('textarea[name="note"]').fill("已更换洗眼器供水阀")
    rectify.locator('input[name="photos"]').set_input_files(str(photo))
    rectify.locator('button[type="submit"]').click()
    expect(owner.locator('[data-test="hazard-status"]')).to_contain_text("已整改")
    expect(owner.locator('[data-test="photos"] img')).to_have_count(1)

    inspector.reload()
    inspector.locator('[data-test="close-form"] button').click()  # not verified yet
    expect(inspector.locator('[data-test="hazard-error"]')).to_contain_text("尚未验收")
    inspector.locator('[data-test="verify-form"] button').click()
    expect(inspector.locator('[data-test="hazard-status"]')).to_contain_text("已验收")
    inspector.locator('[data-test="close-form"] button').click()
    expect(inspector.locator('[data-test="hazard-status"]')).to_contain_text("已销号")
    expect(inspector.locator('[data-test="history"] tbody tr')).to_have_count(4)
    inspector_context.close()
    owner_context.close()


def test_the_map_fits_a_phone_and_prints_without_the_menu(server: str, browser: Browser):
    context, page = person(browser, "manager", server, PHONE)
    page.goto(f"{server}/safety/map/SMELT-HYD")
    svg = page.locator('[data-test="riskmap"] svg')
    expect(svg).to_be_visible()
    box = svg.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"] and box["height"] > 100
    expect(page.locator('[data-test="riskmap"] circle')).to_have_count(15)
    no_overflow = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert no_overflow
    page.emulate_media(media="print")
    expect(page.locator('[data-test="plan-form"]')).to_be_hidden()
    expect(svg).to_be_visible()
    context.close()
