"""The post-loan test world: 四川大学 with two departments and their responsible staff, the loan
office, a county operator, and graduating borrowers with disbursed 生源地 contracts (business date
2026-11-20 from the test settings)."""

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal

import pytest

from tests import factories
from xuedai.borrowers.models import EmergencyContact
from xuedai.orgs.models import Role
from xuedai.origination.models import Contract, ContractState
from xuedai.policies.models import PolicyVersion

_no = itertools.count(1)


def seed_policy() -> PolicyVersion:
    # The seeded 2012 home-county version: 12-20 settlement, deposit ≥ 10 days before, no grace.
    return PolicyVersion.objects.filter(product="home_county").order_by("effective_from").first()


def make_contract(borrower, *, state=ContractState.REPAYING, amount="6000.00", academic_year=2022,
                  disbursed_on=dt.date(2022, 10, 15), **kw) -> Contract:
    fields = dict(
        contract_no=f"PL{academic_year}{next(_no):06d}", borrower=borrower,
        co_borrower=borrower.co_borrowers.first(), product="home_county", academic_year=academic_year,
        policy_version=seed_policy(), county=borrower.county, university=borrower.university,
        department=borrower.department, amount=Decimal(amount), tuition=Decimal("4000"),
        accommodation=Decimal("1200"), annual_rate=Decimal("0.0655"), term_years=14, state=state,
        applied_on=dt.date(academic_year, 8, 20), signed_on=dt.date(academic_year, 8, 22),
        disbursed_on=disbursed_on, maturity_date=dt.date(2036, 12, 20),
        self_pay_from=dt.date(2026, 9, 1), outstanding_principal=Decimal(amount))
    fields.update(kw)
    return Contract.objects.create(**fields)


@dataclass
class World:
    province: object
    university: object
    other_university: object
    dept_a: object
    dept_b: object
    county: object
    officer: object
    staff_a: object
    staff_b: object
    county_operator: object

    def graduate(self, dept=None, *, year=2026, state=ContractState.REPAYING, student=True, university=None,
                 contracts=1, county=None, **kw):
        """A borrower graduating in `year` with a co-borrower, an emergency contact and contracts."""
        university = university or self.university
        dept = dept if dept is not None else self.dept_a
        borrower = factories.BorrowerFactory(
            county=county or self.county, university=university, department=dept,
            student_no=f"2022{next(_no):05d}", major="会计学", graduation_date=dt.date(year, 6, 30),
            qq="12345678", **kw)
        # Born 1985: stdnum knows 510722 as a birth county from the mid-1980s only.
        factories.CoBorrowerFactory(borrower=borrower, address=borrower.address,
                                    birth_date=dt.date(1985, 5, 1),
                                    household_region_code=borrower.household_region_code)
        EmergencyContact.objects.create(borrower=borrower, name="李叔叔", relation="舅舅",
                                        mobile=f"137{next(_no):08d}")
        for n in range(contracts):
            make_contract(borrower, state=state, academic_year=2022 + n)
        if student:
            user = factories.make_user(None, Role.STUDENT, username=f"stu{borrower.pk}", with_totp=False)
            borrower.user = user
            borrower.save(update_fields=["user"])
        return borrower


@pytest.fixture
def world(province) -> World:
    university, other = province.universities
    dept_a, dept_b = province.departments[university.pk]
    county = province.counties[0]
    officer = factories.make_user(university, Role.UNIVERSITY_OFFICER, username="univ_officer")
    officer.real_name = "王老师"
    officer.save(update_fields=["real_name"])
    staff_a = factories.make_user(dept_a, Role.DEPARTMENT_STAFF, username="staff_a")
    staff_b = factories.make_user(dept_b, Role.DEPARTMENT_STAFF, username="staff_b")
    operator = factories.make_user(county, Role.OPERATOR, username="county_op")
    return World(province, university, other, dept_a, dept_b, county, officer, staff_a, staff_b, operator)
