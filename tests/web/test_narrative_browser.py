"""A report text in 中文 on a phone (390×844), in Chromium: the group manager writes the
outlook and submits it, is refused approving it herself, and the administrator approves it;
no English is left on the pages on the way (the English text is marked lang="en").

Reuses the demo server and browser of tests/web/test_browser.py and the Chinese walk of
tests/web/test_walk_in_chinese.py (skipped without a chromium binary, unless
ESGLEDGER_REQUIRE_BROWSER=1).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from esgledger.narrative.kinds import load_kinds
from tests.conftest import SharedDemo
from tests.web.latin_text import load_allow_list
from tests.web.test_browser import browser, chromium, log_in, serve  # noqa: F401
from tests.web.test_walk_in_chinese import PHONE, Walk, ledger_names

TEXT_ZH = "二〇二五年，我们将继续推进绿色低碳转型。\n我们将与利益相关方携手前行。"
TEXT_EN = "In 2025 we will carry on the low-carbon transition.\nWe will work with stakeholders."


@pytest.fixture(scope="module")
def server(
    chromium: str,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
    demo_ledger: SharedDemo,
) -> Iterator[str]:
    from esgledger.settings import Settings

    url = demo_ledger.copy_to(tmp_path_factory.mktemp("narrative"))
    yield from serve(Settings(db=url, secure_cookies=False))


def phone_in_chinese(browser: Browser, server: str, username: str) -> Walk:  # noqa: F811
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    log_in(page, server, username)
    page.click('[data-test="menu-toggle"]')
    page.click('a[lang="zh-CN"]')
    # the texts' keys (2025-outlook) are the ledger's own codes, as entity codes are
    return Walk(page, load_allow_list().with_words(ledger_names() | set(load_kinds())))


def test_a_text_written_on_a_phone_is_approved_by_a_second_user(server, browser):  # noqa: F811
    author = phone_in_chinese(browser, server, "manager")
    page = author.page
    page.goto(f"{server}/registers")  # other registers' lines are not this test's
    page.click('a[href="/narrative"]')
    page.fill('input[name="year"]', "2025")
    page.click('[data-test="year-form"] button')
    author.check()
    page.click('[data-test="new-outlook"]')
    page.fill('[data-test="text-zh"]', TEXT_ZH)
    page.fill('[data-test="text-en"]', TEXT_EN)
    author.check()
    page.click('[data-test="narrative-save"]')
    expect(page.locator('[data-test="block-status"]')).to_have_text("草稿")
    author.check()
    page.click('[data-test="narrative-submit"]')
    expect(page.locator('[data-test="block-status"]')).to_have_text("已提交")
    page.click('[data-test="narrative-approve"]')
    expect(page.locator('[data-test="narrative-error"]')).to_contain_text("须由另一位审核人批准")
    author.check()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    reviewer = phone_in_chinese(browser, server, "admin")
    reviewer.visit(server, "/narrative?year=2025")
    reviewer.page.click('[data-test="block-row"] a')
    reviewer.page.fill('[data-test="comment"]', "同意。")
    reviewer.page.click('[data-test="narrative-approve"]')
    expect(reviewer.page.locator('[data-test="block-status"]')).to_have_text("已批准")
    expect(reviewer.page.locator('[data-test="history"] li')).to_have_count(3)
    expect(reviewer.page.locator('[data-test="text-zh"]')).to_contain_text("绿色低碳转型")
    reviewer.check()
    assert reviewer.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    found = {**author.english, **reviewer.english}
    author.page.context.close()
    reviewer.page.context.close()
    assert found == {}, "\n".join(f"{url}: {lines}" for url, lines in found.items())
