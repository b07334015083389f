"""Status changes and plan changes (issue 5 §3, §4): each engine consequence of DOMAIN.md §4,
maker ≠ checker, the 专升本 deadline, validate_plan's errors naming the instalment."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from xuedai.calculator.contract_request import quote_request_for_contract
from xuedai.orgs.models import Role
from xuedai.origination.models import ContractState
from xuedai.postloan.models import PlanChangeKind as P
from xuedai.postloan.models import StatusChangeKind as S
from xuedai.postloan.services.plan_changes import parse_instalments, plan_change_apply, plan_change_decide
from xuedai.postloan.services.status_changes import status_change_decide, status_change_record

from .conftest import make_contract
from .ledger_world import disbursed

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(world):
    return factories.make_user(world.county, Role.SUPERVISOR, username="county_sup")


def _confirm(world, supervisor, contract, kind, handled_on=dt.date(2026, 3, 17), **kw):
    change = status_change_record(actor=world.officer, contract=contract, kind=kind,
                                  handled_on=handled_on, **kw)
    with pytest.raises(PermissionDenied):
        status_change_decide(actor=world.officer, change=change, approve=True)
    change = status_change_decide(actor=supervisor, change=change, approve=True)
    contract.refresh_from_db()
    return change


def test_dropout_self_pays_from_next_month_and_stops_undisbursed(world, supervisor):
    borrower = world.graduate(year=2028)
    contract = borrower.contracts.get()
    contract.self_pay_from = dt.date(2028, 9, 1)
    contract.save()
    pending = make_contract(borrower, academic_year=2026, state=ContractState.APPROVED, disbursed_on=None)
    change = _confirm(world, supervisor, contract, S.DROPOUT)
    assert change.self_pay_from == contract.self_pay_from == dt.date(2026, 4, 1)
    pending.refresh_from_db()
    assert pending.state == ContractState.STOPPED and pending.contract_no in change.stopped_contracts


def test_suspension_and_return_restore_the_subsidy(world, supervisor):
    contract = world.graduate(year=2028).contracts.get()
    contract.self_pay_from = dt.date(2028, 9, 1)
    contract.save()
    change = _confirm(world, supervisor, contract, S.SUSPENSION, returned_on=dt.date(2026, 9, 5))
    assert change.self_pay_from == dt.date(2026, 4, 1) and change.subsidy_resumes_on == dt.date(2026, 9, 1)
    assert contract.self_pay_from == dt.date(2028, 9, 1)  # the graduation self-pay start stays


def test_transfer_refused_while_owing(world, supervisor):
    contract = world.graduate().contracts.get()
    with pytest.raises(ValidationError, match="转学须先还清全部贷款"):
        status_change_record(actor=world.officer, contract=contract, kind=S.TRANSFER,
                             handled_on=dt.date(2026, 3, 1))


def test_graduate_going_abroad_is_accelerated(world, supervisor):
    contract, _ = disbursed(world)
    change = _confirm(world, supervisor, contract, S.ABROAD, handled_on=dt.date(2026, 11, 20),
                      after_graduation=True)
    assert change.accelerated_to == contract.maturity_date == dt.date(2026, 12, 20)
    request = quote_request_for_contract(contract, dt.date(2026, 12, 21))
    assert request["maturity"] == "2026-12-20"  # all principal falls due then (engine: maturity)


def test_death_is_flagged_loss(world, supervisor):
    contract = world.graduate().contracts.get()
    change = _confirm(world, supervisor, contract, S.DEATH)
    assert change.loss_flag


def test_plan_change_validated_and_approved(world):
    contract, _ = disbursed(world, settle_to=2022, self_pay_from=dt.date(2027, 9, 1))
    student = contract.borrower.user
    today = dt.date(2026, 11, 20)
    bad = parse_instalments([("2027-12-20", "3000"), ("2028-12-21", "3000")])
    with pytest.raises(ValidationError, match="第 2 期（2028-12-21）不是结息日"):
        plan_change_apply(actor=student, contract=contract, kind=P.PLAN, on=today, instalments=bad)
    short = parse_instalments([("2027-12-20", "3000"), ("2028-12-20", "2000")])
    with pytest.raises(ValidationError, match=r"与本金 6000\.00 元不符"):
        plan_change_apply(actor=student, contract=contract, kind=P.PLAN, on=today, instalments=short)
    good = parse_instalments([("2027-12-20", "2000"), ("2030-12-20", "4000")])
    change = plan_change_apply(actor=student, contract=contract, kind=P.PLAN, on=today, instalments=good)
    plan_change_decide(actor=world.county_operator, change=change, approve=True)
    request = quote_request_for_contract(contract, today)
    assert request["principal_plan"] == [{"due": "2027-12-20", "amount": "2000"},
                                         {"due": "2030-12-20", "amount": "4000"}]


def _letter():
    return SimpleUploadedFile("录取通知书.jpg", b"\xff\xd8\xff jpeg", content_type="image/jpeg")


def test_study_info_change_deadline_and_new_self_pay(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    contract, _ = disbursed(world, settle_to=2022, self_pay_from=dt.date(2026, 9, 1))
    student = contract.borrower.user
    with pytest.raises(ValidationError, match="须按期偿还已产生的自付利息"):
        plan_change_apply(actor=student, contract=contract, kind=P.STUDY_INFO, on=dt.date(2026, 8, 2),
                          new_graduation=dt.date(2028, 6, 30), admission_letter=_letter())
    with pytest.raises(ValidationError, match="录取通知书"):
        plan_change_apply(actor=student, contract=contract, kind=P.STUDY_INFO, on=dt.date(2026, 7, 20),
                          new_graduation=dt.date(2028, 6, 30))
    change = plan_change_apply(actor=student, contract=contract, kind=P.STUDY_INFO, on=dt.date(2026, 8, 1),
                               new_graduation=dt.date(2028, 6, 30), admission_letter=_letter())
    assert change.new_self_pay_from == dt.date(2028, 9, 1)
    with pytest.raises(PermissionDenied):
        plan_change_decide(actor=student, change=change, approve=True)
    plan_change_decide(actor=world.officer, change=change, approve=True)
    contract.refresh_from_db()
    assert contract.self_pay_from == dt.date(2028, 9, 1)


def test_extension_only_for_old_campus_contracts(world):
    contract, _ = disbursed(world, settle_to=2022)
    with pytest.raises(ValidationError, match="展期只适用于"):
        plan_change_apply(actor=contract.borrower.user, contract=contract, kind=P.EXTENSION,
                          on=dt.date(2026, 7, 1), new_graduation=dt.date(2028, 6, 30),
                          admission_letter=_letter())
    assert Decimal(contract.amount) == Decimal("6000.00")
