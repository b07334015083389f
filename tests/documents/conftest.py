"""Contracts for the document tests, built from the shared factories and the seeded policy versions."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from tests.factories import BorrowerFactory, CoBorrowerFactory
from xuedai.origination.models import Contract
from xuedai.policies.models import PolicyVersion

_no = itertools.count(1)


def make_contract(province, *, county=None, university=None, amount="6000.00", tuition="4500.00",
                  accommodation="1200.00", renewal=False, **borrower_kw) -> Contract:
    county = county or province.counties[0]
    university = university or province.universities[0]
    department = province.departments[university.pk][0]
    borrower = BorrowerFactory(county=county, university=university, department=department,
                               major="会计学", student_no=f"2022{next(_no):06d}", **borrower_kw)
    co_borrower = CoBorrowerFactory(borrower=borrower, address=borrower.address, employer="务农")
    policy = PolicyVersion.objects.filter(product="home_county").order_by("effective_from").first()
    contract = Contract(
        contract_no=f"SC{2024}{next(_no):06d}", borrower=borrower, co_borrower=co_borrower,
        product="home_county", academic_year=2024, policy_version=policy, county=county,
        university=university, department=department, amount=Decimal(amount), tuition=Decimal(tuition),
        accommodation=Decimal(accommodation), annual_rate=Decimal("0.0655"), term_years=12,
        applied_on=dt.date(2024, 8, 20), signed_on=dt.date(2024, 8, 22),
        maturity_date=dt.date(2036, 12, 20),
    )
    if hasattr(contract, "is_renewal"):
        contract.is_renewal = renewal
    contract.save()
    return contract


@pytest.fixture
def contract(province):
    return make_contract(province)


@pytest.fixture
def batch(province):
    """A county batch of five, one a renewal, amounts that make the totals easy to check."""
    county = province.counties[0]
    amounts = ["6000.00", "5000.00", "8000.00", "3000.00", "12000.00"]
    return [make_contract(province, county=county, amount=a, tuition="4000.00", accommodation="1000.00",
                          renewal=(i == 1)) for i, a in enumerate(amounts)]
