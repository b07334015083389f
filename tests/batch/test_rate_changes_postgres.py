"""On PostgreSQL the settlement kernel and the deduction run's penalty kernel honour the loans rate
schedule: a portfolio with real ledgers (take-on), a third repriced inside the period (one or two
changes), settled by the kernel and then penalised to the deduction day — the ledger reconciles
with the engine (which replays the same RateChange rows) with 0 differences (issue 12 items 1, 7)."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection

from xuedai.batch import exact, portfolio
from xuedai.batch.deduct_io import accrued_penalties
from xuedai.batch.runs import loans_settlement
from xuedai.loans.batches import settle_leftovers
from xuedai.loans.models import LoanAccount, RateChange
from xuedai.loans.reconcile import reconcile
from xuedai.loans.services import account_take_on, penalty_accrue
from xuedai.loans.services.misuse import misuse_flag
from xuedai.origination.models import Contract

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_kernel_settlement_and_penalty_with_rate_changes_reconcile_with_the_engine():
    if connection.vendor != "postgresql":
        pytest.skip("the kernels need PostgreSQL")
    connection.ensure_connection()
    portfolio.build(connection.connection, 60, chunk=100, ledger=False)
    contracts = list(Contract.objects.select_related("policy_version").order_by("pk"))
    for contract in contracts:
        account_take_on(actor=None, contract=contract, as_of=dt.date(2026, 11, 30))
    repriced = [
        c
        for c in contracts
        if c.pk % 3 == 0 and c.maturity_date > dt.date(2026, 7, 1) and c.disbursed_on < dt.date(2026, 1, 1)
    ]
    for contract in repriced:
        RateChange.objects.create(
            contract=contract,
            effective_from=dt.date(2026, 1, 1),
            annual_rate=contract.annual_rate - D("0.0025"),
            reason="lpr",
            rule_version=contract.policy_version,
        )
        if contract.pk % 2 == 0:
            RateChange.objects.create(
                contract=contract,
                effective_from=dt.date(2026, 7, 1),
                annual_rate=contract.annual_rate - D("0.0035"),
                reason="lpr",
                rule_version=contract.policy_version,
            )
    assert len(repriced) >= 10
    timings = loans_settlement(
        portfolio.BENCH_DAY, settle_leftovers=settle_leftovers, chunk=100, connections=1
    )
    assert timings.rows > 0
    differences = list(reconcile(as_of=portfolio.BENCH_DAY))
    assert differences == []

    # The deduction run's penalty kernel on 20 Jan: overdue accounts' penalty at the rate in force
    # equals the scalar service's (the engine's walk).
    on = dt.date(2027, 1, 20)
    # Misuse flagged on 5 Jan for a few overdue accounts: 150 % from that day (issue 12 item 3).
    late = portfolio.BENCH_DAY + dt.timedelta(days=1)
    overdue = list(LoanAccount.objects.filter(oldest_unpaid_due__lt=late)
                   .select_related("contract__policy_version").order_by("pk")[:4])
    for account in overdue:
        misuse_flag(actor=None, account=account, on=dt.date(2027, 1, 5), reason="测试：挪用")
    connection.ensure_connection()
    with connection.connection.transaction():
        ids, accrued, _ = accrued_penalties(connection.connection, exact.day(on))
    assert len(ids) > 0
    overdue_repriced = [i for i in ids if i in {c.pk for c in repriced}]
    assert overdue_repriced  # some repriced accounts are overdue too
    assert {a.pk for a in overdue} & {int(i) for i in ids}  # and some flagged ones
    for account_id, fen in zip(ids, accrued, strict=True):
        account = LoanAccount.objects.select_related("contract__policy_version").get(pk=int(account_id))
        penalty_accrue(account=account, on=on)
        account.refresh_from_db()
        assert exact.fen(account.penalty_accrued) == int(fen), account_id
