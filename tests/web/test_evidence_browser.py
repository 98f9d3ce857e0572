"""A reporter attaches a PDF to a value in Chromium and downloads it from the history page:
in English on a desktop and in Chinese on a phone, the bytes back exactly as sent."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from esgledger.demo.generate import factor_file
from esgledger.settings import Settings
from tests.evidence.helpers import pdf_bytes, zip_bytes
from tests.web.test_browser import browser, chromium, log_in, serve, shot  # noqa: F401

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
ROW = 'tr[data-indicator="energy.purchased_electricity"]'
CASES = [
    ("en", "en-US", DESKTOP, "electricity-invoice.pdf", "File attached as evidence"),
    ("zh", "zh-CN", PHONE, "十二月电费发票.pdf", "文件已作为证据附上"),
]


@pytest.fixture(scope="module")
def server(chromium, tmp_path_factory, demo_ledger) -> Iterator[str]:  # noqa: F811
    """The demo ledger served with its files folder in the test's own temporary folder."""
    folder = tmp_path_factory.mktemp("evidence-browser")
    url = demo_ledger.copy_to(folder)
    settings = Settings(db=url, secure_cookies=False, factor_files=[str(factor_file())],
                        files_dir=folder / "files")  # fmt: skip
    yield from serve(settings)


@pytest.mark.parametrize("lang,locale,viewport,name,done", CASES, ids=["en-desktop", "zh-phone"])
def test_a_pdf_attached_to_a_value_is_downloaded_from_history(
    server,
    browser: Browser,  # noqa: F811
    tmp_path,
    lang,
    locale,
    viewport,
    name,
    done,
):
    data = pdf_bytes(f"December electricity invoice ({lang})")
    phone = viewport is PHONE
    context = browser.new_context(viewport=viewport, locale=locale, is_mobile=phone,
                                  has_touch=phone, accept_downloads=True)  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(60_000)
    log_in(page, server, "smelter")
    page.goto(f"{server}/entry/SMELT/2024-12")
    row = page.locator(ROW)

    # a ZIP archive renamed .pdf is refused by its content, named, with what to send instead
    row.locator("details.attach summary").click()
    row.locator('input[type="file"]').set_input_files(
        {"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": zip_bytes()}
    )
    row.locator('[data-test="attach"]').click()
    problems = page.locator(".notice-error")
    expect(problems).to_contain_text("invoice.pdf")
    expect(problems).to_contain_text("PDF")

    row = page.locator(ROW)
    row.locator("details.attach summary").click()
    row.locator('input[type="file"]').set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": data}
    )
    row.locator('[data-test="attach"]').click()
    expect(page.locator(".notice-ok")).to_contain_text(done)
    attached = page.locator(ROW).locator('[data-test="evidence-file"]', has_text=name)
    expect(attached).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
    shot(page, f"evidence-entry-{lang}")

    page.goto(f"{server}/observations/SMELT/2024-12/energy.purchased_electricity")
    listed = page.locator('[data-test="evidence-list"] [data-test="evidence-file"]', has_text=name)
    expect(listed).to_be_visible()
    with page.expect_download() as caught:
        listed.click()
    download = caught.value
    assert download.suggested_filename == name
    saved = tmp_path / "downloaded.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == data
    context.close()
