"""`xuedai demo-data` (issue 2 §7): the generated province obeys the rules it is meant to show off."""

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from stdnum.cn import ric

from xuedai.borrowers.models import Borrower, CoBorrower, EducationLevel, EmergencyContact
from xuedai.demo.contracts import UNSIGNED, state_codes
from xuedai.demo.logins import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DEMO_STAFF,
    DEMO_STUDENT_ID_NUMBER,
    print_demo_logins,
)
from xuedai.demo.places import COUNTIES
from xuedai.identity.idnumbers import birth_date_of, gender_of, make_id_number
from xuedai.orgs.authn import password_login
from xuedai.orgs.models import Organisation, OrgKind, User
from xuedai.origination.models import Contract, ContractState
from xuedai.policies.params import amount_error, as_core_params
from xuedai.policies.selectors import ContractParams, effective_terms, policy_for

BUSINESS_DATE = dt.date(2026, 11, 20)
# Before the contract is signed: the online application, and the campus steps up to the 合格名册.
UNSIGNED_STATES = {state_codes()[i] for i in UNSIGNED}
N = 200


def id_code(county_code: str, birth: dt.date) -> str:
    """The division code an ID number issued in the birth year carries (earlier codes for older people)."""
    county = next(c for c in COUNTIES if c.code == county_code)
    return [code for since, code in county.id_codes() if birth.year >= since][-1]


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@pytest.fixture
def demo(db):
    call_command("demo_data", students=N, stdout=StringIO())


def test_every_id_number_is_valid_unique_and_matches_the_person(demo):
    borrowers = list(Borrower.objects.select_related("county"))
    assert len(borrowers) == N
    numbers = [b.id_number for b in borrowers]
    co_numbers = list(CoBorrower.objects.values_list("id_number", flat=True))
    assert all(ric.is_valid(n) for n in numbers + co_numbers)
    assert len(set(numbers + co_numbers)) == len(numbers) + len(co_numbers)
    for b in borrowers:
        assert gender_of(b.id_number) == b.gender
        assert birth_date_of(b.id_number) == b.birth_date
        assert b.household_region_code == b.county.region_code
        assert b.id_number[:6] == id_code(b.household_region_code, b.birth_date)
        assert b.county.kind == OrgKind.COUNTY_CENTRE
        assert b.department.parent_id == b.university_id
        # Entry at 16–26 (undergraduates about 18, masters about 22).
        assert 16 <= b.enrolled_year - b.birth_date.year <= 26
        assert b.graduation_date.year == b.enrolled_year + b.study_years


def test_each_borrower_has_a_co_borrower_of_its_county_aged_25_to_60_at_every_signing(demo):
    co_by_borrower = {c.borrower_id: c for c in CoBorrower.objects.all()}
    assert CoBorrower.objects.count() == N == EmergencyContact.objects.count()
    borrowers = {b.pk: b for b in Borrower.objects.all()}
    assert set(co_by_borrower) == set(borrowers)
    for pk, co in co_by_borrower.items():
        assert co.household_region_code == borrowers[pk].household_region_code
        assert co.id_number[:6] == id_code(co.household_region_code, co.birth_date)
        expected = {"father": "M", "mother": "F"}.get(co.relation)
        assert expected is None or gender_of(co.id_number) == expected
    for contract in Contract.objects.all():
        co = co_by_borrower[contract.borrower_id]
        signed = contract.signed_on or contract.applied_on
        assert 25 <= age_on(co.birth_date, signed) <= 60, (contract.contract_no, co.birth_date, signed)
        if contract.co_borrower_id is not None:
            assert contract.co_borrower_id == co.pk


def test_mobiles_are_unique_across_everyone(demo):
    mobiles = (list(Borrower.objects.values_list("mobile", flat=True))
               + list(CoBorrower.objects.values_list("mobile", flat=True))
               + list(EmergencyContact.objects.values_list("mobile", flat=True)))
    assert len(mobiles) == len(set(mobiles)) == 3 * N
    assert all(len(m) == 11 and m[0] == "1" and m[1] in "3456789" for m in mobiles)


def test_contracts_exist_in_every_state(demo):
    states = set(Contract.objects.values_list("state", flat=True))
    # What the issue lists, and every state the generator draws (issue 4's steps on this schema).
    assert {"applied", "in_review", "approved", "disbursed", "repaying", "overdue", "settled", "declined",
            "withdrawn"} <= states
    assert states == set(state_codes()) and states <= set(ContractState.values)
    years = set(Contract.objects.values_list("academic_year", flat=True))
    assert min(years) <= 2017 and max(years) == 2026
    assert {"home_county", "campus"} <= set(Contract.objects.values_list("product", flat=True))


