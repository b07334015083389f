"""Hypothesis properties of the core rules (kept modest: 200 examples each)."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from xuedai.core.allocation import Owed, allocate
from xuedai.core.classification import grade_2023, grade_seed
from xuedai.core.daycount import BASES, Basis, add_years, day_weight
from xuedai.core.engine import Posting, simulate
from xuedai.core.interest import stretch_accrual
from xuedai.core.schedule import Instalment, default_principal_plan, settlement_dates
from xuedai.core.subsidy import Period
from xuedai.core.terms import LoanTerms, Payment

PROPERTY = settings(max_examples=200, deadline=None)

days = st.dates(min_value=date(2005, 1, 1), max_value=date(2040, 12, 31))
fen = st.integers(min_value=1, max_value=3_000_000).map(lambda n: Decimal(n) / 100)  # 0.01 … 30000.00
rates = st.integers(min_value=0, max_value=1200).map(lambda n: Decimal(n) / 10000)  # 0 … 12%
bases: st.SearchStrategy[Basis] = st.sampled_from(BASES)


@PROPERTY
@given(principal=fen, rate=rates, start=days, end=days, basis=bases)
def test_interest_is_never_negative_and_pboc_never_exceeds_actual(
    principal: Decimal, rate: Decimal, start: date, end: date, basis: Basis
) -> None:
    accrual = stretch_accrual(principal, rate, start, end, basis)
    assert accrual.exact() >= 0
    assert accrual.rounded() >= 0
    # a whole year counts 360 under pboc and 365/366 under actual_360
    assert day_weight(start, end, "pboc") <= day_weight(start, end, "actual_360")


owed_items = st.lists(
    st.builds(
        Owed,
        kind=st.sampled_from(["penalty", "compound", "interest", "principal"]),
        due_on=st.dates(min_value=date(2020, 1, 1), max_value=date(2023, 1, 1)),
        amount=fen,
        contract_rank=st.integers(min_value=0, max_value=3),
        ref=st.integers(min_value=0, max_value=10_000),
    ),
    max_size=12,
)


@PROPERTY
@given(amount=st.integers(min_value=0, max_value=5_000_000).map(lambda n: Decimal(n) / 100), owed=owed_items)
def test_allocation_never_exceeds_what_is_owed(amount: Decimal, owed: list[Owed]) -> None:
    on = date(2022, 1, 1)
    result = allocate(amount, owed, on)
    for item, paid in result.paid:
        assert 0 < paid <= item.amount
        assert item.due_on <= on  # nothing not yet due is paid
    assert result.total_paid + result.leftover == amount
    owed_now = sum((i.amount for i in owed if i.due_on <= on), Decimal(0))
    assert result.total_paid == min(amount, owed_now)
    assert result.leftover >= 0


@PROPERTY
@given(due=days, as_of=days, later=st.integers(min_value=0, max_value=2000))
def test_classification_never_improves_as_overdue_days_grow(due: date, as_of: date, later: int) -> None:
    after = as_of + timedelta(days=later)
    assert grade_seed(due, after).rank >= grade_seed(due, as_of).rank
    assert grade_2023(due, after).rank >= grade_2023(due, as_of).rank


@PROPERTY
@given(
    principal=fen,
    disbursed=st.dates(min_value=date(2010, 1, 1), max_value=date(2025, 12, 31)),
    years=st.integers(min_value=1, max_value=22),
    first_offset=st.integers(min_value=0, max_value=30),
)
def test_default_plan_sums_to_principal_in_whole_yuan(
    principal: Decimal, disbursed: date, years: int, first_offset: int
) -> None:
    maturity = date(disbursed.year + years, 12, 20)
    dates = settlement_dates(disbursed, maturity)
    first = dates[min(first_offset, len(dates) - 1)]
    plan = default_principal_plan(principal, first, dates)
    assert sum(i.amount for i in plan) == principal
    assert all(i.amount > 0 for i in plan)
    assert all(i.amount == i.amount.to_integral_value() for i in plan[:-1])
    assert [i.due for i in plan] == sorted({i.due for i in plan})
    assert set(i.due for i in plan) <= set(dates) and plan[-1].due == maturity


@st.composite
def contracts(draw: st.DrawFn) -> tuple[LoanTerms, list[Payment], date]:
    disbursed = draw(st.dates(min_value=date(2012, 1, 1), max_value=date(2020, 12, 31)))
    years = draw(st.integers(min_value=1, max_value=12))
    maturity = date(disbursed.year + years, draw(st.sampled_from([9, 12])), 20)
    if maturity <= disbursed:
        maturity = add_years(maturity, 1)
    dates = settlement_dates(disbursed, maturity)
    self_pay = draw(st.none() | st.dates(min_value=disbursed, max_value=maturity))
    principal = Decimal(draw(st.integers(min_value=1, max_value=250))) * 100
    plan: tuple[Instalment, ...] = ()
    if draw(st.booleans()):
        plan = tuple(default_principal_plan(principal, draw(st.sampled_from(dates)), dates))
    terms = LoanTerms(
        principal=principal,
        disbursed_on=disbursed,
        annual_rate=draw(rates),
        maturity=maturity,
        basis=draw(bases),
        borrower_periods=() if self_pay is None else (Period(self_pay),),
        principal_plan=plan,
        penalty_multiplier=draw(st.sampled_from([Decimal("1.3"), Decimal("1.5")])),
    )
    horizon = maturity + timedelta(days=800)
    payments = draw(
        st.lists(
            st.builds(Payment, on=st.dates(min_value=disbursed, max_value=horizon), amount=fen),
            max_size=8,
        )
    )
    as_of = draw(st.dates(min_value=disbursed, max_value=horizon))
    return terms, payments, as_of


def _sum(postings: tuple[Posting, ...], categories: set[str]) -> Decimal:
    return sum((p.amount for p in postings if p.category.name in categories), Decimal(0))


@PROPERTY
@given(case=contracts())
def test_simulation_conserves_money_and_principal(case: tuple[LoanTerms, list[Payment], date]) -> None:
    terms, payments, as_of = case
    result = simulate(terms, as_of, payments)
    state = result.state
    # principal postings sum to disbursed minus outstanding
    assert (
        _sum(result.postings, {"OVERDUE_PRINCIPAL", "PRINCIPAL_DUE"})
        == terms.principal - state.outstanding_principal
    )
    # every yuan paid in is either posted or waiting as credit
    paid_in = sum((p.amount for p in payments if p.on <= as_of), Decimal(0))
    assert sum((p.amount for p in result.postings), Decimal(0)) + state.credit == paid_in
    # nothing is negative; credit only while nothing is overdue
    for row in result.settlements:
        assert min(row.subsidy_interest, row.borrower_interest, row.principal_due) >= 0
    assert min(state.outstanding_principal, state.overdue_principal, state.overdue_interest) >= 0
    assert state.penalty_interest >= 0 and state.credit >= 0
    assert state.overdue_principal <= state.outstanding_principal
    if state.credit > 0:
        assert state.overdue_principal == state.overdue_interest == state.penalty_interest == 0
    # principal falling due never exceeds the loan, and all of it has fallen due by maturity
    fallen_due = sum((r.principal_due for r in result.settlements), Decimal(0))
    assert fallen_due <= terms.principal
    if as_of >= terms.maturity:
        assert fallen_due == terms.principal
    assert (state.overdue_days > 0) == (state.oldest_unpaid_due is not None)
