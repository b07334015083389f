"""The settlement's binary-COPY read of the accounts gives the ORM GROUP BY's figures, to the fen."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection

from tests.funds.conftest import settle_year
from xuedai.funds.services.positions import positions_copy
from xuedai.funds.services.settlement import fund_positions, fund_positions_orm
from xuedai.loans.services import repayment_post

pytestmark = pytest.mark.postgres_only


@pytest.mark.skipif(connection.vendor != "postgresql", reason="binary COPY is PostgreSQL's")
def test_the_copy_read_equals_the_group_by(pair, province):
    _contracts, accounts = pair
    settle_year(accounts, 2018)
    settle_year(accounts, 2019)
    repayment_post(actor=None, account=accounts[1], on=dt.date(2019, 12, 20), amount=D("1603.58"))
    on = dt.date(2020, 12, 20)
    copied, grouped = positions_copy(on), fund_positions_orm(on)
    assert copied == grouped
    (fund,) = copied.values()
    assert (fund["n"], fund["loans"], fund["defaulted"]) == (2, D("12000.00"), D("1603.58"))
    assert fund["started"] == 1
    assert fund_positions(on) == copied
