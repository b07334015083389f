def test_site_answers_and_uses_chinese(page):
    page.goto("/healthz")
    assert page.content().count("ok") >= 1
    page.goto("/")
    # Anonymous visitors are sent to the login page, which is in Chinese.
    assert "/accounts/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "zh-CN"
