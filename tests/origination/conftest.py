"""Fixtures for the 生源地 season: the test province, one user per role, borrowers of 三台县, and a
helper that walks a contract to any state through the real services."""

import datetime as dt
from decimal import Decimal

import pytest

from tests import factories
from tests.origination.campus_fixtures import campus, campus_walk, quota_policy, student  # noqa: F401
from xuedai.loans.services import batch_disburse
from xuedai.orgs.models import Role
from xuedai.origination import services
from xuedai.origination.models import ContractState


@pytest.fixture
def county(province):
    return province.counties[0]  # 三台县, 510722


@pytest.fixture
def uni(province):
    return province.universities[0]


@pytest.fixture
def people(province, county, uni):
    make = factories.make_user
    return {
        "operator": make(county, Role.OPERATOR),
        "operator2": make(county, Role.OPERATOR),
        "supervisor": make(county, Role.SUPERVISOR),
        "other_operator": make(province.counties[1], Role.OPERATOR),
        "officer": make(uni, Role.UNIVERSITY_OFFICER),
        "other_officer": make(province.universities[1], Role.UNIVERSITY_OFFICER),
        "prov_operator": make(province.centre, Role.OPERATOR),
        "prov_supervisor": make(province.centre, Role.SUPERVISOR),
        "bank": make(province.branch, Role.BANK_REVIEWER),
        "approver": make(province.branch, Role.BANK_APPROVER),
        "student": make(None, Role.STUDENT, with_totp=False),
    }


@pytest.fixture
def make_borrower(county, uni):
    def _make(**kw):
        fields = {"county": county, "university": uni, "enrolled_year": 2025,
                  "graduation_date": dt.date(2029, 6, 30), "study_years": 4}
        fields.update(kw)
        borrower = factories.BorrowerFactory(**fields)
        factories.CoBorrowerFactory(borrower=borrower)
        return borrower
    return _make


@pytest.fixture
def borrower(make_borrower, people):
    b = make_borrower()
    b.user = people["student"]
    b.save(update_fields=["user"])
    return b


def new_item(borrower, amount="8000", **kw):
    return services.NewContract(borrower=borrower, co_borrower=borrower.co_borrowers.first(),
                                amount=Decimal(amount), **kw)


@pytest.fixture
def walk(people):
    """walk(borrower, state) → a contract in that state, made through the services."""
    p = people

    def _walk(borrower, state, *, amount="8000"):
        [c] = services.contracts_create(actor=p["operator"], items=[new_item(borrower, amount)])
        if state == ContractState.APPLIED:
            return c
        c = services.contract_transition(actor=p["supervisor"], contract=c, action="check_approve")
        if state == ContractState.SIGNED:
            return c
        c = services.receipt_record(actor=p["officer"], contract=c, tuition="4500", accommodation="1200")
        if state == ContractState.RECEIPTED:
            return c
        batch = services.batch_submit(actor=p["operator"])
        if state == "summarised":
            return c
        for actor, action in [("supervisor", "county_submit"), ("prov_operator", "province_audit"),
                              ("prov_supervisor", "province_submit")]:
            batch = services.batch_transition(actor=p[actor], batch=batch, action=action)
        c.refresh_from_db()
        if state == ContractState.IN_REVIEW:
            return c
        if state in (ContractState.RETURNED, ContractState.REFUSED):
            action = "bank_return" if state == ContractState.RETURNED else "bank_refuse"
            return services.bank_decide(actor=p["bank"], contract=c, action=action, comment="审查意见")
        # 审查人 reviews, 审批人 approves (maker ≠ checker).
        c = services.bank_decide(actor=p["bank"], contract=c, action="bank_check", comment="审查意见")
        if state == ContractState.BANK_CHECKED:
            return c
        c = services.bank_decide(actor=p["approver"], contract=c, action="bank_approve")
        if state == ContractState.DISBURSED:
            c.batch.refresh_from_db()
            batch_disburse(actor=p["bank"], batch=c.batch)
            c.refresh_from_db()
        return c

    return _walk
