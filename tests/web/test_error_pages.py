"""403, 404 and 500 answer in Chinese, in the site's layout (DEBUG off, as in production)."""

import pytest
from django.test import Client, override_settings
from django.urls import path

from tests.web.helpers import login
from xuedai.orgs.models import Role

pytestmark = pytest.mark.django_db


def test_403_and_404_are_chinese_pages_in_the_layout(client, province, make_user):
    login(client, make_user(province.counties[0], Role.OPERATOR))
    refused = client.get("/audit/")
    assert refused.status_code == 403
    body = refused.content.decode()
    assert "无权访问此页面" in body and 'class="navbar' in body and "Forbidden" not in body
    missing = client.get("/origination/contracts/999999/")
    assert missing.status_code == 404
    body = missing.content.decode()
    assert "未找到" in body and 'class="navbar' in body and "Not Found" not in body


def broken(request):
    raise RuntimeError("出错")


urlpatterns = [path("broken/", broken)]


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_500_is_a_chinese_page():
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "系统出错了" in body and "Server Error" not in body


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url.endswith("web/favicon.svg")
    assert client.get(response.url).status_code == 200
