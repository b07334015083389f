"""The demo's ledger: every contract that paid out has its loan account and postings, built in bulk
from the batch kernels — and they are what the loans services would have written (DOMAIN.md §4):
``xuedai reconcile`` finds no difference, and ``account_take_on`` (the engine, contract by contract)
posts the same history for the same contract."""

from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from tests.demo.test_demo_data import BUSINESS_DATE
from xuedai.loans.models import EarlyRepaymentApplication, EarlyRepaymentStatus, Kind, LoanAccount, Posting
from xuedai.loans.reconcile import reconcile
from xuedai.loans.services import account_take_on, penalty_accrue
from xuedai.origination.models import LIVE_STATES, Contract, ContractState

N = 300
PAID_OUT = {*LIVE_STATES, ContractState.SETTLED}


@pytest.fixture
def demo(db):
    call_command("demo_data", students=N, stdout=StringIO())


def _history(account_id: int) -> Counter:
    """What an account's ledger says happened, memos aside: (day, kind, due day, amount). The
    subsidy the finance department paid (demo.state_money) is the state's, not take-on's."""
    return Counter(Posting.objects.filter(account_id=account_id).exclude(kind=Kind.SUBSIDY_RECEIVED)
                   .values_list("business_date", "kind", "due_on", "amount"))


def test_every_paid_out_contract_has_its_ledger_and_it_reconciles(demo):
    paid_out = Contract.objects.filter(state__in=PAID_OUT)
    assert paid_out.count() > N
    assert set(LoanAccount.objects.values_list("pk", flat=True)) == set(paid_out.values_list("pk", flat=True))
    for account in LoanAccount.objects.select_related("contract")[:400]:
        contract = account.contract
        assert account.principal_outstanding == contract.outstanding_principal
        assert account.oldest_unpaid_due == contract.overdue_since
        disbursed = sum(Posting.objects.filter(account=account, kind__in=[Kind.DISBURSE_UNIVERSITY,
                                                                          Kind.DISBURSE_STUDENT])
                        .values_list("amount", flat=True))
        assert disbursed == contract.amount
    assert list(reconcile(as_of=BUSINESS_DATE)) == []
    # Every state of the servicing side is on the demo: paid on time, overdue, repaid early.
    assert PAID_OUT <= set(paid_out.values_list("state", flat=True))


def test_the_ledger_is_what_account_take_on_writes(demo):
    """The same contract taken on by the scalar service posts the same history; the penalty the
    daily run would accrue on the overdue is the demo's."""
    sample = {c.pk: c for c in Contract.objects.filter(state__in=LIVE_STATES).order_by("?")[:25]}
    sample.update((c.pk, c) for c in Contract.objects.filter(state=ContractState.OVERDUE)[:5])
    for contract in sample.values():
        demo_account = LoanAccount.objects.get(pk=contract.pk)
        twin = Contract.objects.get(pk=contract.pk)
        twin.pk = twin.id = None
        twin.contract_no = f"T{contract.pk:019d}"
        twin.batch, twin.application = None, None
        twin.save()  # a copy without an account, to take on as if it predated the ledger
        account = account_take_on(actor=None, contract=twin, as_of=BUSINESS_DATE)
        assert _history(account.pk) == _history(demo_account.pk), contract.contract_no
        account.refresh_from_db()
        assert account.last_settled_on == demo_account.last_settled_on
        if contract.state == ContractState.OVERDUE:
            assert penalty_accrue(account=account, on=BUSINESS_DATE) == demo_account.penalty_accrued > 0


def test_settled_borrowers_repaid_early_through_an_application(demo):
    settled = LoanAccount.objects.filter(contract__state=ContractState.SETTLED)
    assert settled.exists()
    for account in settled.select_related("contract")[:50]:
        assert account.principal_outstanding == account.interest_due == Decimal(0)
        [early] = EarlyRepaymentApplication.objects.filter(account=account)
        assert early.status == EarlyRepaymentStatus.DONE and early.principal is None
        assert early.deduct_on.day == 20 and early.applied_on < early.deduct_on <= BUSINESS_DATE
        paid = Posting.objects.filter(account=account, business_date=early.deduct_on)
        assert {p.kind for p in paid} >= {Kind.CREDIT_IN, Kind.PAY_PRINCIPAL, Kind.CREDIT_APPLIED}


@pytest.mark.postgres_only  # PostgreSQL's statement trigger
def test_postings_name_existing_accounts_and_the_check_is_back_on(demo):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM loans_posting p WHERE NOT EXISTS ("
                       "SELECT 1 FROM loans_loanaccount a WHERE a.contract_id = p.account_id)")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = 'loans_posting_references'")
        assert cursor.fetchone()[0] == "O"
    assert Posting.objects.exists()