def test_states_dates_and_balances_agree_with_the_business_date(demo):
    live = {ContractState.DISBURSED, ContractState.REPAYING, ContractState.OVERDUE}
    paid_out = live | {ContractState.SETTLED}
    for c in Contract.objects.select_related("borrower"):
        graduated = c.borrower.graduation_date <= BUSINESS_DATE
        assert c.applied_on.year == c.academic_year
        assert (c.disbursed_on is not None) == (c.state in paid_out)
        if c.disbursed_on:
            assert c.disbursed_on <= BUSINESS_DATE and c.disbursed_on.month == 11
            assert c.disbursed_on.year == c.academic_year
        if c.signed_on:
            assert c.applied_on <= c.signed_on <= BUSINESS_DATE
        else:  # a campus application with the bank is not signed either
            assert c.state in UNSIGNED_STATES or (c.product == "campus" and c.state == "in_review")
        if c.receipted_on:
            assert c.product == "home_county" and c.signed_on <= c.receipted_on <= BUSINESS_DATE
            assert c.disbursed_on is None or c.receipted_on < c.disbursed_on
        assert c.is_renewal == c.borrower.contracts.filter(academic_year__lt=c.academic_year).exists()
        if c.state in {ContractState.REPAYING, ContractState.OVERDUE, ContractState.SETTLED}:
            assert graduated
        if c.state in UNSIGNED_STATES | {"signed", "receipted", "in_review", "returned", "approved"}:
            assert c.academic_year == 2026
        if c.state == ContractState.DISBURSED:
            assert not graduated
        if c.state in live:
            assert 0 < c.outstanding_principal <= c.amount
        else:
            assert c.outstanding_principal == 0
        assert (c.overdue_since is not None) == (c.state == ContractState.OVERDUE)
        if c.overdue_since:
            assert c.borrower.graduation_date < c.overdue_since < BUSINESS_DATE
            assert (c.overdue_since.month, c.overdue_since.day) in {(12, 20), (12, 21)}
        assert c.self_pay_from == dt.date(c.borrower.graduation_date.year, 9, 1)
        assert c.maturity_date.year == c.academic_year + c.term_years
        assert c.maturity_date > c.borrower.graduation_date


def test_amounts_rates_and_versions_follow_the_policy_in_force(demo):
    for c in Contract.objects.select_related("borrower", "policy_version"):
        signed = c.signed_on or c.applied_on
        assert c.policy_version == policy_for(c.product, "510722", signed)
        graduate = c.borrower.education_level in EducationLevel.graduate_levels()
        params = as_core_params(c.policy_version)
        assert amount_error(params, c.amount, graduate=graduate) is None, (c.contract_no, c.amount)
        assert c.amount % 100 == 0 and c.amount >= 1000
        assert c.tuition > 0 and c.tuition + c.accommodation <= c.amount
        rate = effective_terms(ContractParams(product=c.product, region_code="510722", signed_on=signed,
                                              version=c.policy_version), signed).annual_rate
        assert c.annual_rate == rate
        if c.product == "campus":
            assert c.county_id is None and c.co_borrower_id is None
        else:
            assert c.county_id == c.borrower.county_id and c.co_borrower_id is not None


def test_demo_users_have_their_roles_totp_and_the_demo_password(demo):
    for staff in DEMO_STAFF:
        user = User.objects.get(username=staff.username)
        assert set(user.role_codes) == set(staff.roles)
        assert user.totp_secret and user.totp_confirmed_at
        assert authenticate(username=staff.username, password=DEMO_PASSWORD) == user
        assert authenticate(username=staff.username, password="wrong-password-1") is None
    assert User.objects.get(username="county_op").organisation.name == "三台县学生资助管理中心"
    assert User.objects.get(username="dept_staff").organisation.kind == OrgKind.DEPARTMENT
    student = Borrower.objects.get(id_number=DEMO_STUDENT_ID_NUMBER)
    assert student.user is not None and student.user.is_student
    # Students log in with their 身份证号 (orgs.authn resolves it to the account).
    assert password_login(identifier=DEMO_STUDENT_ID_NUMBER, password=DEMO_PASSWORD).user == student.user
    assert not student.user.needs_second_factor
    assert student.contracts.filter(academic_year=2026, state=ContractState.IN_REVIEW).exists()


