"""Shared set-up for the campus and commercial tests: a university with a department, its staff, the
province office, the bank, and a walk() that takes a campus loan to any state through the services."""

import datetime as dt
from decimal import Decimal

import pytest

from tests import factories
from tests.web.helpers import make_policy_version
from xuedai import businessdate
from xuedai.loans.services import contract_disburse
from xuedai.orgs.models import Role
from xuedai.origination.campus.quota import quota_grant, quota_request
from xuedai.origination.campus.services import campus_act, campus_apply
from xuedai.origination.models import ContractState as C

PAPERS = {
    "id_card_copy": True,
    "student_card_copy": True,
    "parents_commitment": True,
    "poverty_certificate": True,
}
DAY = dt.date(2025, 9, 10)


@pytest.fixture
def campus(province):
    uni = province.universities[0]
    dept = province.departments[uni.pk][0]
    make = factories.make_user
    people = {
        "officer": make(uni, Role.UNIVERSITY_OFFICER),
        "officer2": make(uni, Role.UNIVERSITY_OFFICER),
        "dept": make(dept, Role.DEPARTMENT_STAFF),
        "prov": make(province.centre, Role.OPERATOR),
        "reviewer": make(province.branch, Role.BANK_REVIEWER),
        "approver": make(province.branch, Role.BANK_APPROVER),
        "other_dept": make(province.departments[uni.pk][1], Role.DEPARTMENT_STAFF),
    }
    return {"uni": uni, "dept": dept, "people": people, "province": province}


@pytest.fixture
def quota_policy(db):
    """A Sichuan campus version with the [003] quota rule (15% × 4500), in force for 2025."""
    return make_policy_version(
        product="campus",
        region_code="51",
        effective_from=dt.date(2025, 9, 1),
        name="测试校园地(额度)",
        amount_min=Decimal("0"),
        amount_max_undergraduate=Decimal("6000"),
        amount_max_graduate=Decimal("6000"),
        amount_multiple=Decimal("1"),
        term_rule="study_plus",
        term_min_years=0,
        term_max_years=22,
        term_years_after_study=15,
        co_borrower_required=False,
        co_borrower_same_county=False,
        quota_rule="enrolment_share",
        quota_student_share=Decimal("0.15"),
        quota_amount_per_student=Decimal("4500"),
    )


@pytest.fixture
def student(campus):
    def _make(**kw):
        return factories.BorrowerFactory(
            university=campus["uni"],
            department=campus["dept"],
            enrolled_year=2025,
            graduation_date=dt.date(2029, 6, 30),
            study_years=4,
            **kw,
        )

    return _make


@pytest.fixture
def campus_walk(campus):
    """walk(borrower, state, amount=…) → a campus contract in that state; dates move as needed."""
    p = campus["people"]

    def _walk(borrower, state, *, amount="6000", tuition="4500", accommodation="1200", grant=None):
        with businessdate.business_date(DAY):
            if grant is not None:
                quota = quota_request(actor=p["officer"], enrolled_students=20000, amount=Decimal(grant))
                quota_grant(actor=p["prov"], quota=quota, amount=Decimal(grant))
            c = campus_apply(
                actor=p["officer"],
                borrower=borrower,
                amount=Decimal(amount),
                tuition=Decimal(tuition),
                accommodation=Decimal(accommodation),
                **PAPERS,
            )
            if state == C.APPLIED:
                return c
            c = campus_act(actor=p["dept"], contract=c, action="dept_review")
            if state == C.IN_NOTICE:
                return c
        steps = [
            (dt.date(2025, 9, 16), "officer", "office_review", C.OFFICE_REVIEWED),
            (dt.date(2025, 9, 16), "officer", "office_send", C.OFFICE_SENT),
            (dt.date(2025, 9, 17), "prov", "province_forward", C.IN_REVIEW),
            (dt.date(2025, 9, 18), "reviewer", "bank_check", C.BANK_CHECKED),
            (dt.date(2025, 9, 19), "approver", "bank_approve", C.QUALIFIED),
            (dt.date(2025, 9, 22), "officer", "sign", C.APPROVED),
            (dt.date(2025, 10, 20), "reviewer", "disburse", C.DISBURSED),
        ]
        for day, who, action, reached in steps:
            with businessdate.business_date(day):
                if action == "disburse":  # the ledger pays out and moves the state (loans)
                    contract_disburse(actor=p[who], contract=c)
                    c.refresh_from_db()
                else:
                    c = campus_act(actor=p[who], contract=c, action=action)
            if reached == state:
                return c
        raise AssertionError(state)

    return _walk
