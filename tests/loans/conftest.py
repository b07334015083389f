"""Loan fixtures: the published example's contract (DOMAIN.md §4) in a small province."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from tests import factories
from tests.postloan.conftest import world  # noqa: F401 — the post-loan world, for loans.amount_due
from xuedai.origination.models import Contract, ContractState
from xuedai.policies.models import PolicyVersion

_seq = itertools.count(1)


def make_contract(province, *, amount="6000.00", rate="0.05650", disbursed_on=dt.date(2018, 9, 1),
                  self_pay_from=dt.date(2019, 9, 1), maturity=dt.date(2022, 12, 20), county=None,
                  university=None, state=ContractState.APPROVED, borrower=None, tuition="4500.00",
                  accommodation="1200.00", no=None) -> Contract:
    borrower = borrower or factories.BorrowerFactory(graduation_date=dt.date(2019, 6, 30), enrolled_year=2015)
    return Contract.objects.create(
        contract_no=no or f"C{next(_seq):08d}", borrower=borrower, product="home_county",
        academic_year=disbursed_on.year, policy_version=PolicyVersion.objects.order_by("pk").first(),
        county=county or province.counties[0], university=university or province.universities[0],
        amount=Decimal(amount), tuition=Decimal(tuition), accommodation=Decimal(accommodation),
        annual_rate=Decimal(rate), term_years=maturity.year - disbursed_on.year, state=state,
        applied_on=disbursed_on - dt.timedelta(days=60), signed_on=disbursed_on - dt.timedelta(days=30),
        disbursed_on=None, maturity_date=maturity, self_pay_from=self_pay_from,
    )


@pytest.fixture
def contract(province):
    return make_contract(province)
