"""Rate changes in the settlement kernel equal the scalar core, fen for fen (issue 12 items 1 and 7).

Each example draws a random portfolio as in ``test_batch_settle_vs_core``, gives some contracts a
random rate schedule (0–4 changes after disbursement, some to the rate already in force, some on a
settlement or self-pay day), walks each through ``core.engine.simulate`` and runs the kernel on
every settlement date with the columns built the way ``batch.settle_io`` builds them from the
``loans_ratechange`` rows (``rate_kernel.period_rates``: the rate on the period start and the
changes inside the period), then through ``parallel.map_chunks`` in small chunks.
"""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.batch.test_batch_settle_vs_core import Case, _col, cases
from xuedai.batch import exact
from xuedai.batch import settle_kernel as settle
from xuedai.batch.parallel import map_chunks
from xuedai.batch.rate_kernel import period_rates, sparse
from xuedai.core.engine import simulate
from xuedai.core.rates import RateChange

PROPERTY = settings(max_examples=80, deadline=None)


@st.composite
def schedules(draw: st.DrawFn, case: Case) -> list[tuple[date, int]]:
    span = (case.maturity - case.disbursed).days
    if span < 2:
        return []
    offsets = sorted(draw(st.sets(st.integers(min_value=1, max_value=span + 30), max_size=4)))
    rates = [case.rate_units]
    changes = []
    for offset in offsets:
        rate = draw(
            st.sampled_from([rates[-1], 285000, 315000]) | st.integers(min_value=0, max_value=2_000_000)
        )
        rates.append(rate)
        changes.append((case.disbursed + timedelta(days=offset), rate))
    return changes


@st.composite
def repriced(draw: st.DrawFn) -> tuple[Case, list[tuple[date, int]]]:
    case = draw(cases())
    return case, draw(st.none() | schedules(case)) or []


def _core_terms(case: Case, changes: list[tuple[date, int]]):
    return replace(
        case.terms(),
        rate_changes=tuple(RateChange(day, Decimal(rate) / exact.RATE_SCALE) for day, rate in changes),
    )


def _kernel(on_day, **cols):
    changes = sparse(cols.pop("change_on"), cols.pop("change_rate"))
    return settle.settle(on_day, changes=changes, **cols)


@PROPERTY
@given(portfolio=st.lists(repriced(), min_size=1, max_size=12), chunk=st.sampled_from([1, 3, 1 << 15]))
def test_settlement_kernel_with_rate_changes_equals_core(portfolio, chunk: int) -> None:
    expected = [
        {row.on: row for row in simulate(_core_terms(c, ch), c.maturity).settlements} for c, ch in portfolio
    ]
    cases_ = [c for c, _ in portfolio]
    ids = _col([7 * i + 3 for i in range(len(cases_))])[::-1].copy()  # not in id order, like a COPY
    change_rows = sorted(
        (int(ids[i]), exact.day(day), rate) for i, (_, ch) in enumerate(portfolio) for day, rate in ch
    )
    change_id, change_day, change_rate = (_col([r[k] for r in change_rows]) for k in range(3))
    principal = _col([c.principal_fen for c in cases_])
    cols = {
        "principal": principal,
        "disbursed_on": exact.days(c.disbursed for c in cases_),
        "maturity": exact.days(c.maturity for c in cases_),
        "self_pay_from": exact.days(c.self_pay for c in cases_),
        "first_principal_due": exact.days(c.first_due for c in cases_),
        "actual_360": np.array([c.basis == "actual_360" for c in cases_]),
        "month": _col([c.month_day.month for c in cases_]),
        "dom": _col([c.month_day.day for c in cases_]),
    }
    signing = _col([c.rate_units for c in cases_])
    not_yet_due = principal.copy()
    period_start = cols["disbursed_on"].copy()
    for on in sorted(set().union(*expected)):
        on_day = exact.day(on)
        rate, change_on, change_rate_ = period_rates(
            ids, period_start, on_day, signing, change_id, change_day, change_rate
        )
        waived = np.array([on.year in c.waived_years for c in cases_])
        result = map_chunks(
            _kernel,
            len(cases_),
            chunk=chunk,
            on_day=on_day,
            not_yet_due=not_yet_due,
            period_start=period_start,
            rate=rate,
            interest_waived=waived,
            change_on=change_on,
            change_rate=change_rate_,
            **cols,
        )
        for i in range(len(cases_)):
            row = expected[i].get(on)
            got = (
                bool(result["settles"][i]),
                int(result["subsidy_interest"][i]),
                int(result["borrower_interest"][i]),
                int(result["principal_due"][i]),
            )
            if row is None:
                assert got == (False, 0, 0, 0), (portfolio[i], on)
                continue
            want = (
                True,
                exact.fen(row.subsidy_interest),
                exact.fen(row.borrower_interest),
                exact.fen(row.principal_due),
            )
            assert got == want, (portfolio[i], on)
        not_yet_due = not_yet_due - result["principal_due"]
        period_start = np.where(result["settles"], on_day, period_start)


