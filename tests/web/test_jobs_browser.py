"""A report built from a phone, in Chinese, through the queue: the form sends the browser
to the job's page, whose progress refreshes on its own (static/jobs.js) until the file's
link appears; the server's embedded worker runs the job. No English is left on the way.

Reuses the Chinese walk's server (the demo ledger, its targets and scenarios, uvicorn with
its lifespan, so the embedded worker runs) and its English check.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.web.test_browser import browser, chromium  # noqa: F401
from tests.web.test_walk_in_chinese import Walk, server, walk  # noqa: F401


def test_a_report_built_from_a_phone_shows_its_progress_then_its_file(
    server: str,  # noqa: F811
    walk: Walk,  # noqa: F811
):
    page = walk.page
    walk.visit(server, "/report")
    page.select_option('select[name="year"]', "2024")
    page.select_option('select[name="format"]', "html")
    page.locator('[data-test="report-form"] button[type="submit"]').click()
    expect(page.locator('[data-test="job"]')).to_be_visible()
    walk.check()  # queued or running, as first shown
    files = page.locator('[data-test="job-files"] a')
    expect(files).to_have_count(1, timeout=180_000)  # the page reloaded itself when done
    expect(page.locator("[data-job-status]")).to_have_text("已完成")
    walk.check()
    with page.expect_download() as download:
        files.first.click()
    assert download.value.suggested_filename == "esg-report-2024-zh.html"
    walk.visit(server, "/jobs")
    expect(page.locator('[data-test="jobs"] tbody tr')).to_have_count(1)
    assert walk.english == {}, walk.english
