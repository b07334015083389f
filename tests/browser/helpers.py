"""Logging in through the real pages, as a person does: password, then the TOTP code for staff."""

import pyotp

from tests import factories

# Console messages of Content-Security-Policy refusals in any watched context (conftest fails the test).
CSP_VIOLATIONS: list[str] = []


def watch_csp(context):
    """Record every CSP refusal chromium reports on the context's pages; returns the context."""
    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            CSP_VIOLATIONS.append(f"{message.location.get('url', '')}: {message.text}")

    context.on("console", on_console)
    return context


def log_in(page, identifier: str, *, password: str = factories.PASSWORD, totp_user=None) -> None:
    """Submit the login form; with `totp_user`, pass the second factor and land past /accounts/."""
    page.goto("/accounts/login/")
    page.fill("input[name=identifier]", identifier)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    if totp_user is not None:
        page.fill("input[name=code]", pyotp.TOTP(totp_user.totp_secret).now())
        with page.expect_navigation():
            page.get_by_role("button", name="验证").click()
        assert "/accounts/" not in page.url, page.locator("main").inner_text()


def staff_page(browser, live_server, user):
    """A fresh browser context logged in as a staff member (several people in one test)."""
    context = watch_csp(browser.new_context(locale="zh-CN", base_url=live_server.url))
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, user.username, totp_user=user if user.totp_secret else None)
    return page