def test_the_tree_is_a_province(demo):
    kinds = Counter(Organisation.objects.values_list("kind", flat=True))
    assert kinds[OrgKind.BANK_HEAD] == 1 and kinds[OrgKind.BANK_BRANCH] == 1
    assert kinds[OrgKind.PROVINCE_CENTRE] == 1 and kinds[OrgKind.AGENT_BANK] == 2
    assert kinds[OrgKind.COUNTY_CENTRE] >= 10 and kinds[OrgKind.UNIVERSITY] >= 5
    for org in Organisation.objects.select_related("parent"):
        if org.parent:
            assert org.path == f"{org.parent.path}{org.pk}/" and org.depth == org.parent.depth + 1
    for uni in Organisation.objects.filter(kind=OrgKind.UNIVERSITY):
        assert 4 <= uni.children.filter(kind=OrgKind.DEPARTMENT).count() <= 8
    served = Organisation.objects.filter(kind=OrgKind.COUNTY_CENTRE, agent_bank__isnull=False)
    assert 0 < served.count() < kinds[OrgKind.COUNTY_CENTRE]


def test_rerun_refuses_without_reset_and_reset_rebuilds_the_same_province(demo):
    before = sorted(Borrower.objects.values_list("id_number", "name", "mobile"))
    contracts = Contract.objects.count()
    with pytest.raises(CommandError, match="--reset"):
        call_command("demo_data", students=N, stdout=StringIO())
    assert Borrower.objects.count() == N
    call_command("demo_data", students=N, reset=True, stdout=StringIO())
    assert sorted(Borrower.objects.values_list("id_number", "name", "mobile")) == before
    assert Contract.objects.count() == contracts
    assert User.objects.filter(username="county_op").count() == 1


def test_print_demo_logins_lists_every_account_the_password_and_totp():
    out = StringIO()
    print_demo_logins(out)
    text = out.getvalue()
    assert DEMO_PASSWORD in text and "xuedai totp" in text
    for _, username, _ in DEMO_LOGINS:
        assert username in text


@pytest.mark.postgres_only
def test_copy_path_on_postgresql(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("COPY needs PostgreSQL")

    def secondary():
        with connection.cursor() as cursor:
            cursor.execute("SELECT tablename, indexname FROM pg_indexes WHERE tablename IN "
                           "('borrowers_borrower', 'borrowers_coborrower', 'origination_contract')")
            indexes = set(cursor.fetchall())
            cursor.execute("SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE conrelid IN "
                           "('borrowers_borrower'::regclass, 'origination_contract'::regclass)")
            return indexes | set(cursor.fetchall())

    schema = secondary()
    call_command("demo_data", students=2000, chunk=700, stdout=StringIO())
    assert secondary() == schema  # every index and constraint dropped for the load is back
    assert Borrower.objects.count() == CoBorrower.objects.count() == EmergencyContact.objects.count() == 2000
    assert 2000 < Contract.objects.count() < 2000 * 5
    assert all(ric.is_valid(n) for n in Borrower.objects.values_list("id_number", flat=True))
    assert set(Contract.objects.values_list("state", flat=True)) == set(state_codes())
    # The sequences moved past the explicit ids: an ordinary insert works.
    top = Borrower.objects.order_by("-pk").first()
    extra = Borrower.objects.create(name="测试", id_number=make_id_number("510722", dt.date(2000, 1, 1), 1),
                                    gender="M",
                                    birth_date=dt.date(2000, 1, 1), mobile="13000000000",
                                    household_region_code="510722", address="-", enrolled_year=2020,
                                    graduation_date=dt.date(2024, 6, 30))
    assert extra.pk > top.pk


def test_reset_also_wipes_a_ledger_that_refuses_row_deletes(demo):
    from xuedai.loans.models import Posting
    from xuedai.loans.services import contract_disburse
    from xuedai.origination.models import ContractState

    demo_postings = Posting.objects.count()
    contract = Contract.objects.filter(state=ContractState.APPROVED).first()
    contract_disburse(actor=None, contract=contract)
    assert Posting.objects.count() > demo_postings
    call_command("demo_data", students=N, reset=True, stdout=StringIO())
    assert Posting.objects.count() == demo_postings  # the same seed's ledger, nothing left over
    assert Borrower.objects.count() == N
