"""A supplier answers questionnaires through its link on a phone, in Chinese and in
English; the manager makes the links on the desktop and sees the classes.

Debian's chromium through Playwright (skipped without it locally): the manager makes a
link on a supplier's page; the supplier opens it on a phone (no account), the form fits
the phone's width and reads as Chinese (no English words), an unanswered question is
named and the answers stay, the answer is recorded, and the same link is refused after.
An English footprint link takes product rows on a phone.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from esgledger.demo.generate import factor_file
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.settings import Settings
from esgledger.suppliers.questionnaires import latest_answers
from tests.web.latin_text import VISIBLE_TEXT, english_left, load_allow_list
from tests.web.test_browser import browser, chromium, log_in, new_page, serve, shot  # noqa: F401

PHONE = {"width": 390, "height": 844}
KEY = "browser-test-link-key-0123456789"


@pytest.fixture(scope="module")
def site(chromium, tmp_path_factory, demo_ledger) -> Iterator[tuple[str, str]]:  # noqa: F811
    url = demo_ledger.copy_to(tmp_path_factory.mktemp("suppliers"))
    settings = Settings(
        db=url, secure_cookies=False, factor_files=[str(factor_file())], link_key=KEY
    )
    for base in serve(settings):
        yield base, url


def _make_link(manager: Page, base: str, code: str, kind: str, lang: str) -> str:
    manager.goto(f"{base}/suppliers/{code}")
    form = manager.locator('[data-test="send-form"]')
    form.locator('select[name="kind"]').select_option(kind)
    form.locator('input[name="year"]').fill("2024")
    form.locator('select[name="lang"]').select_option(lang)
    form.locator('[data-test="send"]').click()
    return manager.locator('[data-test="link"]').inner_text()


def _manager(browser: Browser, base: str) -> Page:  # noqa: F811
    manager = new_page(browser)
    manager.set_default_timeout(90_000)  # the first pages of a fresh server load the catalog
    log_in(manager, base, "manager")
    return manager


def _phone(browser: Browser, locale: str) -> Page:  # noqa: F811
    context = browser.new_context(viewport=PHONE, locale=locale, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page


def _choose(page: Page, question: str, text: str) -> None:
    page.locator(f'fieldset[data-question="{question}"] .q-choice', has_text=text).tap()


def test_a_supplier_answers_the_admission_questionnaire_on_a_phone_in_chinese(site, browser):  # noqa: F811
    base, _ = site
    manager = _manager(browser, base)
    link = _make_link(manager, base, "SUP-LOG", "admission", "zh")
    phone = _phone(browser, "zh-CN")
    phone.goto(link)
    expect(phone.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(phone.locator("h1")).to_contain_text("供应商ESG准入问卷")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    text = phone.evaluate(VISIBLE_TEXT, [])
    assert english_left(text, load_allow_list().with_words({"ESG"})) == []
    for question in ("licence", "violations", "discharge_permit", "fatalities", "child_labour",
                     "contracts", "integrity"):  # fmt: skip
        _choose(phone, question, "是")
    _choose(phone, "quality_system", "已通过")
    _choose(phone, "environment_system", "有成文体系")
    _choose(phone, "safety_system", "已通过")
    phone.locator('[data-test="q-submit"]').tap()  # minerals left out
    expect(phone.locator('[data-test="q-error"]')).to_contain_text("第 11 题未作答")
    expect(phone.locator('fieldset[data-question="licence"] input:checked')).to_have_count(1)
    _choose(phone, "minerals_policy", "不涉及矿产")
    shot(phone, "supplier-questionnaire-zh-phone")
    phone.locator('[data-test="q-submit"]').tap()
    expect(phone.locator('[data-test="q-thanks"]')).to_contain_text("感谢")
    phone.goto(link)
    expect(phone.locator('[data-test="q-error"]')).to_contain_text("此链接已被使用")
    phone.context.close()
    manager.goto(f"{base}/suppliers")
    row = manager.locator('[data-test="supplier-row"][data-code="SUP-LOG"]')
    expect(row).to_contain_text("Approved")  # 2024 re-admission: 91.7 (was conditional)
    manager.context.close()


def test_a_supplier_gives_product_footprints_on_a_phone_in_english(site, browser):  # noqa: F811
    base, url = site
    manager = _manager(browser, base)
    link = _make_link(manager, base, "SUP-ORE", "footprint", "en")
    manager.context.close()
    phone = _phone(browser, "en-US")
    phone.goto(link)
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.locator("h1")).to_contain_text("Product carbon footprint questionnaire")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    row = phone.locator('fieldset[data-question="products"] .q-row[data-row="1"]')
    row.locator('input[name$=".product"]').fill("Rare earth concentrate")
    row.locator('select[name$=".unit"]').select_option("t")
    row.locator('input[name$=".kgco2e_per_unit"]').fill("1,850")
    row.locator('select[name$=".method"]').select_option("iso14067")
    row.locator('select[name$=".verified"]').select_option("yes")
    phone.locator('[data-test="q-submit"]').tap()
    expect(phone.locator('[data-test="q-thanks"]')).to_contain_text("Thank you")
    phone.context.close()
    database = open_database(url)
    with unit_of_work(database) as session:
        answers = latest_answers(session, "footprint", 2024)
    database.dispose()
    [product] = answers[("SUP-ORE", 2024)].payload["answers"]["products"]
    assert product["kgco2e_per_unit"] == 1850.0 and product["method"] == "iso14067"
