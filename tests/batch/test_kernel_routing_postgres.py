"""On PostgreSQL the portfolio kernels settle and grade whole portfolios; what they do not model must
still come out as the scalar ledger has it: chosen plans and suspensions go to the scalar service,
and a confirmed death grades 损失 (DOMAIN.md §4 status changes, §6)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import F

from xuedai.batch import portfolio
from xuedai.batch.runs import loans_settlement
from xuedai.core.schedule import Instalment
from xuedai.loans.batches import classification_batch
from xuedai.loans.models import GradeRecord, LoanAccount, TermsChangeKind
from xuedai.loans.services import terms_change_record
from xuedai.origination.models import Contract

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

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

    timings = loans_settlement(portfolio.BENCH_DAY, chunk=100, connections=1)
    assert timings.scalar_rows >= 2  # the two changed contracts were left to the scalar service

    quarter_end = dt.date(portfolio.BENCH_DAY.year, 12, 31)
    classification_batch(on=quarter_end)
    assert GradeRecord.objects.get(account_id=dead, as_of=quarter_end).grade == "loss"
    assert LoanAccount.objects.get(pk=dead).grade == "loss"
    # Everyone else keeps the kernel's grade: the override touches the dead borrower only.
    assert GradeRecord.objects.filter(as_of=quarter_end, grade="loss").count() < N
