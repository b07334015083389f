"""Error pages in Chinese, in the site's layout (web.errors): a mistyped address, or a server
error, never shows Django's English "Not Found" / "Server Error"."""

import pytest

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    html = response.content.decode()
    assert "Not Found" not in html and "Forbidden" not in html and "Server Error" not in html
    assert '<html lang="zh-CN">' in html and 'id="error-page"' in html
    return html


def _page(response) -> str:
    html = response.content.decode()
    assert "Not Found" not in html and "Forbidden" not in html and "Server Error" not in html
    assert '<html lang="zh-CN">' in html and 'id="error-page"' in html
    return html


def test_a_mistyped_address_is_a_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in _page(response)


def test_the_500_page_needs_nothing_from_the_request(rf):
    from xuedai.web.errors import server_error

    response = server_error(rf.get("/anything/"))
    assert response.status_code == 500
    assert "系统出错" in _page(response)
