"""On PostgreSQL the portfolio kernels settle and grade whole portfolios; what they do not model must
still come out as the scalar ledger has it: chosen plans and suspensions go to the scalar service,
and a confirmed death grades 损失 (DOMAIN.md §4 status changes, §6)."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.db.models import F

from xuedai.batch import portfolio
from xuedai.batch.runs import loans_settlement
from xuedai.core.schedule import Instalment
from xuedai.loans.batches import classification_batch, settle_leftovers
from xuedai.loans.models import GradeRecord, LoanAccount, TermsChangeKind
from xuedai.loans.services import terms_change_record
from xuedai.origination.models import Contract

# The portfolio names the shipped policy versions: restored if an earlier test flushed them.
pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("migration_data")]

N = 200


def test_plan_changes_and_suspensions_take_the_scalar_path_and_death_grades_loss():
    if connection.vendor != "postgresql":
        pytest.skip("the kernels need PostgreSQL")
    connection.ensure_connection()
    portfolio.build(connection.connection, N, chunk=100)
    # The plan goes to a contract with no principal charged yet: all of it at maturity.
    untouched = LoanAccount.objects.filter(principal_outstanding=F("contract__amount"), principal_due=0)
    planned = untouched.order_by("pk").values_list("contract_id", flat=True).first()
    suspended, dead = LoanAccount.objects.exclude(pk=planned).order_by("pk").values_list("contract_id",
                                                                                          flat=True)[:2]
    contracts = Contract.objects.in_bulk([planned, suspended, dead])
    # What post-loan records when it approves a plan and confirms a suspension and a death.
    account = LoanAccount.objects.get(pk=planned)
    plan = [Instalment(contracts[planned].maturity_date, account.principal_outstanding)]
    terms_change_record(actor=None, contract=contracts[planned], kind=TermsChangeKind.CHOSEN_PLAN,
                        instalments=plan, source="测试")
    terms_change_record(actor=None, contract=contracts[suspended], kind=TermsChangeKind.SUSPENSION,
                        starts_on=dt.date(2025, 3, 1), ends_on=dt.date(2025, 9, 1), source="测试")
    terms_change_record(actor=None, contract=contracts[dead], kind=TermsChangeKind.DEATH,
                        starts_on=dt.date(2025, 3, 1), source="测试")

    timings = loans_settlement(portfolio.BENCH_DAY, settle_leftovers=settle_leftovers, chunk=100,
                               connections=1)
    assert timings.scalar_rows >= 2  # the two changed contracts were left to the scalar service

    quarter_end = dt.date(portfolio.BENCH_DAY.year, 12, 31)
    classification_batch(on=quarter_end)
    assert GradeRecord.objects.get(account_id=dead, as_of=quarter_end).grade == "loss"
    assert LoanAccount.objects.get(pk=dead).grade == "loss"
    # Everyone else keeps the kernel's grade: the override touches the dead borrower only.
    assert GradeRecord.objects.filter(as_of=quarter_end, grade="loss").count() < N


def test_the_settlement_is_done_only_once_the_kernels_leftovers_are_settled():
    """A run that fails while the scalar service settles the kernel's leftovers is not done; run
    again, it settles them (and only them: the kernel's ranges are in its checkpoint) and is done."""
    if connection.vendor != "postgresql":
        pytest.skip("the kernels need PostgreSQL")
    from xuedai.jobs.models import JobRun, JobStatus
    from xuedai.loans.models import Posting
    from xuedai.loans.services import account_take_on, repayment_post
    from xuedai.origination.models import Contract

    connection.ensure_connection()
    portfolio.build(connection.connection, 40, chunk=100, ledger=False)  # ledgers by the take-on service
    for contract in Contract.objects.select_related("policy_version").order_by("pk"):
        account_take_on(actor=None, contract=contract, as_of=dt.date(2026, 11, 30))
    credit = [a for a in LoanAccount.objects.order_by("pk") if a.principal_due + a.interest_due == 0][:3]
    for account in credit:
        repayment_post(actor=None, account=account, on=portfolio.BENCH_DAY - dt.timedelta(days=1),
                       amount=D("50.00"))

    def dies(ids, job_run):
        raise RuntimeError("进程被终止")

    with pytest.raises(RuntimeError):
        loans_settlement(portfolio.BENCH_DAY, settle_leftovers=dies, chunk=64)
    run = JobRun.objects.get(kind="loans.settlement")
    assert run.status == JobStatus.FAILED and run.checkpoint["phases_done"] == ["kernel"]
    settled = Posting.objects.filter(business_date=portfolio.BENCH_DAY, kind="interest")
    kernel_postings = settled.count()
    assert not settled.filter(account_id__in=[a.pk for a in credit]).exists()

    timings = loans_settlement(portfolio.BENCH_DAY, settle_leftovers=settle_leftovers, chunk=64)
    run.refresh_from_db()
    assert run.status == JobStatus.DONE and timings.scalar_rows == len(credit)
    assert settled.filter(account_id__in=[a.pk for a in credit]).count() == len(credit)
    assert settled.count() == kernel_postings + len(credit)  # the kernel's ranges were not redone
