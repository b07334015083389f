"""Self-pay dates, the subsidy split, settlement dates and principal plans (DOMAIN.md §1, §4)."""

from datetime import date
from decimal import Decimal

import pytest

from xuedai.core.daycount import MonthDay
from xuedai.core.engine import simulate
from xuedai.core.schedule import (
    Instalment,
    PlanError,
    default_principal_plan,
    first_settlement_after,
    principal_due_on,
    settlement_dates,
    validate_plan,
)
from xuedai.core.subsidy import (
    Period,
    Suspension,
    borrower_periods,
    self_pay_start,
    split_by_payer,
    status_change_self_pay_start,
    subsidy_resumes_on,
)
from xuedai.core.terms import LoanTerms


@pytest.mark.parametrize(
    ("graduated", "rule", "starts"),
    [
        (date(2019, 6, 30), "sep1_of_graduation_year", date(2019, 9, 1)),  # 生源地 [001 附件四]
        (date(2019, 6, 30), "month_after_certificate", date(2019, 7, 1)),  # campus [003 第十九条]
        (date(2019, 7, 1), "month_after_certificate", date(2019, 7, 1)),  # a 1st: that very day
        (date(2019, 12, 31), "month_after_certificate", date(2020, 1, 1)),
        (date(2019, 12, 31), "sep1_of_graduation_year", date(2019, 9, 1)),
    ],
)
def test_self_pay_start(graduated: date, rule: str, starts: date) -> None:
    assert self_pay_start(graduated, rule) == starts  # type: ignore[arg-type]


def test_unknown_self_pay_rule_is_refused() -> None:
    with pytest.raises(ValueError):
        self_pay_start(date(2019, 6, 30), "whenever")  # type: ignore[arg-type]


def test_status_changes_pay_from_the_first_of_next_month() -> None:
    assert status_change_self_pay_start(date(2020, 3, 17)) == date(2020, 4, 1)
    assert status_change_self_pay_start(date(2020, 3, 1)) == date(2020, 4, 1)
    assert status_change_self_pay_start(date(2020, 12, 31)) == date(2021, 1, 1)
    assert subsidy_resumes_on(date(2021, 3, 5)) == date(2021, 3, 1)


def test_borrower_periods_from_events() -> None:
    periods = borrower_periods(
        self_pay_from=date(2022, 9, 1),
        suspensions=[
            Suspension(date(2020, 3, 17), date(2020, 9, 5)),
            Suspension(date(2021, 5, 3), date(2021, 5, 20)),
        ],
    )
    # the second suspension returns within the month: no self-pay days
    assert periods == (Period(date(2020, 4, 1), date(2020, 9, 1)), Period(date(2022, 9, 1)))
    dropout = borrower_periods(self_pay_from=None, final_change_on=date(2020, 3, 17))
    assert dropout == (Period(date(2020, 4, 1)),)
    still_suspended = borrower_periods(
        self_pay_from=date(2022, 9, 1), suspensions=[Suspension(date(2020, 3, 17))]
    )
    assert still_suspended == (Period(date(2020, 4, 1)),)


def test_split_by_payer_follows_the_periods() -> None:
    periods = [Period(date(2020, 4, 1), date(2020, 9, 1))]
    pieces = split_by_payer(date(2019, 12, 20), date(2020, 12, 20), periods)
    assert [(s.isoformat(), e.isoformat(), p) for s, e, p in pieces] == [
        ("2019-12-20", "2020-04-01", "state"),
        ("2020-04-01", "2020-09-01", "borrower"),
        ("2020-09-01", "2020-12-20", "state"),
    ]
    assert split_by_payer(date(2020, 1, 1), date(2020, 2, 1), []) == [
        (date(2020, 1, 1), date(2020, 2, 1), "state")
    ]


def test_suspension_interest_is_the_borrowers_and_the_subsidy_resumes() -> None:
    # 6000 at 5.65%: suspended 17 Mar 2020, back 5 Sep 2020 → borrower pays 1 Apr–1 Sep 2020
    # (153 days: 6000 × 0.0565 × 153/360 = 144.075 → 144.08); the state the other 213 days
    # (6000 × 0.0565 × 213/360 = 200.575 → 200.58) of the 20 Dec 2019 → 20 Dec 2020 period.
    terms = LoanTerms(
        principal=Decimal(6000),
        disbursed_on=date(2018, 9, 1),
        annual_rate=Decimal("0.0565"),
        maturity=date(2026, 12, 20),
        borrower_periods=borrower_periods(
            self_pay_from=date(2022, 9, 1), suspensions=[Suspension(date(2020, 3, 17), date(2020, 9, 5))]
        ),
    )
    rows = {r.on: r for r in simulate(terms, date(2020, 12, 20)).settlements}
    assert rows[date(2020, 12, 20)].borrower_interest == Decimal("144.08")
    assert rows[date(2020, 12, 20)].subsidy_interest == Decimal("200.58")
    assert rows[date(2019, 12, 20)].subsidy_interest == Decimal("339.00")  # a whole subsidised year


