"""Day count and interest (DOMAIN.md §4 Day count, Rounding)."""

from datetime import date
from decimal import Decimal

import pytest

from xuedai.core.daycount import (
    MonthDay,
    add_months,
    add_years,
    day_weight,
    days_between,
    first_of_next_month,
    next_occurrence,
    whole_years,
)
from xuedai.core.interest import Accrual, stretch_accrual, stretch_interest

RATE = Decimal("0.0565")


def test_days_count_the_first_day_not_the_last() -> None:
    assert days_between(date(2019, 9, 1), date(2019, 12, 20)) == 110
    assert days_between(date(2018, 12, 20), date(2019, 9, 1)) == 255
    assert days_between(date(2020, 1, 1), date(2020, 1, 1)) == 0


def test_month_and_year_steps_clamp_to_month_end() -> None:
    assert add_months(date(2020, 8, 31), 6) == date(2021, 2, 28)
    assert add_months(date(2019, 8, 31), 6) == date(2020, 2, 29)
    assert add_months(date(2020, 1, 31), -2) == date(2019, 11, 30)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert first_of_next_month(date(2020, 12, 1)) == date(2021, 1, 1)


def test_whole_years_are_counted_from_the_stretch_start() -> None:
    assert whole_years(date(2019, 12, 20), date(2020, 12, 20)) == (1, 0)
    assert whole_years(date(2019, 12, 20), date(2020, 12, 19)) == (0, 365)
    assert whole_years(date(2019, 12, 20), date(2022, 1, 20)) == (2, 31)
    assert whole_years(date(2020, 2, 29), date(2021, 2, 28)) == (1, 0)
    assert whole_years(date(2020, 1, 1), date(2019, 1, 1)) == (0, 0)


def test_day_weight_under_both_bases() -> None:
    leap_year = (date(2019, 12, 20), date(2020, 12, 20))
    assert day_weight(*leap_year, "pboc") == 360
    assert day_weight(*leap_year, "actual_360") == 366
    two_years_and_a_month = (date(2019, 12, 20), date(2022, 1, 20))
    assert day_weight(*two_years_and_a_month, "pboc") == 720 + 31
    assert day_weight(*two_years_and_a_month, "actual_360") == 762
    with pytest.raises(ValueError, match="basis"):
        day_weight(date(2020, 1, 1), date(2021, 1, 1), "thirty_360")  # type: ignore[arg-type]


def test_published_stretches() -> None:
    # DOMAIN.md §4: 6000 × 5.65% × 110/360 = 103.58; × 255/360 = 240.13; a whole year 339.00.
    p = Decimal(6000)
    assert stretch_interest(p, RATE, date(2019, 9, 1), date(2019, 12, 20), "pboc") == Decimal("103.58")
    assert stretch_interest(p, RATE, date(2018, 12, 20), date(2019, 9, 1), "pboc") == Decimal("240.13")
    assert stretch_interest(p, RATE, date(2019, 12, 20), date(2020, 12, 20), "pboc") == Decimal("339.00")
    assert stretch_interest(Decimal(4500), RATE, date(2021, 12, 20), date(2022, 12, 20), "pboc") == Decimal(
        "254.25"
    )


def test_actual_360_full_year_is_365_over_360() -> None:
    p = Decimal(6000)
    # 6000 × 0.0565 × 365 / 360 = 343.708… ; the leap year 2020: × 366 / 360 = 344.65
    assert stretch_interest(p, RATE, date(2020, 12, 20), date(2021, 12, 20), "actual_360") == Decimal(
        "343.71"
    )
    assert stretch_interest(p, RATE, date(2019, 12, 20), date(2020, 12, 20), "actual_360") == Decimal(
        "344.65"
    )


def test_accruals_add_exactly_and_round_once() -> None:
    # Three stretches of 1 yuan-ish interest each ending in a third of a fen: rounding each would
    # give 3 × 0.00 = 0.00; rounded once the sum is exactly 0.01.
    third = Accrual.on(Decimal("1"), Decimal("0.012"), 1)  # 1 × 0.012 / 360 = 0.0000333…
    total = Accrual()
    for _ in range(300):
        total += third
    assert third.rounded() == Decimal("0.00")
    assert total.exact() == Decimal("0.01")
    assert total.rounded() == Decimal("0.01")
    # A sum landing exactly on a half fen rounds up, which a float-like division error could break.
    halves = Accrual.on(Decimal(1), Decimal("0.018"), 1) + Accrual.on(Decimal(1), Decimal("0.0036"), 1)
    assert halves.exact() == Decimal("0.00006")
    half_fen = Accrual.on(Decimal("0.3"), Decimal("0.06"), 100) + Accrual.on(
        Decimal("0.15"), Decimal("0.06"), 100
    )
    assert half_fen.exact() == Decimal("0.0075")
    assert half_fen.rounded() == Decimal("0.01")


def test_negative_inputs_are_refused() -> None:
    with pytest.raises(ValueError):
        stretch_accrual(Decimal(-1), RATE, date(2020, 1, 1), date(2020, 2, 1), "pboc")


def test_month_day_parsing_and_next_occurrence() -> None:
    assert MonthDay.parse("12-20") == MonthDay(12, 20)
    assert str(MonthDay(9, 1)) == "09-01"
    assert next_occurrence(date(2019, 12, 19), MonthDay(12, 20)) == date(2019, 12, 20)
    assert next_occurrence(date(2019, 12, 20), MonthDay(12, 20)) == date(2020, 12, 20)
    for bad in ("02-29", "13-01", "12-32", "1220", "12/20", "aa-bb"):
        with pytest.raises(ValueError):
            MonthDay.parse(bad)