def test_the_worked_example_in_the_kernel() -> None:
    # 10 000 yuan disbursed 2022-09-10 at 3.75 %, subsidised, cut to 3.15 % from 2023-01-01.
    ids, start = _col([1]), exact.days([date(2022, 12, 20)])
    on = exact.day(date(2023, 12, 20))
    rate, days, rates = period_rates(
        ids, start, on, _col([375000]), _col([1]), exact.days([date(2023, 1, 1)]), _col([315000])
    )
    result = settle.settle(
        on,
        principal=_col([1_000_000]),
        not_yet_due=_col([1_000_000]),
        rate=rate,
        disbursed_on=exact.days([date(2022, 9, 10)]),
        maturity=exact.days([date(2036, 9, 20)]),
        period_start=start,
        self_pay_from=_col([int(exact.NO_DATE)]),
        first_principal_due=_col([int(exact.NO_DATE)]),
        changes=sparse(days, rates),
    )
    assert int(result.subsidy_interest[0]) == 32138  # 12.5 + 308.875 = 321.375 → 321.38
    # The period before: no change inside it, the signing rate on its start.
    first = exact.days([date(2022, 9, 10)])
    rate, days, rates = period_rates(
        ids,
        first,
        exact.day(date(2022, 12, 20)),
        _col([375000]),
        _col([1]),
        exact.days([date(2023, 1, 1)]),
        _col([315000]),
    )
    assert days is None and int(rate[0]) == 375000


@st.composite
def overdue_accounts(draw: st.DrawFn):
    on = date(2026, 12, 20)
    accounts = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        signing = draw(st.integers(min_value=0, max_value=2_000_000))
        days = sorted(draw(st.sets(st.integers(min_value=1, max_value=1500), max_size=4)))
        changes = [
            (on - timedelta(days=d), draw(st.integers(min_value=0, max_value=2_000_000)))
            for d in reversed(days)
        ]
        items = [
            (
                on - timedelta(days=draw(st.integers(min_value=0, max_value=1200))),
                draw(st.integers(min_value=1, max_value=2_000_000)),
            )
            for _ in range(draw(st.integers(1, 4)))
        ]
        accounts.append((signing, changes, items))
    return on, accounts


@PROPERTY
@given(case=overdue_accounts(), multiplier=st.sampled_from([130, 150]))
def test_penalty_follows_the_rate_in_force_like_the_core(case, multiplier: int) -> None:
    from xuedai.batch.penalty_kernel import penalty_by_account
    from xuedai.batch.rate_kernel import stretches_by_rate
    from xuedai.core.interest import Accrual
    from xuedai.core.overdue import penalty_accrual
    from xuedai.core.rates import split_by_rate

    on, accounts = case
    mult = Decimal(multiplier) / 100
    want = []
    item_account, start, amount, signing_col, change_rows = [], [], [], [], []
    for k, (signing, changes, items) in enumerate(accounts):
        core_changes = [RateChange(d, Decimal(r) / exact.RATE_SCALE) for d, r in changes]
        total = Accrual()
        for since, unpaid in items:
            for a, b, rate in split_by_rate(since, on, Decimal(signing) / exact.RATE_SCALE, core_changes):
                total += penalty_accrual(exact.yuan(unpaid), rate, mult, a, b)
            item_account.append(k)
            start.append(exact.day(since))
            amount.append(unpaid)
            signing_col.append(signing)
        want.append(exact.fen(total.rounded()))
        change_rows += [(k, exact.day(d), r) for d, r in changes]
    piece, rate, a, b = stretches_by_rate(
        _col(item_account),
        _col(start),
        exact.day(on),
        _col(signing_col),
        _col([r[0] for r in change_rows]),
        _col([r[1] for r in change_rows]),
        _col([r[2] for r in change_rows]),
    )
    got = penalty_by_account(
        _col(item_account)[piece], len(accounts), _col(amount)[piece], rate, a, b, multiplier
    )
    assert [int(x) for x in got] == want
