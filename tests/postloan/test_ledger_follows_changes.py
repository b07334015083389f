"""The ledger replays what post-loan approved (DOMAIN.md §4 Status changes, Principal plan; §6):
the chosen plan, suspensions and a death flag reach loans.terms / classify, and the calculator and
``reconcile`` agree with the ledger."""

import datetime as dt
from decimal import Decimal

import pytest

from tests import factories
from xuedai.calculator.contract_request import quote_request_for_contract
from xuedai.loans import fastpath
from xuedai.loans.models import Kind, Posting
from xuedai.loans.reconcile import account_differences
from xuedai.loans.services import classify, settlement_post
from xuedai.loans.terms import contract_terms
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


def _settle(account, years):
    for year in years:
        settlement_post(actor=None, account=account, on=dt.date(year, 12, 20))
    account.refresh_from_db()


def _posted(account, kind) -> dict[dt.date, Decimal]:
    return dict(Posting.objects.filter(account=account, kind=kind).values_list("due_on", "amount"))


def _confirm(world, supervisor, contract, kind, handled_on, **kw):
    change = status_change_record(actor=world.officer, contract=contract, kind=kind,
                                  handled_on=handled_on, **kw)
    status_change_decide(actor=supervisor, change=change, approve=True)
    contract.refresh_from_db()


def test_chosen_plan_drives_principal_and_matches_the_calculator(world):
    contract, account = disbursed(world, settle_to=2025, self_pay_from=dt.date(2027, 9, 1))
    today = dt.date(2026, 11, 20)
    chosen = parse_instalments([("2027-12-20", "2000"), ("2030-12-20", "4000")])
    change = plan_change_apply(actor=contract.borrower.user, contract=contract, kind=P.PLAN, on=today,
                               instalments=chosen)
    plan_change_decide(actor=world.county_operator, change=change, approve=True)

    terms_plan = [{"due": i.due.isoformat(), "amount": str(i.amount)}
                  for i in contract_terms(contract).principal_plan]
    assert quote_request_for_contract(contract, today)["principal_plan"] == terms_plan

    _settle(account, range(2026, 2031))
    assert _posted(account, Kind.PRINCIPAL) == {dt.date(2027, 12, 20): Decimal("2000.00"),
                                                dt.date(2030, 12, 20): Decimal("4000.00")}
    assert [(i["due"], Decimal(i["amount"])) for i in terms_plan] == [
        (d.isoformat(), a) for d, a in sorted(_posted(account, Kind.PRINCIPAL).items())]
    assert account_differences(account, dt.date(2030, 12, 20)) == []


def test_suspension_is_self_paid_and_the_subsidy_resumes_on_return(world, supervisor):
    contract, account = disbursed(world, settle_to=2025, self_pay_from=dt.date(2028, 9, 1))
    _confirm(world, supervisor, contract, S.SUSPENSION, dt.date(2026, 3, 17), returned_on=dt.date(2026, 9, 5))
    _settle(account, (2026, 2027))
    interest, subsidy = _posted(account, Kind.INTEREST), _posted(account, Kind.SUBSIDY_INTEREST)
    # Borrower pays [1 Apr 2026, 1 Sep 2026): 6000 × 6.55% × 153/360 = 167.025 → 167.03 (§4).
    assert interest == {dt.date(2026, 12, 20): Decimal("167.03")}
    # Back from 1 Sep 2026 the state pays again: the whole 2027 year is 贴息.
    assert subsidy[dt.date(2027, 12, 20)] == Decimal("393.00")
    assert account_differences(account, dt.date(2027, 12, 20)) == []


def test_confirmed_death_classifies_loss(world, supervisor):
    contract, account = disbursed(world, settle_to=2024, self_pay_from=dt.date(2027, 9, 1))
    on = dt.date(2026, 9, 30)
    assert classify(account=account, on=on).grade == "normal"
    _confirm(world, supervisor, contract, S.DEATH, dt.date(2026, 8, 3))
    account.refresh_from_db()
    assert classify(account=account, on=on).grade == "loss"
    fastpath.classify_accounts([account], on, None)
    account.refresh_from_db()
    assert account.grade == "loss"


