"""The published worked example of DOMAIN.md §4, through the simulator and through ``quote()``.

6000 yuan at 5.65%, self-pay from 1 Sep 2019: on 20 Dec 2019 the borrower owes 103.58 and the
state 240.13; 20 Dec 2020: 339.00; 20 Dec 2021: 339.00 + 1500 principal; 20 Dec 2022:
4500 × 5.65% = 254.25 + 1500.
"""

from datetime import date
from decimal import Decimal

from xuedai.core.engine import simulate
from xuedai.core.quote import quote
from xuedai.core.schedule import default_principal_plan, settlement_dates
from xuedai.core.subsidy import Period
from xuedai.core.terms import LoanTerms, Payment

REQUEST = {
    "annual_rate": "0.0565",
    "principal": "6000",
    "disbursed_on": "2018-09-01",
    "self_pay_from": "2019-09-01",
    "maturity": "2024-12-20",
    "principal_from": "2021-12-20",
    "as_of": "2022-12-20",
}

EXPECTED = [
    {
        "date": "2018-12-20",
        "subsidy_interest": "103.58",
        "borrower_interest": "0.00",
        "principal_due": "0.00",
    },
    {
        "date": "2019-12-20",
        "subsidy_interest": "240.13",
        "borrower_interest": "103.58",
        "principal_due": "0.00",
    },
    {
        "date": "2020-12-20",
        "subsidy_interest": "0.00",
        "borrower_interest": "339.00",
        "principal_due": "0.00",
    },
    {
        "date": "2021-12-20",
        "subsidy_interest": "0.00",
        "borrower_interest": "339.00",
        "principal_due": "1500.00",
    },
    {
        "date": "2022-12-20",
        "subsidy_interest": "0.00",
        "borrower_interest": "254.25",
        "principal_due": "1500.00",
    },
]


def test_published_example_through_quote() -> None:
    answer = quote(REQUEST)
    assert answer["settlements"] == EXPECTED


def test_published_example_paid_on_time_is_normal_with_nothing_overdue() -> None:
    payments = [
        {"on": "2019-12-20", "amount": "103.58"},
        {"on": "2020-12-20", "amount": "339.00"},
        {"on": "2021-12-20", "amount": "1839.00"},
        {"on": "2022-12-20", "amount": "1754.25"},
    ]
    answer = quote({**REQUEST, "payments": payments})
    assert answer["as_of"] == {
        "outstanding_principal": "3000.00",
        "overdue_principal": "0.00",
        "overdue_interest": "0.00",
        "penalty_interest": "0.00",
        "overdue_days": 0,
        "grade_seed": "正常",
        "grade_2023": "正常",
        "credit": "0.00",
    }


def test_published_example_whole_term_through_the_simulator() -> None:
    dates = settlement_dates(date(2018, 9, 1), date(2024, 12, 20))
    plan = default_principal_plan(Decimal(6000), date(2021, 12, 20), dates)
    assert [(i.due.year, i.amount) for i in plan] == [(y, Decimal(1500)) for y in (2021, 2022, 2023, 2024)]
    terms = LoanTerms(
        principal=Decimal(6000),
        disbursed_on=date(2018, 9, 1),
        annual_rate=Decimal("0.0565"),
        maturity=date(2024, 12, 20),
        borrower_periods=(Period(date(2019, 9, 1)),),
        principal_plan=tuple(plan),
    )
    due = {
        date(2019, 12, 20): Decimal("103.58"),
        date(2020, 12, 20): Decimal("339.00"),
        date(2021, 12, 20): Decimal("1839.00"),
        date(2022, 12, 20): Decimal("1754.25"),
        date(2023, 12, 20): Decimal("1669.50"),  # 3000 × 5.65% = 169.50 + 1500
        date(2024, 12, 20): Decimal("1584.75"),  # 1500 × 5.65% = 84.75 + 1500
    }
    result = simulate(terms, date(2025, 1, 1), [Payment(d, a) for d, a in due.items()])
    rows = {r.on: r.borrower_interest + r.principal_due for r in result.settlements}
    assert rows == {date(2018, 12, 20): Decimal(0), **due}
    assert result.settlements[-1].kind == "maturity"
    assert sum(r.subsidy_interest for r in result.settlements) == Decimal("343.71")
    assert result.state.outstanding_principal == 0
    assert result.state.credit == 0
    assert result.state.penalty_interest == 0
