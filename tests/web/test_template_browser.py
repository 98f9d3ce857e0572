"""A reporter downloads the collection template, uploads it broken and gets the error file:
Chromium through Playwright, in Chinese and English, on a desktop and on a phone.

The downloaded files are opened with openpyxl: the template lists the entity's rows under
headers in the page's language; the error file holds the problems beside the rows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect

from esgledger.ledger.imports.layout import NOTE_MARK
from tests.web.test_browser import browser, chromium, log_in, server, shot  # noqa: F401

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
WORDS = {
    "zh": {"code": "指标代码", "note": "本行问题", "list": "导入错误",
           "button": "下载 2024 年采集模板"},
    "en": {"code": "Indicator code", "note": "Problems in this row", "list": "Import errors",
           "button": "Download the 2024 template"},
}  # fmt: skip
ELECTRICITY = "energy.purchased_electricity"


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_template_broken_upload_and_error_file(
    server: str,  # noqa: F811
    browser: Browser,  # noqa: F811
    tmp_path: Path,
    lang: str,
    size: str,
):
    phone = size == "phone"
    context = browser.new_context(
        viewport=SIZES[size], is_mobile=phone, has_touch=phone, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    log_in(page, server, "smelter")
    page.goto(f"{server}/lang/{lang}?next=/entry/SMELT/2024")
    button = page.locator('[data-test="template-download"]')
    expect(button).to_have_text(WORDS[lang]["button"])
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    with page.expect_download() as started:
        button.click()
    template = tmp_path / "template.xlsx"
    started.value.save_as(template)
    book = load_workbook(template)
    sheet = book["SMELT"]
    assert sheet["A2"].value == WORDS[lang]["code"]
    rows = {sheet[f"A{r}"].value: r for r in range(3, sheet.max_row + 1)}
    assert ELECTRICITY in rows and sheet[f"C{rows[ELECTRICITY]}"].value > 0  # 2023's total
    sheet[f"F{rows[ELECTRICITY]}"] = -5  # what Excel's validation would refuse
    sheet[f"G{rows[ELECTRICITY]}"] = "abc"
    broken = tmp_path / "broken.xlsx"
    book.save(broken)

    page.set_input_files('input[type="file"][name="file"]', str(broken))
    page.locator('form[action$="/upload"] button[type="submit"]').click()
    link = page.locator('[data-test="error-file"]')
    expect(link).to_be_visible()
    shot(page, f"template-error-{lang}-{size}")
    with page.expect_download() as started:
        link.click()
    errors = tmp_path / "errors.xlsx"
    started.value.save_as(errors)
    assert started.value.suggested_filename == "broken-errors.xlsx"
    book = load_workbook(errors)
    assert book.sheetnames[0] == WORDS[lang]["list"]
    sheet = book["SMELT"]
    note = sheet.max_column
    assert sheet.cell(1, note).value == NOTE_MARK
    assert sheet.cell(2, note).value == WORDS[lang]["note"]
    said = sheet.cell(rows[ELECTRICITY], note).value
    assert said.startswith("F: ") and "\nG: " in said
    context.close()
