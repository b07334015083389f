"""Funds fixtures: two published-example contracts (DOMAIN.md §4: 6000 yuan at 5.65 %, disbursed
1 Sep 2018, self-pay from 1 Sep 2019) signed by the same county, so they feed one fund."""

import datetime as dt

import pytest

from tests.loans.conftest import make_contract
from xuedai.loans.services import contract_disburse, settlement_post
from xuedai.orgs.models import Role

DISBURSED = dt.date(2018, 9, 1)


@pytest.fixture
def pair(province):
    contracts = [make_contract(province), make_contract(province)]
    accounts = [contract_disburse(actor=None, contract=c, on=DISBURSED) for c in contracts]
    return contracts, accounts


def settle_year(accounts, year):
    for account in accounts:
        settlement_post(actor=None, account=account, on=dt.date(year, 12, 20))


@pytest.fixture
def province_officer(province, make_user):
    return make_user(province.centre, Role.OPERATOR)


@pytest.fixture
def banker(province, make_user):
    return make_user(province.branch, Role.BANK_APPROVER)
