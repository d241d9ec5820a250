"""Playwright (Python) driving Debian's chromium against the live test server."""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts")
AXE = os.path.join(os.path.dirname(__file__), "vendor", "axe.min.js")


def load_axe(page) -> None:
    """Put axe-core into the page as loaded. Evaluated through the DevTools protocol rather than
    added as a <script> tag, so the site's Content-Security-Policy (no inline script) stays on
    while the tests run: a page that needs an inline script fails its browser test."""
    page.wait_for_load_state()
    with open(AXE, encoding="utf-8") as f:
        page.evaluate(f.read() + "\n;0")


@pytest.fixture(scope="session")
def browser():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"), full_page=True)


def wait_until(page, expression: str, timeout: float = 15.0) -> None:
    """Poll a JavaScript expression until it is true. ``page.wait_for_function`` compiles its
    string inside the page, which the site's CSP (no 'unsafe-eval') refuses; ``page.evaluate``
    goes through the DevTools protocol instead."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(100)