@pytest.mark.parametrize("kind", [S.DROPOUT, S.EXPULSION, S.ABROAD])
def test_dropout_expulsion_and_going_abroad_recall_the_outstanding_principal(world, supervisor, kind):
    """[003 资金办法 第二十条(2)] 提前收回贷款本息: confirmed on Tue 17 Mar 2026, the contract's
    maturity moves to the next deduction day, 20 Mar 2026, where the engine settles and all
    principal falls due. By hand: 20 Dec 2025 → 20 Mar 2026 is 90 days, before the self-pay start
    (1 Apr 2026), so 贴息 6000 × 6.55 % × 90/360 = 98.25; principal 6000.00 due 20 Mar."""
    contract, account = disbursed(world, settle_to=2025, self_pay_from=dt.date(2028, 9, 1))
    pending = make_contract(contract.borrower, academic_year=2026, state=ContractState.APPROVED,
                            disbursed_on=None)
    _confirm(world, supervisor, contract, kind, dt.date(2026, 3, 17))
    assert contract.maturity_date == dt.date(2026, 3, 20)
    pending.refresh_from_db()
    assert pending.state == ContractState.STOPPED  # the undisbursed contract, through transitions
    settlement_post(actor=None, account=account, on=dt.date(2026, 3, 20))
    account.refresh_from_db()
    assert _posted(account, Kind.SUBSIDY_INTEREST)[dt.date(2026, 3, 20)] == Decimal("98.25")
    assert _posted(account, Kind.PRINCIPAL) == {dt.date(2026, 3, 20): Decimal("6000.00")}
    assert (account.principal_due, account.interest_due) == (Decimal("6000.00"), 0)
    assert account_differences(account, dt.date(2026, 3, 20)) == []


def test_a_confirmed_dropout_cancels_the_living_expenses_not_yet_paid_out(world, supervisor):
    """DOMAIN.md §4 "stop undisbursed amounts": a campus contract disbursed 15 Oct 2025 (fees to the
    university, living expenses on the 10th of Nov–Jul, never Feb/Aug); dropout handled 17 Mar 2026
    after the March payment: April–July never go out, and the ledger agrees with the engine."""
    from xuedai.loans.models import TrancheCancellation
    from xuedai.loans.services import contract_disburse
    from xuedai.loans.services.tranches import tranches_pay_out
    from xuedai.policies.models import PolicyVersion

    contract = make_contract(world.graduate(contracts=0), state=ContractState.APPROVED, disbursed_on=None,
                             academic_year=2025, product="campus", self_pay_from=dt.date(2029, 9, 1),
                             policy_version=PolicyVersion.objects.get(product="campus", region_code="",
                                                                      effective_from=dt.date(2024, 9, 1)))
    account = contract_disburse(actor=None, contract=contract, on=dt.date(2025, 10, 15))
    for day in (dt.date(2025, 11, 10), dt.date(2025, 12, 10), dt.date(2026, 1, 10), dt.date(2026, 3, 10)):
        tranches_pay_out(on=day)
    settlement_post(actor=None, account=account, on=dt.date(2025, 12, 20))
    _confirm(world, supervisor, contract, S.DROPOUT, dt.date(2026, 3, 17))
    cancelled = TrancheCancellation.objects.filter(instalment__contract=contract)
    assert sorted(c.instalment.due_on.month for c in cancelled) == [4, 5, 6, 7]
    assert tranches_pay_out(on=dt.date(2026, 4, 10)) == 0
    from xuedai.loans.models import LoanAccount

    account = LoanAccount.objects.select_related("contract__policy_version").get(pk=account.pk)
    settlement_post(actor=None, account=account, on=dt.date(2026, 3, 20))  # recalled: maturity
    account.refresh_from_db()
    assert account.principal_due == account.principal_outstanding > 0
    assert account_differences(account, dt.date(2026, 3, 20)) == []
