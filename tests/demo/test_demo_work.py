"""Work waiting for every demo login (README): each role's queue has items, through the same scoped
selectors its pages use, and the paperwork is what the services write — timelines that follow the
transition tables and end in the contract's state, maker ≠ checker, batches that add up."""

import itertools
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command

from tests.demo.test_demo_data import BUSINESS_DATE
from xuedai import businessdate
from xuedai.borrowers.models import Borrower
from xuedai.orgs.models import User
from xuedai.origination import rules
from xuedai.origination.models import (
    ApplicationState,
    BatchEvent,
    BatchState,
    Contract,
    ContractEvent,
    ContractState,
    CountyBatch,
)
from xuedai.origination.selectors import application_scope, batch_scope, contract_scope
from xuedai.origination.services import new_contract_refusal
from xuedai.origination.services.transitions import TABLES
from xuedai.postloan.models import Assignment, LostContactFlag

N = 1500
S = ContractState


@pytest.fixture
def demo(db):
    call_command("demo_data", students=N, stdout=StringIO())
    return {u.username: u for u in User.objects.all()}


def _states(user, **filters) -> set[str]:
    return set(contract_scope(user).filter(academic_year=2026, **filters).values_list("state", flat=True))


def test_every_role_has_work_waiting(demo):
    op, sup, op2 = demo["county_op"], demo["county_sup"], demo["county_op2"]
    assert application_scope(op).filter(state=ApplicationState.SUBMITTED, academic_year=2026).exists()
    assert {S.APPLIED, S.SIGNED, S.RECEIPTED, S.IN_REVIEW} <= _states(op, product="home_county")
    assert batch_scope(sup).filter(state=BatchState.SUMMARISED).exists()  # to check and report
    assert S.RETURNED in _states(op2, product="home_county")  # the bank sent some back
    province, bank = demo["province_op"], demo["bank_reviewer"]
    for state in (BatchState.COUNTY_SUBMITTED, BatchState.PROVINCE_AUDITED, BatchState.PROVINCE_SUBMITTED,
                  BatchState.BANK_REVIEWED):
        assert batch_scope(province).filter(state=state, academic_year=2026).exists(), state
    assert contract_scope(bank).filter(state=S.IN_REVIEW, batch__state=BatchState.PROVINCE_SUBMITTED).exists()
    assert contract_scope(bank).filter(state=S.APPROVED, academic_year=2026).exists()  # to pay out
    campus = _states(demo["uni_officer"], product="campus")
    assert {S.APPLIED, S.IN_NOTICE, S.OFFICE_REVIEWED, S.OFFICE_SENT, S.IN_REVIEW, S.BANK_CHECKED,
            S.QUALIFIED, S.APPROVED} <= campus
    assert contract_scope(demo["uni_officer"]).filter(state=S.SIGNED).exists()  # receipts to enter
    staff = demo["dept_staff"]
    assigned = Assignment.objects.filter(staff=staff, ended_on__isnull=True)
    assert assigned.exists()
    assert all(a.borrower.department_id == staff.organisation_id for a in assigned)
    assert LostContactFlag.objects.filter(county=op.organisation, status="open").exists()


def test_timelines_follow_the_transition_tables_and_end_in_the_state(demo):
    events = defaultdict(list)
    for e in ContractEvent.objects.order_by("at", "id"):
        events[e.contract_id].append(e)
    contracts = Contract.objects.filter(academic_year=2026)
    assert events and set(events) == set(contracts.values_list("pk", flat=True))
    for contract in contracts:
        timeline = events[contract.pk]
        assert timeline[0].action == "create" and timeline[-1].to_state == contract.state
        for before, after in itertools.pairwise(timeline):
            assert after.from_state == before.to_state and before.business_date <= after.business_date
            assert after.business_date <= BUSINESS_DATE
        table = TABLES[contract.product]
        for e in timeline:
            assert e.action in table, (contract.product, e.action)  # no move the pages could not make
            row = table[e.action]
            if e.from_state:
                assert e.from_state in row.sources and e.to_state == row.target_of(e.from_state), e.action
        makers = {e.action: e.actor_id for e in timeline}
        checks = [("create", "check_approve"), ("create", "dept_review"), ("bank_check", "bank_approve")]
        for maker, checker in checks:
            if makers.get(maker) and makers.get(checker):
                assert makers[maker] != makers[checker]


def test_batches_add_up_and_record_their_steps(demo):
    for batch in CountyBatch.objects.all():
        contracts = Contract.objects.filter(batch=batch)
        assert batch.contract_count == contracts.count()
        assert batch.total_amount == sum(contracts.values_list("amount", flat=True))
        numbers = sorted(contracts.values_list("archive_no", flat=True))
        assert numbers == list(range(1, batch.contract_count + 1))
        steps = list(BatchEvent.objects.filter(batch=batch).order_by("at").values_list("to_state", flat=True))
        assert steps[-1] == batch.state and steps[0] == BatchState.SUMMARISED
    three = CountyBatch.objects.get(county=demo["county_op"].organisation, academic_year=2026)
    assert three.summarised_by == demo["county_op"]  # so the supervisor, not the maker, reports it
    assert not rules.year_locked(demo["county_op"].organisation, 2026)
    assert rules.year_locked(demo["county_op2"].organisation, 2026)


def test_the_county_operator_may_create_a_contract_from_a_borrower_page(demo):
    op = demo["county_op"]
    with businessdate.business_date(BUSINESS_DATE):
        declined = Borrower.objects.filter(contracts__academic_year=2026, contracts__state=S.DECLINED,
                                           county=op.organisation).first()
        assert new_contract_refusal(op, declined) == ""
        busy = Borrower.objects.filter(contracts__academic_year=2026, contracts__state=S.SIGNED,
                                       county=op.organisation).first()
        assert "已有生源地贷款合同" in new_contract_refusal(op, busy)
        elsewhere = Borrower.objects.exclude(county=op.organisation).first()
        assert "户籍不在" in new_contract_refusal(op, elsewhere)
        assert new_contract_refusal(demo["county_sup"], declined) is None  # not an operator
        locked = Borrower.objects.filter(county=demo["county_op2"].organisation).first()
        assert "已汇总上报" in new_contract_refusal(demo["county_op2"], locked)


def test_a_new_contract_number_has_the_demo_numbers_format_and_follows_them(demo):
    from xuedai.origination.numbering import next_contract_numbers

    county = User.objects.get(username="county_op").organisation
    demo_no = (Contract.objects.filter(county=county, academic_year=2026, product="home_county")
               .order_by("-contract_no").first().contract_no)
    [new] = next_contract_numbers(county, "SY", 2026)
    assert len(new) == len(demo_no) == 20 and new[:12] == demo_no[:12] == f"SY2026{county.region_code}"
    assert int(new[12:]) == int(demo_no[12:]) + 1
