"""User administration and table downloads in Chromium, on a desktop and on a phone (390 px).

Reuses the demo server and browser of tests/web/test_browser.py (skipped without a
chromium binary, unless ESGLEDGER_REQUIRE_BROWSER=1).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from esgledger.web.table_download import cell_value
from tests.web.test_browser import browser, chromium, log_in, server, shot  # noqa: F401
from tests.web.test_responsive import web_pages

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
SHOWN_CELLS = """(name) => [...document.querySelectorAll(`table[data-table="${name}"] tr`)]
  .map(tr => [...tr.children].map(cell => cell.innerText))"""


def admin_page(chrome: Browser, base: str, size: str, lang: str = "en") -> Page:
    context = chrome.new_context(viewport=SIZES[size], locale="en-US", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    log_in(page, base, "admin")
    page.goto(f"{base}/lang/{lang}?next=/users")
    return page


@pytest.mark.parametrize("size", list(SIZES))
def test_an_administrator_adds_changes_and_deactivates_a_user(
    server: str,  # noqa: F811
    browser: Browser,  # noqa: F811
    size: str,
):
    page = admin_page(browser, server, size)
    name = f"wang.{size}"
    form = page.locator('form[data-test="add-user"]')
    form.locator('input[name="username"]').fill(name)
    form.locator('input[name="display_name"]').fill("Wang Fang")
    form.locator('select[name="role"]').select_option("reporter")
    form.locator('input[name="entities"][value="SMELT"]').check()
    form.locator('input[name="password"]').fill("seven blue kites over baotou")
    form.locator('button[type="submit"]').click()
    expect(page.locator(".notice")).to_contain_text("The user was added")
    row = page.locator(f'tr[data-user="{name}"]')
    expect(row).to_contain_text("Reporter")
    expect(row).to_contain_text("SMELT")
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    shot(page, f"users-{size}")

    row.locator("a").click()
    page.locator('form[data-test="role-form"] select[name="role"]').select_option("auditor")
    page.locator('form[data-test="role-form"] button[type="submit"]').click()
    expect(page.locator(".notice")).to_contain_text("role and entities were saved")
    page.once("dialog", lambda dialog: dialog.accept())  # "Deactivate …?"
    page.locator('form[data-test="active-form"] button[type="submit"]').click()
    expect(page.locator('[data-test="user-state"]')).to_have_text("Deactivated")
    page.goto(f"{server}/users")
    expect(page.locator(f'tr[data-user="{name}"]')).to_contain_text("Auditor")
    page.context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_a_downloaded_table_holds_what_the_table_shows(
    server: str,  # noqa: F811
    browser: Browser,  # noqa: F811
    size: str,
):
    page = admin_page(browser, server, size, lang="zh")
    page.goto(f"{server}/#emissions")
    with page.expect_download() as download:
        page.locator('a[data-download="emissions"]').click()
    assert download.value.suggested_filename.endswith("emissions.xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    in_file = [[v for v in row if v is not None] for row in sheet.iter_rows(values_only=True)]
    shown = page.evaluate(SHOWN_CELLS, "emissions")
    # the header, in Chinese (a phone shows it in capitals, by CSS)
    assert in_file[0][0].lower() == shown[0][0].strip().lower()
    assert "实体" in in_file[0][0]
    assert in_file[2:] == [_as_cells(row) for row in shown[2:]]
    page.context.close()


def _as_cells(row: list[str]) -> list[object]:
    """Shown cell texts as the workbook holds them: figures as numbers, no empty cells."""
    values = [cell_value(" ".join(text.split()), numeric=i > 0) for i, text in enumerate(row)]
    return [v for v in values if v not in (None, "")]


TABLES_WITHOUT_DOWNLOAD = """() => [...document.querySelectorAll('table')]
  .filter(table => !table.dataset.table || !document.querySelector(
    `a[data-download="${CSS.escape(table.dataset.table)}"]`))
  .map(table => table.className)"""
# The audit log's export (filters and all) belongs to the audit page itself.
OWN_EXPORT = {"/audit"}


def test_every_table_of_every_page_has_its_download_link(
    server: str,  # noqa: F811
    browser: Browser,  # noqa: F811
):
    page = admin_page(browser, server, "desktop")
    missing = {}
    for path in web_pages():
        if path in OWN_EXPORT:
            continue
        page.goto(f"{server}{path}")
        if tables := page.evaluate(TABLES_WITHOUT_DOWNLOAD):
            missing[path] = tables
    assert missing == {}
    page.context.close()
