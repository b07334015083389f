"""Day weights, exact division, penalty and classification kernels equal the scalar core."""

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xuedai.batch import classify_kernel as classify
from xuedai.batch import dates, exact
from xuedai.batch import penalty_kernel as penalty
from xuedai.core.classification import grade_2023, grade_seed
from xuedai.core.daycount import add_months, day_weight
from xuedai.core.engine import simulate
from xuedai.core.interest import Accrual
from xuedai.core.overdue import penalty_accrual, penalty_interest
from xuedai.core.schedule import default_principal_plan, settlement_dates
from xuedai.core.subsidy import Period
from xuedai.core.terms import LoanTerms

PROPERTY = settings(max_examples=80, deadline=None)

any_day = st.dates(min_value=date(1990, 1, 1), max_value=date(2080, 12, 31))
# Month ends and leap days are where calendar arithmetic breaks; draw them often.
edge_day = st.builds(
    lambda y, m, back: add_months(date(y, m, 1), 1) - timedelta(days=back),
    st.integers(min_value=1996, max_value=2060), st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=3),
) | st.integers(min_value=0, max_value=20).map(lambda k: date(1996 + 4 * k, 2, 29))
a_day = any_day | edge_day
day_lists = st.lists(st.tuples(a_day, a_day), min_size=1, max_size=50)


@PROPERTY
@given(pairs=day_lists)
def test_day_weights_equal_core_day_weight(pairs: list[tuple[date, date]]) -> None:
    start = exact.days(p[0] for p in pairs)
    end = exact.days(p[1] for p in pairs)
    assert dates.pboc_weight(start, end).tolist() == [day_weight(a, b, "pboc") for a, b in pairs]
    assert dates.actual_weight(start, end).tolist() == [day_weight(a, b, "actual_360") for a, b in pairs]


@PROPERTY
@given(days=st.lists(a_day, min_size=1, max_size=50))
def test_calendar_fields_round_trip(days: list[date]) -> None:
    y, m, d = dates.ymd(exact.days(days))
    fields = list(zip(y.tolist(), m.tolist(), d.tolist(), strict=True))
    assert fields == [(x.year, x.month, x.day) for x in days]
    assert dates.from_ymd(y, m, d).tolist() == exact.days(days).tolist()


@PROPERTY
@given(st.lists(st.tuples(st.integers(0, (1 << 41) - 1), st.integers(0, (1 << 62) - 1)), min_size=1,
                max_size=30),
       st.sampled_from([exact.NORMAL_DIVISOR, exact.PENALTY_DIVISOR, 7, (1 << 41) - 1]))
def test_muldivmod_is_exact_on_both_paths(pairs: list[tuple[int, int]], d: int) -> None:
    a = np.array([p[0] for p in pairs], dtype=np.int64)
    b = np.array([p[1] for p in pairs], dtype=np.int64)
    fits = [x * y // d < (1 << 63) for x, y in pairs]
    a, b = a[fits], b[fits]
    q, r = exact.muldivmod(a, b, d)
    for x, y, qq, rr in zip(a.tolist(), b.tolist(), q.tolist(), r.tolist(), strict=True):
        assert (qq, rr) == divmod(x * y, d)


def test_muldivmod_refuses_what_the_proof_does_not_cover() -> None:
    with pytest.raises(exact.KernelRangeError):
        exact.muldivmod(np.array([1 << 41]), np.array([1]), 7)
    with pytest.raises(exact.KernelRangeError):
        exact.muldivmod(np.array([-1]), np.array([1]), 7)


def test_conversions_refuse_inexact_values() -> None:
    assert exact.rate_units(Decimal("0.0565")) == 565000
    assert exact.yuan(10358) == Decimal("103.58")
    with pytest.raises(exact.KernelRangeError):
        exact.fen(Decimal("0.001"))
    with pytest.raises(exact.KernelRangeError):
        exact.rate_units(Decimal("0.00000001"))


overdue_items = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=10_000_000),  # fen
        st.integers(min_value=0, max_value=2_400_000),  # rate units (≤ 24 %)
        st.sampled_from([130, 150, 100, 125]) | st.integers(min_value=0, max_value=300),
        a_day,
        st.integers(min_value=-30, max_value=8000),
    ),
    min_size=1, max_size=40,
)


