"""A stakeholder answers the materiality survey on a phone, in Chinese, through a link.

Debian's chromium through Playwright (skipped without it locally; CI requires it): the
link opens a form that fits the phone's width, reads as Chinese, takes taps on the rating
buttons, records the answer, and refuses the same link the second time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, expect

from esgledger.demo.generate import factor_file
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.ledger.reads.records import current_record
from esgledger.materiality.survey import RESPONSES, issue_survey_links
from esgledger.settings import Settings
from tests.web.latin_text import VISIBLE_TEXT, english_left, load_allow_list
from tests.web.test_browser import browser, chromium, serve, shot  # noqa: F401

PHONE = {"width": 390, "height": 844}
KEY = "browser-test-link-key-0123456789"


@pytest.fixture(scope="module")
def survey(chromium, tmp_path_factory, demo_ledger) -> Iterator[tuple[str, str, str]]:  # noqa: F811
    """The demo ledger served with a link key, and one employees' link of 2024 in Chinese."""
    url = demo_ledger.copy_to(tmp_path_factory.mktemp("survey"))
    database = open_database(url)
    with unit_of_work(database) as session:
        token = issue_survey_links(
            session, KEY.encode(), year=2024, group="employees", count=1, lang="zh",
            valid_for=timedelta(days=7), now=datetime.now(UTC), actor="manager",
        )[0]  # fmt: skip
    database.dispose()
    settings = Settings(
        db=url, secure_cookies=False, factor_files=[str(factor_file())], link_key=KEY
    )
    for base in serve(settings):
        yield base, token, url


def test_a_stakeholder_answers_on_a_phone_in_chinese(survey, browser: Browser):  # noqa: F811
    base, token, url = survey
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{base}/s/{token}")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("h1")).to_contain_text("实质性议题调查")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    text = page.evaluate(VISIBLE_TEXT, [])
    assert english_left(text, load_allow_list().with_words({"ESG"})) == []
    first = page.locator("fieldset.survey-topic").first
    for rating in first.locator(".rating").all():
        rating.locator(".rating-choice span", has_text="4").tap()
    expect(first.locator("input:checked")).to_have_count(4)
    shot(page, "survey-zh-phone")
    page.locator('[data-test="survey-submit"]').tap()
    expect(page.locator('[data-test="survey-thanks"]')).to_contain_text("感谢参与")
    page.goto(f"{base}/s/{token}")
    expect(page.locator('[data-test="survey-error"]')).to_contain_text("此链接已被使用")
    context.close()
    database = open_database(url)
    with unit_of_work(database) as session:
        answered = current_record(session, RESPONSES, _link_id(token))
    database.dispose()
    assert answered is not None and answered.payload["scores"] == [4, 4, 4, 4]


def _link_id(token: str) -> str:
    from esgledger.auth.links import verify_link

    return verify_link(KEY.encode(), token, "materiality.survey", datetime.now(UTC)).id
