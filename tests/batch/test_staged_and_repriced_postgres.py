"""On PostgreSQL a random portfolio with rate changes and staged disbursements settles through the
kernel (rate changes vectorised) and the scalar service (staged contracts, which the kernel leaves:
the interest base grows inside the period) and reconciles with the engine fen for fen (issue 12
item 7). Which contracts are repriced or staged, and how, is drawn from a seeded random source."""

import datetime as dt
import random
from decimal import Decimal as D

import pytest
from django.db import connection

from xuedai.batch import portfolio
from xuedai.batch.runs import loans_settlement
from xuedai.loans.batches import settle_leftovers
from xuedai.loans.models import RateChange
from xuedai.loans.reconcile import reconcile
from xuedai.loans.services import account_take_on
from xuedai.loans.services.tranches import planned_days, tranches_pay_out
from xuedai.origination.models import Contract, Instalment, Payee

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("migration_data")]
TAKE_ON = dt.date(2026, 11, 30)


def _stage(contract: Contract, draw: random.Random) -> None:
    """2–4 instalments: fees on the disbursement day, the rest on later days (some still to come
    after the settlement: never paid out in this test, so the engine must not count them)."""
    parts = draw.randint(2, 4)
    days = sorted({contract.disbursed_on + dt.timedelta(days=draw.randint(1, 400)) for _ in range(parts - 1)})
    days = [d for d in days if d < contract.maturity_date]
    shares = [D(draw.randint(1, 9)) for _ in days]
    total = contract.amount
    rest = (total * D("0.4")).quantize(D("0.01"))
    amounts = [(rest * s / sum(shares)).quantize(D("0.01")) for s in shares]
    if amounts:
        amounts[-1] += rest - sum(amounts)
    plan = [(contract.disbursed_on, Payee.UNIVERSITY, total - rest if amounts else total)]
    plan += [(d, Payee.STUDENT, a) for d, a in zip(days, amounts, strict=True) if a > 0]
    Instalment.objects.bulk_create([
        Instalment(contract=contract, sequence=n, due_on=d, payee=p, amount=a,
                   paid_on=d if d <= TAKE_ON else None) for n, (d, p, a) in enumerate(plan, start=1)])


def test_kernel_and_scalar_settle_a_random_staged_and_repriced_portfolio_like_the_engine():
    if connection.vendor != "postgresql":
        pytest.skip("the kernels need PostgreSQL")
    connection.ensure_connection()
    portfolio.build(connection.connection, 80, chunk=100, ledger=False)
    draw = random.Random(20231)
    contracts = list(Contract.objects.select_related("policy_version").order_by("pk"))
    staged, repriced = [], []
    for contract in contracts:
        if draw.random() < 0.3 and contract.maturity_date > TAKE_ON + dt.timedelta(days=30):
            _stage(contract, draw)
            staged.append(contract.pk)
        if draw.random() < 0.4 and contract.disbursed_on < dt.date(2025, 12, 1) < contract.maturity_date:
            day = dt.date(2026, draw.randint(1, 11), draw.randint(1, 28))
            if day < contract.maturity_date:
                RateChange.objects.create(contract=contract, effective_from=day, reason="lpr",
                                          annual_rate=contract.annual_rate - D(draw.randint(5, 60)) / 10000,
                                          rule_version=contract.policy_version)
                repriced.append(contract.pk)
    for contract in Contract.objects.select_related("policy_version").order_by("pk"):
        account_take_on(actor=None, contract=contract, as_of=TAKE_ON)
    assert len(staged) >= 10 and len(repriced) >= 10 and set(staged) & set(repriced)
    # The daily run's payouts between the take-on and the settlement (set-based, PostgreSQL).
    for day in sorted(planned_days(TAKE_ON, portfolio.BENCH_DAY)):
        tranches_pay_out(on=day)
    timings = loans_settlement(portfolio.BENCH_DAY, settle_leftovers=settle_leftovers, chunk=100,
                               connections=1)
    assert timings.rows > 0 and timings.scalar_rows >= len(staged) // 2
    assert list(reconcile(as_of=portfolio.BENCH_DAY)) == []
