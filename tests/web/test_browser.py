"""The web application in a real browser: Debian's Chromium, driven by Playwright.

A uvicorn server runs the application on the demo ledger in a background thread. A
reporter submits a changed value, a group manager approves it, the dashboard changes,
and the language switch shows Chinese. With ESGLEDGER_SCREENSHOTS=1 the tests also save
the screenshots of docs/img/ (a normal run leaves the work tree alone).

Without a chromium binary the module is skipped, unless ESGLEDGER_REQUIRE_BROWSER=1 (CI),
where a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from esgledger.demo.generate import factor_file
from esgledger.settings import Settings
from esgledger.web.app import create_app
from tests.conftest import SharedDemo

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "img"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ELECTRICITY = 'input[name="v.energy.purchased_electricity"]'
# Assertions wait as long as actions (new_page): with the suite on every core, a page can
# take more than Playwright's default 5 s to draw.
expect.set_options(timeout=30_000)
SMELT_SCOPE2 = '[data-cell="SMELT|2024|ghg.scope2"]'


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        reason = "no chromium binary (install Debian's package: apt-get install chromium)"
        if os.environ.get("ESGLEDGER_REQUIRE_BROWSER") == "1":
            pytest.fail(f"ESGLEDGER_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    return path


def bound_socket() -> socket.socket:
    """A socket on a local port the kernel chose, held until the server takes it over.

    Probing for a free port and binding it later would let another test, or another
    pytest-xdist worker, take the port in between.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    return listener


@pytest.fixture(scope="module")
def server(
    chromium: str, tmp_path_factory: pytest.TempPathFactory, demo_ledger: SharedDemo
) -> Iterator[str]:
    """The application on a copy of the demo ledger, served by uvicorn on a free local port."""
    url = demo_ledger.copy_to(tmp_path_factory.mktemp("browser"))
    yield from serve(Settings(db=url, secure_cookies=False, factor_files=[str(factor_file())]))


