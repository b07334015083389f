"""The settlement kernel equals the scalar core, fen for fen, over each random contract's whole life.

Each example draws a small random portfolio, walks every contract through ``core.engine.simulate``
(the reference), then runs ``batch.settle_kernel.settle`` on every date that is a settlement date of any
contract in the portfolio, carrying the not-yet-due principal and the period start forward the way
the ledger does, and compares every settlement row — and that contracts not settling get nothing.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from xuedai.batch import exact
from xuedai.batch import settle_kernel as settle
from xuedai.core.daycount import MonthDay
from xuedai.core.engine import simulate
from xuedai.core.schedule import Instalment, default_principal_plan, principal_due_on, settlement_dates
from xuedai.core.subsidy import Period
from xuedai.core.terms import LoanTerms

PROPERTY = settings(max_examples=60, deadline=None)


@dataclass(frozen=True)
class Case:
    principal_fen: int
    rate_units: int
    disbursed: date
    maturity: date
    basis: str
    self_pay: date | None
    first_due: date | None
    month_day: MonthDay
    waived_years: frozenset[int]

    def terms(self) -> LoanTerms:
        dates = settlement_dates(self.disbursed, self.maturity, self.month_day)
        principal = exact.yuan(self.principal_fen)
        # No first principal date, or one past maturity: no plan (loans.terms.contract_terms).
        plan = [] if self.first_due is None or self.first_due > self.maturity else default_principal_plan(
            principal, self.first_due, dates)
        return LoanTerms(
            principal=principal,
            disbursed_on=self.disbursed,
            annual_rate=Decimal(self.rate_units) / exact.RATE_SCALE,
            maturity=self.maturity,
            basis=self.basis,  # type: ignore[arg-type]
            borrower_periods=(Period(self.self_pay),) if self.self_pay else (),
            settlement_day=self.month_day,
            principal_plan=tuple(plan),
            interest_waived_years=self.waived_years,
        )


@st.composite
def cases(draw: st.DrawFn) -> Case:
    disbursed = draw(st.dates(min_value=date(2005, 1, 1), max_value=date(2030, 12, 31)))
    maturity = disbursed + timedelta(days=draw(st.integers(min_value=1, max_value=22 * 366)))
    span = (maturity - disbursed).days
    self_pay = draw(st.none() | st.integers(min_value=-400, max_value=span + 400).map(
        lambda n: disbursed + timedelta(days=n)))
    first_due = draw(st.none() | st.integers(min_value=0, max_value=span + 400).map(
        lambda n: disbursed + timedelta(days=n)))
    month_day = draw(st.sampled_from([MonthDay(12, 20), MonthDay(12, 21), MonthDay(9, 20)]) | st.builds(
        MonthDay, st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=28)))
    return Case(
        principal_fen=draw(st.integers(min_value=1, max_value=3_000_000)),
        # Up to 20 % with all seven decimals, and the round rates the policies use.
        rate_units=draw(st.integers(min_value=0, max_value=2_000_000) | st.sampled_from([565000, 435000, 0])),
        disbursed=disbursed,
        maturity=maturity,
        basis=draw(st.sampled_from(["pboc", "actual_360"])),
        self_pay=self_pay,
        first_due=first_due,
        month_day=month_day,
        waived_years=frozenset(draw(st.sets(st.integers(min_value=2005, max_value=2053), max_size=3))),
    )


def _col(values: list[int]) -> np.ndarray:
    return np.array(values, dtype=np.int64)


@PROPERTY
@given(portfolio=st.lists(cases(), min_size=1, max_size=12))
def test_settlement_kernel_equals_core_over_whole_lives(portfolio: list[Case]) -> None:
    expected = []
    for case in portfolio:
        rows = simulate(case.terms(), case.maturity).settlements
        expected.append({row.on: row for row in rows})
    n = len(portfolio)
    principal = _col([c.principal_fen for c in portfolio])
    cols = {
        "principal": principal,
        "rate": _col([c.rate_units for c in portfolio]),
        "disbursed_on": exact.days(c.disbursed for c in portfolio),
        "maturity": exact.days(c.maturity for c in portfolio),
        "self_pay_from": exact.days(c.self_pay for c in portfolio),
        "first_principal_due": exact.days(c.first_due for c in portfolio),
        "actual_360": np.array([c.basis == "actual_360" for c in portfolio]),
        "month": _col([c.month_day.month for c in portfolio]),
        "dom": _col([c.month_day.day for c in portfolio]),
    }
    not_yet_due = principal.copy()
    period_start = cols["disbursed_on"].copy()
    for on in sorted(set().union(*expected)):
        on_day = exact.day(on)
        waived = np.array([on.year in c.waived_years for c in portfolio])
        result = settle.settle(on_day, not_yet_due=not_yet_due, period_start=period_start,
                               interest_waived=waived, **cols)
        for i in range(n):
            row = expected[i].get(on)
            got = (bool(result.settles[i]), int(result.subsidy_interest[i]), int(result.borrower_interest[i]),
                   int(result.principal_due[i]), int(result.waived_interest[i]))
            if row is None:
                assert got == (False, 0, 0, 0, 0), (portfolio[i], on)
                continue
            want = (True, exact.fen(row.subsidy_interest), exact.fen(row.borrower_interest),
                    exact.fen(row.principal_due), exact.fen(row.waived_interest))
            assert got == want, (portfolio[i], on)
            # Without a recorded last settlement the period start is derived; it must agree.
            derived = settle.previous_settlement(
                on_day, disbursed_on=cols["disbursed_on"][i:i + 1], month=cols["month"][i:i + 1],
                dom=cols["dom"][i:i + 1])
            assert int(derived[0]) == int(period_start[i])
        not_yet_due = not_yet_due - result.principal_due
        period_start = np.where(result.settles, on_day, period_start)
    assert (not_yet_due == 0).all()  # everything fell due by maturity


@PROPERTY
@given(case=cases(), data=st.data())
def test_chosen_plan_instalment_equals_core_principal_due_on(case: Case, data: st.DataObject) -> None:
    """``planned_principal`` (a chosen plan, 还款计划变更) is capped at the principal not yet due and
    replaced by all of it at maturity: ``core.schedule.principal_due_on``."""
    dates = settlement_dates(case.disbursed, case.maturity, case.month_day)
    on = data.draw(st.sampled_from(dates))
    planned = data.draw(st.integers(min_value=1, max_value=4_000_000))
    not_yet_due = data.draw(st.integers(min_value=0, max_value=4_000_000))
    want = principal_due_on(on, [Instalment(on, exact.yuan(planned))], case.maturity, exact.yuan(not_yet_due))
    result = settle.settle(
        exact.day(on), principal=_col([case.principal_fen]), not_yet_due=_col([not_yet_due]),
        rate=_col([case.rate_units]), disbursed_on=exact.days([case.disbursed]),
        maturity=exact.days([case.maturity]), period_start=exact.days([case.disbursed]),
        self_pay_from=exact.days([case.self_pay]), first_principal_due=exact.days([case.first_due]),
        planned_principal=_col([planned]), month=case.month_day.month, dom=case.month_day.day)
    assert bool(result.settles[0])
    assert int(result.principal_due[0]) == exact.fen(want)