@PROPERTY
@given(items=overdue_items, accounts=st.integers(min_value=1, max_value=5), data=st.data())
def test_penalty_kernels_equal_core(items: list[tuple[int, int, int, date, int]], accounts: int,
                                    data: st.DataObject) -> None:
    amount = np.array([i[0] for i in items], dtype=np.int64)
    rate = np.array([i[1] for i in items], dtype=np.int64)
    mult = np.array([i[2] for i in items], dtype=np.int64)
    due = exact.days(i[3] for i in items)
    paid = exact.days(i[3] + timedelta(days=i[4]) for i in items)
    got = penalty.penalty_interest(amount, rate, due, paid, mult)

    def scalar(i: tuple[int, int, int, date, int]) -> tuple[Decimal, Decimal, Decimal, date, date]:
        return (exact.yuan(i[0]), Decimal(i[1]) / exact.RATE_SCALE, Decimal(i[2]) / exact.MULT_SCALE, i[3],
                i[3] + timedelta(days=i[4]))

    want = [exact.fen(penalty_interest(a, r, s, e, m)) for a, r, m, s, e in map(scalar, items)]
    assert got.tolist() == want
    # Grouped by account: exact sum, one rounding (the engine's running Accrual).
    owner = np.array(data.draw(st.lists(st.integers(0, accounts - 1), min_size=len(items),
                                        max_size=len(items))), dtype=np.int64)
    grouped = penalty.penalty_by_account(owner, accounts, amount, rate, due, paid, mult)
    sums = [Accrual() for _ in range(accounts)]
    for k, (a, r, m, s, e) in enumerate(map(scalar, items)):
        sums[owner[k]] += penalty_accrual(a, r, m, s, e)
    assert grouped.tolist() == [exact.fen(acc.rounded()) for acc in sums]


@settings(max_examples=30, deadline=None)
@given(disbursed=st.dates(min_value=date(2010, 1, 1), max_value=date(2020, 12, 31)),
       years=st.integers(min_value=2, max_value=10), principal=st.integers(100_00, 3_000_000),
       rate=st.integers(0, 1_000_000), late=st.integers(0, 2000))
def test_penalty_by_account_equals_engine_statement(disbursed: date, years: int, principal: int, rate: int,
                                                    late: int) -> None:
    """Nothing paid: the engine's statement penalty (罚息 + 复利) equals the kernel run on the
    contract's due items, principal and interest rounded separately."""
    maturity = date(disbursed.year + years, 12, 20)
    dates_ = settlement_dates(disbursed, maturity)
    plan = default_principal_plan(exact.yuan(principal), dates_[0], dates_)
    terms = LoanTerms(exact.yuan(principal), disbursed, Decimal(rate) / exact.RATE_SCALE, maturity,
                      borrower_periods=(Period(disbursed),), principal_plan=tuple(plan))
    as_of = dates_[0] + timedelta(days=late)
    sim = simulate(terms, as_of)
    rows = [r for r in sim.settlements if r.on < as_of]
    charged = []
    for kind in ("principal_due", "borrower_interest"):
        amount = np.array([exact.fen(getattr(r, kind)) for r in rows], dtype=np.int64)
        owner = np.zeros(len(rows), dtype=np.int64)
        due = exact.days(r.on for r in rows)
        charged.append(penalty.penalty_by_account(owner, 1, amount, np.full(len(rows), rate), due,
                                                  exact.day(as_of))[0])
    assert int(sum(charged)) == exact.fen(sim.state.penalty_interest)


@PROPERTY
@given(dues=st.lists(st.none() | a_day, min_size=1, max_size=60), as_of=a_day, data=st.data())
def test_classification_equals_core(dues: list[date | None], as_of: date, data: st.DataObject) -> None:
    n = len(dues)
    needs = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    lost = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    col, day = exact.days(dues), exact.day(as_of)
    seed = classify.grade_seed(col, day, needs_collection=needs, unrecoverable=lost)
    new = classify.grade_2023(col, day, unrecoverable=lost)
    for i, due in enumerate(dues):
        assert classify.GRADES[seed[i]] == grade_seed(due, as_of, needs_collection=bool(needs[i]),
                                                      unrecoverable=bool(lost[i])), (due, as_of)
        assert classify.GRADES[new[i]] == grade_2023(due, as_of, unrecoverable=bool(lost[i])), (due, as_of)


@PROPERTY
@given(due=a_day, offset=st.integers(min_value=-5, max_value=800))
def test_classification_near_the_boundaries(due: date, offset: int) -> None:
    """Around D + 6 months and D + 1 year, where the clamped month ends live."""
    for as_of in (add_months(due, 6) + timedelta(days=offset % 7 - 3),
                  add_months(due, 12) + timedelta(days=offset % 7 - 3), due + timedelta(days=offset)):
        col = exact.days([due])
        assert classify.GRADES[classify.grade_seed(col, exact.day(as_of))[0]] == grade_seed(due, as_of)
        assert classify.GRADES[classify.grade_2023(col, exact.day(as_of))[0]] == grade_2023(due, as_of)


@PROPERTY
@given(pairs=st.lists(st.tuples(st.none() | a_day, a_day), min_size=1, max_size=60))
def test_classification_with_an_as_of_column_equals_core(pairs: list[tuple[date | None, date]]) -> None:
    """Per-contract as-of days take the month-index path."""
    dues, as_of = exact.days(p[0] for p in pairs), exact.days(p[1] for p in pairs)
    seed, new = classify.grade_seed(dues, as_of), classify.grade_2023(dues, as_of)
    for i, (due, on) in enumerate(pairs):
        assert classify.GRADES[seed[i]] == grade_seed(due, on), (due, on)
        assert classify.GRADES[new[i]] == grade_2023(due, on), (due, on)
