"""Early-repayment clicks a borrower makes: twice, or with an amount that is no amount — always a
Chinese message, never a 500 (DOMAIN.md §4 Early repayment). Fifty at once: tests/harness/races.py."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.web.helpers import login
from xuedai import businessdate
from xuedai.loans.models import EarlyRepaymentApplication

from .ledger_world import disbursed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("principal", ["NaN", "Infinity", "1e100000", "-5", "12.345", "abc"])
def test_an_amount_that_is_no_amount_is_refused_in_chinese(world, client, principal):
    contract, _ = disbursed(world)
    login(client, contract.borrower.user)
    url = reverse("postloan:my_early_repayment", args=[contract.pk])
    with businessdate.business_date(dt.date(2027, 3, 5)):
        response = client.post(url, {"principal": principal}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "提前还本金额" in html or "请输入正确的金额" in html
    assert not EarlyRepaymentApplication.objects.exists()


def test_a_second_click_is_told_the_application_exists(world, client):
    contract, _ = disbursed(world)
    login(client, contract.borrower.user)
    url = reverse("postloan:my_early_repayment", args=[contract.pk])
    with businessdate.business_date(dt.date(2027, 3, 5)):
        client.post(url, {})
        response = client.post(url, {}, follow=True)
    assert "已有 2027-03-20 扣款的提前还款申请，无需重复提交" in response.content.decode()
    assert EarlyRepaymentApplication.objects.count() == 1
