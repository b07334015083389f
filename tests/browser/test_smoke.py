def test_site_answers_and_uses_chinese(page):
    page.goto("/healthz")
    assert page.content().count("ok") >= 1
    page.goto("/")
    # Anonymous visitors are sent to the login page, which is in Chinese.
    assert "/accounts/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "zh-CN"


def test_pages_work_under_the_content_security_policy(page, live_server):
    """Scripts from node_modules and web/static only: htmx, Bootstrap and ECharts still run (the
    province's chart is drawn), and a refusal anywhere fails the test (conftest)."""
    from tests import factories
    from tests.browser.helpers import log_in
    from xuedai.orgs.models import Role

    province = factories.build_province()
    user = factories.make_user(province.centre, Role.SUPERVISOR)
    response = page.goto("/accounts/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    log_in(page, user.username, totp_user=user)
    page.wait_for_selector("#chart-province-states canvas")  # ECharts drew the chart
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.evaluate("typeof window.bootstrap") == "object"
    # A button with data-confirm asks first (web/confirm.js; inline onclick would be refused).
    page.evaluate("""() => {
        const form = document.createElement("form");
        form.action = "/healthz";
        const button = document.createElement("button");
        button.id = "ask"; button.type = "submit"; button.dataset.confirm = "确定？";
        form.appendChild(button); document.body.appendChild(form);
    }""")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("#ask")
    assert asked == ["确定？"] and "/healthz" not in page.url
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("#ask")
    assert "/healthz" in page.url
