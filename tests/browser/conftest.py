"""Browser tests drive Debian's chromium (/usr/bin/chromium) through Playwright against live_server."""

import os
import shutil
import tempfile

import pytest

from tests.browser.helpers import CSP_VIOLATIONS, watch_csp

CHROMIUM = os.environ.get("XUEDAI_CHROMIUM", "/usr/bin/chromium")
# The flags this sandbox needs: no GPU, no sandbox as root, and no background calls to Google
# services (the network is closed, and each refused call slows the start).
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _migration_data(migration_data):
    """Every live-server test starts with the shipped policy versions (tests/conftest.py)."""


@pytest.fixture(autouse=True)
def _no_csp_violations():
    """Every browser test fails on a page the Content-Security-Policy broke (a refused script,
    style, image or XHR), whichever context the page ran in (helpers.watch_csp)."""
    CSP_VIOLATIONS.clear()
    yield
    assert CSP_VIOLATIONS == [], CSP_VIOLATIONS


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"chromium not found at {CHROMIUM}: run scripts/setup-system.sh")
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="xuedai-chromium-")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser, live_server):
    context = watch_csp(browser.new_context(locale="zh-CN", base_url=live_server.url))
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A phone-width screen (iPhone-SE-sized) for the student's pages."""
    context = watch_csp(browser.new_context(locale="zh-CN", base_url=live_server.url,
                                            viewport={"width": 375, "height": 740}, is_mobile=True,
                                            has_touch=True))
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
