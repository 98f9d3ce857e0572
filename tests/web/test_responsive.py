"""Every page a logged-in user can reach, on a phone (390×844) and a desktop (1280×800), in
English and Chinese: no page is wider than the screen, the menu folds behind its button on
a phone, input boxes are wide enough for a 12-digit figure, and every input has a name.

The pages are the web UI's GET routes, read from the application's router, so a new page
is checked without being listed here. With ESGLEDGER_SCREENSHOTS=1 the phone screenshots
of docs/img/phone-*.png are saved.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute
from playwright.sync_api import Browser, Page, expect

from esgledger.web.pages import router
from tests.web.test_browser import browser, chromium, log_in, server, shot  # noqa: F401

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
MIN_INPUT_PX = 110  # twelve digits and a separator at 14 px, with the box's padding
# Values for the path parameters of the routes, all in the demo ledger.
PARAMETERS = {
    "entity": "SMELT",
    "period": "2024-12",
    "year": "2024",
    "indicator": "energy.purchased_electricity",
    "username": "smelter",
    "site": "SMELT-HYD",
    "topic": "innovation",  # a topic of the demo's 2024 materiality assessment
}
# Routes whose parameter of a common name means a record of their own register.
ROUTE_PARAMETERS = {
    "/climate/item/{key}": {"key": "CR-TP-01"},  # a climate risk of the demo register
    "/safety/hazards/{key}": {"key": "HZ-SMELT-HYD-2025-0001"},
    "/suppliers/{code}": {"code": "SUP-ORE"},  # a supplier of the demo register
    "/campaigns/{name}": {"name": "2024"},  # the demo's campaign in progress
    "/narrative/block/{key}": {"key": "2024-case_study-lime-digestion"},  # a demo text
}
NOT_PAGES = {
    "/lang/{code}",  # a redirect that switches the language
    "/jobs/{job_id}/files/{sha256}",  # a download
    "/safety/files/{sha256}",  # a stored photo or plan: an image, not a page
    "/entry/{entity}/{period}/template.xlsx",  # a download: the collection template
    "/import-errors/{token}.xlsx",  # a download: a refused upload's error file
    # the survey, opened through a signed link without an account
    # (tests/web/test_survey_browser.py answers it on a phone)
    "/s/{token}",
    # a supplier's questionnaire, also opened through a signed link
    # (tests/web/test_supplier_browser.py answers it on a phone)
    "/q/{token}",
    "/assurance/files/{sha256}",  # a download: an evidence file from a workpaper
    "/suppliers/export.xlsx",  # a download: the supplier register as a workbook
}
EXTRA = [  # the same routes with the query or period that shows more of them
    "/entry/SMELT/2024",
    "/explain?indicator=ghg.scope2&code=SMELT&period=2024",
    "/completeness?year=2024",
    "/permits/exceedance?key=91620400DEMO00004X001P/DW001/nh3n/2025-03-14T10:00",
]

WIDEST = "document.documentElement.scrollWidth"
UNNAMED_INPUTS = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => el.type !== 'hidden' && el.type !== 'submit' && el.offsetParent !== null)
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby') && !el.title)
  .map(el => el.outerHTML.slice(0, 120))"""
# Text boxes only: a select of years or formats is as wide as its longest choice.
NARROW_INPUTS = """(least) => [...document.querySelectorAll('input, textarea')]
  .filter(el => !['hidden', 'submit', 'checkbox', 'radio', 'file'].includes(el.type))
  .filter(el => el.offsetParent !== null && el.getBoundingClientRect().width < least)
  .map(el => `${el.name || el.id}: ${Math.round(el.getBoundingClientRect().width)} px`)"""


def _routes(current) -> Iterator[APIRoute]:
    """The APIRoutes under a router, whether FastAPI keeps included routers whole or not."""
    for route in current.routes:
        if hasattr(route, "original_router"):
            yield from _routes(route.original_router)
        elif isinstance(route, APIRoute):
            yield route