def serve(settings: Settings) -> Iterator[str]:
    """The application with ``settings``, served by uvicorn on a free local port until closed."""
    listener = bound_socket()
    uvi = uvicorn.Server(uvicorn.Config(app=create_app(settings), log_level="warning"))
    thread = threading.Thread(target=uvi.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{listener.getsockname()[1]}"
    _wait_until_it_answers(f"{base}/login")
    yield base
    uvi.should_exit = True
    thread.join(timeout=10)
    listener.close()


def _wait_until_it_answers(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"the test server at {url} did not answer within {seconds} s")


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


CSP_VIOLATIONS: list[str] = []


@pytest.fixture(autouse=True)
def no_csp_violations() -> Iterator[None]:
    """Chromium reports what the Content-Security-Policy blocked on its console: nothing may be."""
    CSP_VIOLATIONS.clear()
    yield
    assert CSP_VIOLATIONS == []


def new_page(browser: Browser) -> Page:
    """A page in a browser context of its own (its own cookies), 1280×800, in English."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.on("console", _note_csp_violation)
    return page


def _note_csp_violation(message: ConsoleMessage) -> None:
    if "Content Security Policy" in message.text:
        CSP_VIOLATIONS.append(message.text)


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', f"demo-{username}-pass")
    page.click('button[type="submit"]')
    expect(page.locator(".who")).to_contain_text(username)


def shot(page: Page, name: str, *, full_page: bool = False) -> None:
    """Save docs/img/NAME.png when ESGLEDGER_SCREENSHOTS=1."""
    if os.environ.get("ESGLEDGER_SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def test_a_submitted_and_approved_value_reaches_the_dashboard(server: str, browser: Browser):
    manager = new_page(browser)
    manager.goto(f"{server}/login")
    shot(manager, "web-login")
    log_in(manager, server, "manager")
    before = manager.locator(SMELT_SCOPE2).inner_text()

    reporter = new_page(browser)
    log_in(reporter, server, "smelter")
    reporter.goto(f"{server}/entry/SMELT/2024-12")
    row = reporter.locator('tr[data-indicator="energy.purchased_electricity"]')
    expect(row.locator(".yoy-warning")).to_be_hidden()
    reporter.fill(ELECTRICITY, "3890")
    expect(row.locator(".yoy-warning")).to_be_visible()  # the page's live check
    expect(row.locator(".yoy-warning")).to_contain_text("against last year")
    row.locator('input[name^="c."]').fill("new rolling mill commissioned in December")
    shot(reporter, "web-entry")
    reporter.click('button[value="submit"]')
    expect(reporter.locator(".notice-ok")).to_contain_text("Submitted for review")
    expect(reporter.locator('[data-test="yoy-summary"]')).to_be_visible()
    reporter.click('[data-test="logout"]')
    expect(reporter).to_have_url(re.compile(r"/login$"))

    manager.goto(f"{server}/review")
    manager.click('a[href="/review/SMELT/2024"]')
    expect(manager.locator('[data-test="review-values"]')).to_contain_text("3,890")
    manager.fill('textarea[name="reason"]', "Checked against the December meter readings.")
    shot(manager, "web-review")
    manager.click('button[value="approve"]')
    expect(manager.locator(".notice-ok")).to_contain_text("Approved 1 value(s)")

    manager.goto(f"{server}/")
    after = manager.locator(SMELT_SCOPE2).inner_text()
    assert after != before, "the approved value should change SMELT's 2024 Scope 2"
    chart = manager.locator("figure.chart svg").first.bounding_box()
    assert chart["width"] > 200 and chart["height"] > 100  # sized by the stylesheet alone
    shot(manager, "web-dashboard", full_page=True)

    manager.click('a[lang="zh-CN"]')
    expect(manager.locator("h1")).to_have_text("总览")
    expect(manager.locator("#emissions")).to_contain_text("范围一")
    shot(manager, "web-dashboard-zh")


def test_the_ledger_pages_in_the_browser(server: str, browser: Browser):
    auditor = new_page(browser)
    log_in(auditor, server, "auditor")
    auditor.goto(f"{server}/observations/SMELT/2024-12/energy.purchased_electricity")
    expect(auditor.locator('[data-test="history"]')).to_contain_text("demo-reporter")
    shot(auditor, "web-history")
    auditor.goto(f"{server}/explain?indicator=ghg.scope2&code=SMELT&period=2024")
    expect(auditor.locator('[data-test="explain-tree"]')).to_contain_text("grid.electricity")
    shot(auditor, "web-explain")
    auditor.goto(f"{server}/completeness?year=2024")
    expect(auditor.locator('[data-test="completeness"]')).to_contain_text("SMELT")
    share = auditor.locator(".bar rect.status-approved").first.bounding_box()
    assert share["width"] > 5 and share["height"] > 5
    shot(auditor, "web-completeness")
    auditor.goto(f"{server}/audit")
    expect(auditor.locator('[data-test="chain-unchecked"]')).to_be_visible()
    auditor.locator('[data-test="verify-now"]').click()
    expect(auditor.locator('[data-test="chain-ok"]')).to_be_visible()
    shot(auditor, "web-audit")
    auditor.goto(f"{server}/entry/SMELT/2024-12")
    expect(auditor.locator(ELECTRICITY)).to_be_disabled()


def test_the_api_docs_render_their_operations_with_no_network(server: str, browser: Browser):
    """Every request to another host is refused, as on an offline or closed network.

    ReDoc's own "powered by" logo is an image on cdn.redoc.ly that it has no option to
    leave out; refused, it is an empty corner. Any other request elsewhere fails the test.
    """
    page = new_page(browser)
    elsewhere: list[str] = []

    def only_this_server(route, request) -> None:
        if request.url.startswith(server):
            route.continue_()
            return
        if request.resource_type != "image" or "redoc.ly" not in request.url:
            elsewhere.append(f"{request.resource_type} {request.url}")
        route.abort()

    page.context.route("**/*", only_this_server)
    page.goto(f"{server}/docs")
    expect(page.locator(".opblock").first).to_be_visible()  # Swagger UI drew the operations
    assert page.locator(".opblock").count() > 10
    page.goto(f"{server}/redoc")
    expect(page.locator("[data-section-id]").first).to_be_attached()  # ReDoc drew them too
    assert elsewhere == [], elsewhere
    # the policy lets both libraries run and refuses only ReDoc's logo from elsewhere,
    # which the autouse check of this module would otherwise count
    CSP_VIOLATIONS[:] = [v for v in CSP_VIOLATIONS if "cdn.redoc.ly/redoc/logo" not in v]
