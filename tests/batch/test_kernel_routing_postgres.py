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


def test_a_sparse_classification_reads_only_what_can_change_and_grades_every_account_as_the_rules_do():
    """The quarter end's classification (sparse, as ``classification_batch`` runs it on PostgreSQL)
    does not read an account cached 正常 with nothing due before the day; every live account still
    ends with the grade the core rules give it, and a record exists exactly where that grade is not
    正常 or differs from the cached one (``batch.classify_io.MAY_CHANGE``)."""
    if connection.vendor != "postgresql":
        pytest.skip("the kernels need PostgreSQL")
    from xuedai.batch.runs import loans_classification
    from xuedai.core.classification import Grade
    from xuedai.core.classification import grade as grade_for
    from xuedai.loans.services.servicing import classification_rule

    connection.ensure_connection()
    portfolio.build(connection.connection, N, chunk=100)
    on = dt.date(2026, 9, 30)
    accounts = list(LoanAccount.objects.select_related("contract__policy_version", "contract__county",
                                                       "contract__university")
                    .filter(opened_on__lte=on, contract__state__in=["disbursed", "repaying", "overdue"]))
    before = {a.pk: a.grade for a in accounts}
    may_change = [a.pk for a in accounts
                  if a.grade != Grade.NORMAL.value or (a.oldest_unpaid_due and a.oldest_unpaid_due < on)]
    expected = {a.pk: grade_for(classification_rule(a.contract, on), a.oldest_unpaid_due, on).value
                for a in accounts}
    assert 0 < len(may_change) < len(accounts) / 2  # the portfolio is mostly 正常 and unchanged

    timings = loans_classification(on, dense=False, chunk=100, connections=1)

    assert timings.rows == len(may_change)
    after = dict(LoanAccount.objects.filter(pk__in=before).values_list("pk", "grade"))
    assert after == expected
    records = set(GradeRecord.objects.filter(as_of=on).values_list("account_id", flat=True))
    assert records == {pk for pk, grade in expected.items() if grade != "normal" or grade != before[pk]}
