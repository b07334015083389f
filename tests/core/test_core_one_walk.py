"""core.engine.simulate_with_plan: today's state and the plan from one walk are exactly the two
simulations loans.amount_due used to run (the state today; the plan with a payment made today)."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tests.core.test_core_properties import PROPERTY, contracts
from xuedai.core.engine import simulate, simulate_with_plan
from xuedai.core.terms import EarlyRepayment, LoanTerms, Payment


def _two_walks(terms, as_of, payments, early, paid_ahead):
    now = simulate(terms, as_of, payments, early)
    ahead = simulate(terms, max(as_of, terms.maturity), [*payments, Payment(as_of, paid_ahead)], early)
    return now, ahead.settlements


@PROPERTY
@given(case=contracts(), early_offsets=st.lists(st.integers(min_value=-400, max_value=400), max_size=3),
       whole=st.booleans(), on_the_day=st.booleans())
def test_one_walk_equals_two(case, early_offsets, whole, on_the_day) -> None:
    terms, payments, as_of = case
    days = {as_of + timedelta(days=n) for n in early_offsets}
    if on_the_day:
        days.add(as_of)  # an early repayment on the day itself: the two-walk path
    early = [EarlyRepayment(day, None if whole else Decimal("500")) for day in sorted(days)
             if day > terms.disbursed_on]
    paid_ahead = terms.principal * 3
    assert simulate_with_plan(terms, as_of, payments, early, paid_ahead=paid_ahead) == \
        _two_walks(terms, as_of, payments, early, paid_ahead)


def test_published_example_plan_from_a_settlement_day_with_a_payment_on_it() -> None:
    """DOMAIN.md §4's 6000 yuan at 5.65 %: on 20 Dec 2021 (a settlement day, 1500 paid that day)."""
    from xuedai.core.schedule import Instalment
    from xuedai.core.subsidy import Period

    terms = LoanTerms(principal=Decimal("6000"), disbursed_on=date(2018, 9, 1), annual_rate=Decimal("0.0565"),
                      maturity=date(2024, 12, 20), basis="pboc", borrower_periods=(Period(date(2019, 9, 1)),),
                      principal_plan=tuple(Instalment(date(2021 + n, 12, 20), Decimal("1500"))
                                           for n in range(4)))
    payments = [Payment(date(2019, 12, 20), Decimal("103.58")), Payment(date(2020, 12, 20), Decimal("339")),
                Payment(date(2021, 12, 20), Decimal("1000"))]
    now, plan = simulate_with_plan(terms, date(2021, 12, 20), payments, paid_ahead=Decimal("18000"))
    assert (now, plan) == _two_walks(terms, date(2021, 12, 20), payments, [], Decimal("18000"))
    assert now.state.due_today == Decimal("839.00")  # 339.00 + 1500 due, 1000 paid
    assert [r.on for r in plan][-1] == date(2024, 12, 20)