# -- schedule -------------------------------------------------------------------------------------


def test_settlement_dates_end_with_maturity_even_off_the_month_day() -> None:
    dates = settlement_dates(date(2018, 9, 1), date(2021, 9, 20))
    assert dates == [date(2018, 12, 20), date(2019, 12, 20), date(2020, 12, 20), date(2021, 9, 20)]
    # disbursed on a settlement day: nothing to settle that day
    assert settlement_dates(date(2018, 12, 20), date(2019, 12, 20)) == [date(2019, 12, 20)]
    assert settlement_dates(date(2018, 9, 1), date(2019, 12, 21), MonthDay(12, 21)) == [
        date(2018, 12, 21),
        date(2019, 12, 21),
    ]
    with pytest.raises(ValueError):
        settlement_dates(date(2018, 9, 1), date(2018, 9, 1))
    assert first_settlement_after(date(2019, 9, 1), dates) == date(2019, 12, 20)
    assert first_settlement_after(date(2021, 9, 20), dates) is None


DATES = settlement_dates(date(2018, 9, 1), date(2024, 12, 20))


def test_default_plan_whole_yuan_with_the_remainder_last() -> None:
    plan = default_principal_plan(Decimal("6000.50"), date(2022, 1, 1), DATES)
    assert [(i.due.year, str(i.amount)) for i in plan] == [(2022, "2000"), (2023, "2000"), (2024, "2000.50")]
    plan = default_principal_plan(Decimal(1000), date(2022, 12, 20), DATES)
    assert [str(i.amount) for i in plan] == ["333", "333", "334"]
    tiny = default_principal_plan(Decimal(2), date(2021, 12, 20), DATES)
    assert tiny == [Instalment(date(2024, 12, 20), Decimal(2))]
    with pytest.raises(PlanError, match="晚于到期日"):
        default_principal_plan(Decimal(1000), date(2025, 1, 1), DATES)
    with pytest.raises(PlanError):
        default_principal_plan(Decimal(0), date(2021, 1, 1), DATES)


def _plan(*items: tuple[date, str]) -> list[Instalment]:
    return [Instalment(d, Decimal(a)) for d, a in items]


def test_a_valid_custom_plan_comes_back_sorted() -> None:
    plan = _plan((date(2024, 12, 20), "4000"), (date(2022, 12, 20), "2000"))
    assert validate_plan(plan, Decimal(6000), DATES, date(2021, 12, 20)) == sorted(plan)


@pytest.mark.parametrize(
    ("plan", "message", "index", "part"),
    [
        (
            _plan((date(2022, 12, 20), "2000"), (date(2024, 12, 20), "3000")),
            "合计 5000.00 元，与本金 6000.00",
            None,
            None,
        ),
        (_plan((date(2022, 12, 21), "6000")), "不是结息日", 0, "due"),
        (_plan((date(2025, 12, 20), "6000")), "晚于到期日", 0, "due"),
        (_plan((date(2020, 12, 20), "6000")), "早于允许的首次还本日", 0, "due"),
        (_plan((date(2022, 12, 20), "3000"), (date(2022, 12, 20), "3000")), "重复", 1, "due"),
        (_plan((date(2022, 12, 20), "7000"), (date(2023, 12, 20), "-1000")), "必须大于 0", 1, "amount"),
        (_plan((date(2022, 12, 20), "5999.995"), (date(2023, 12, 20), "0.005")), "两位小数", 0, "amount"),
    ],
)
def test_plan_validation_names_the_problem(
    plan: list[Instalment], message: str, index: int | None, part: str | None
) -> None:
    with pytest.raises(PlanError, match=message) as caught:
        validate_plan(plan, Decimal(6000), DATES, date(2021, 12, 20))
    assert caught.value.index == index
    assert caught.value.part == part


def test_principal_due_at_maturity_is_everything_left() -> None:
    plan = _plan((date(2022, 12, 20), "2000"))
    assert principal_due_on(date(2022, 12, 20), plan, date(2024, 12, 20), Decimal(6000)) == Decimal(2000)
    assert principal_due_on(date(2023, 12, 20), plan, date(2024, 12, 20), Decimal(4000)) == 0
    assert principal_due_on(date(2024, 12, 20), plan, date(2024, 12, 20), Decimal(4000)) == Decimal(4000)
    assert principal_due_on(date(2022, 12, 20), plan, date(2024, 12, 20), Decimal(500)) == Decimal(500)
