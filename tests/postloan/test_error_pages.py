"""A student who reaches a 404 or 403 — another student's contract, an early repayment of a
contract without an account, the county's pages — reads what happened in Chinese, in the site's
layout (web/templates/403.html, 404.html)."""

import pytest
from django.urls import reverse

from tests.postloan.ledger_world import disbursed
from tests.web.helpers import login

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    """The site's own Chinese error page in its layout (web/templates/40x.html), not Django's."""
    html = response.content.decode()
    assert "Not Found" not in html and "Forbidden" not in html
    assert '<html lang="zh-CN">' in html and 'id="error-page"' in html and 'class="navbar' in html
    return html


def test_another_students_contract_and_its_early_repayment_are_chinese_404s(world, client):
    mine, _ = disbursed(world)
    theirs, _ = disbursed(world)
    login(client, mine.borrower.user)
    page = client.get(reverse("postloan:my_contract", args=[theirs.pk]))
    assert page.status_code == 404 and "未找到" in _page(page)
    post = client.post(reverse("postloan:my_early_repayment", args=[theirs.pk]), {"principal": "100"})
    assert post.status_code == 404 and "未找到" in _page(post)
    # A live contract the ledger has no account for.
    bare = world.graduate(contracts=1)
    login(client, bare.user)
    post = client.post(reverse("postloan:my_early_repayment", args=[bare.contracts.get().pk]), {})
    assert post.status_code == 404 and "未找到" in _page(post)


def test_a_page_outside_the_role_is_a_chinese_403(world, client):
    login(client, world.graduate().user)  # a student opening the county's worklist
    response = client.get(reverse("origination:county"))
    assert response.status_code == 403
    assert "无权访问此页面" in _page(response)