def web_pages(job_id: str = "0") -> list[str]:
    """Every page; ``job_id`` names a job the server has (one the test queued)."""
    paths = [
        route.path.format(**{**PARAMETERS, **ROUTE_PARAMETERS.get(route.path, {})}, job_id=job_id)
        for route in _routes(router)
        if "GET" in route.methods and route.path not in NOT_PAGES
    ]
    return paths + EXTRA


def test_the_page_list_comes_from_the_router():
    pages = web_pages()
    assert {"/", "/entry/SMELT/2024-12", "/review/SMELT/2024", "/audit", "/report"} <= set(pages)
    assert not any("{" in page for page in pages), pages


def queued_job(page: Page, base: str) -> str:
    """A job queued through the API as the logged-in user, so that its page is checked."""
    page.goto(f"{base}/jobs")
    token = page.locator('input[name="csrf_token"]').first.get_attribute("value")
    answer = page.request.post(
        f"{base}/api/v1/jobs", data={"kind": "ping"}, headers={"x-csrf-token": token}
    )
    assert answer.status == 202, answer.text()
    return answer.json()["id"]


def _user_page(chrome: Browser, base: str, viewport: dict, lang: str) -> Page:
    context = chrome.new_context(viewport=viewport, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(60_000)
    log_in(page, base, "admin")
    page.goto(f"{base}/lang/{lang}?next=/")
    return page


def _check_page(page: Page, phone: bool, lang: str) -> list[str]:
    """What is wrong with the page now shown; an empty list when nothing is."""
    problems = []
    width = page.viewport_size["width"]
    if (widest := page.evaluate(WIDEST)) > width:
        problems.append(f"{widest} px wide on a {width} px screen")
    if unnamed := page.evaluate(UNNAMED_INPUTS):
        problems.append(f"inputs without a label: {unnamed}")
    if narrow := page.evaluate(NARROW_INPUTS, MIN_INPUT_PX):
        problems.append(f"inputs narrower than {MIN_INPUT_PX} px: {narrow}")
    if page.locator("html").get_attribute("lang") != ("zh-CN" if lang == "zh" else "en"):
        problems.append("the html element's lang is not the page's language")
    if page.locator('a.skip-link[href="#main"]').count() != 1 or page.locator("#main").count() != 1:
        problems.append("no skip link to #main")
    menu, toggle = page.locator("#mainnav"), page.locator(".menu-toggle")
    if phone:
        if menu.is_visible() or not toggle.is_visible():
            problems.append("the menu is not folded behind its button")
        else:
            toggle.click()
            if not menu.is_visible() or toggle.get_attribute("aria-expanded") != "true":
                problems.append("the menu button does not open the menu")
    elif toggle.is_visible() or not menu.is_visible():
        problems.append("on a desktop the menu is not shown in full")
    return problems


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_every_page_fits_the_screen_and_names_its_inputs(
    server: str,  # noqa: F811
    browser: Browser,  # noqa: F811
    size: str,
    lang: str,
):
    phone = size == "phone"
    page = _user_page(browser, server, PHONE if phone else DESKTOP, lang)
    found = {}
    for path in web_pages(queued_job(page, server)):
        page.goto(f"{server}{path}")
        if problems := _check_page(page, phone, lang):
            found[path] = problems
    assert found == {}, found
    page.context.close()


def test_a_value_box_is_named_by_its_indicator_and_unit_on_a_phone(
    server: str,  # noqa: F811
    browser: Browser,  # noqa: F811
):
    page = _user_page(browser, server, PHONE, "zh")
    page.goto(f"{server}/entry/SMELT/2024-12")
    box = page.locator('input[name="v.energy.purchased_electricity"]')
    expect(box).to_have_attribute("aria-label", "外购电力 (兆瓦时)")
    assert box.bounding_box()["width"] > 300  # the whole width of the phone, near enough
    shot(page, "phone-entry-zh")
    page.goto(f"{server}/")
    page.locator(".menu-toggle").click()
    shot(page, "phone-menu-zh")
    page.goto(f"{server}/review/SMELT/2024")
    shot(page, "phone-review-zh")
    page.context.close()
