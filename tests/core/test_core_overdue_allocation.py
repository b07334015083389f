"""Overdue, penalty and compound interest, allocation and credit (DOMAIN.md §4), hand-computed.

The loan is the published one (6000 yuan at 5.65%, penalty rate 5.65% × 1.3 = 7.345%).
"""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from xuedai.core.allocation import Category, Owed, allocate, category_of
from xuedai.core.overdue import is_overdue, overdue_days, penalty_interest, penalty_rate
from xuedai.core.quote import quote

BASE: dict[str, Any] = {
    "annual_rate": "0.0565",
    "principal": "6000",
    "disbursed_on": "2018-09-01",
    "self_pay_from": "2019-09-01",
    "maturity": "2024-12-20",
    "principal_from": "2021-12-20",
}
ON_TIME_TO_2020 = [{"on": "2019-12-20", "amount": "103.58"}, {"on": "2020-12-20", "amount": "339.00"}]


def test_overdue_starts_at_the_end_of_the_due_day() -> None:
    due = date(2021, 12, 20)
    assert not is_overdue(due, due)
    assert is_overdue(due, date(2021, 12, 21))
    assert overdue_days(due, date(2021, 12, 21)) == 1
    assert overdue_days(due, date(2022, 1, 20)) == 31
    assert overdue_days(due, date(2021, 12, 1)) == 0


def test_penalty_rate_and_single_penalty() -> None:
    assert penalty_rate(Decimal("0.0565")) == Decimal("0.07345")
    assert penalty_rate(Decimal("0.0565"), Decimal("1.5")) == Decimal("0.08475")
    # 1500 × 0.07345 × 31 / 360 = 9.4872… → 9.49
    assert penalty_interest(
        Decimal(1500), Decimal("0.0565"), date(2021, 12, 20), date(2022, 1, 20)
    ) == Decimal("9.49")
    # misuse: 1500 × 0.08475 × 31 / 360 = 10.946… → 10.95
    assert penalty_interest(
        Decimal(1500), Decimal("0.0565"), date(2021, 12, 20), date(2022, 1, 20), Decimal("1.5")
    ) == Decimal("10.95")
    assert penalty_interest(Decimal(1500), Decimal("0.0565"), date(2021, 12, 20), date(2021, 12, 20)) == 0


def test_statement_after_a_missed_2021_settlement() -> None:
    # Due 20 Dec 2021: 339.00 interest + 1500 principal, unpaid. On 20 Jan 2022 (31 days):
    # penalty 1500 × 0.07345 × 31/360 = 9.487… → 9.49; compound 339 × 0.07345 × 31/360 = 2.144… → 2.14.
    answer = quote({**BASE, "payments": ON_TIME_TO_2020, "as_of": "2022-01-20"})
    assert answer["as_of"] == {
        "outstanding_principal": "6000.00",
        "overdue_principal": "1500.00",
        "overdue_interest": "339.00",
        "penalty_interest": "11.63",
        "overdue_days": 31,
        "grade_seed": "次级",
        "grade_2023": "关注",
        "credit": "0.00",
    }


def test_paying_everything_owed_clears_the_arrears() -> None:
    payments = [*ON_TIME_TO_2020, {"on": "2022-01-20", "amount": "1850.63"}]  # 1500 + 339 + 11.63
    state = quote({**BASE, "payments": payments, "as_of": "2022-01-20"})["as_of"]
    assert state["overdue_principal"] == state["overdue_interest"] == state["penalty_interest"] == "0.00"
    assert state["outstanding_principal"] == "4500.00"
    assert state["grade_2023"] == "正常"
    # The overdue did not break the normal-interest stretch: 2022 interest is still 4500 × 5.65%.
    later = quote({**BASE, "payments": payments, "as_of": "2022-12-20"})
    assert later["settlements"][-1]["borrower_interest"] == "254.25"


def test_a_part_payment_goes_penalty_first_then_interest_then_principal() -> None:
    # 1000 on 20 Jan 2022 pays 11.63 penalty, 339.00 interest and 649.37 principal; 850.63 stays
    # overdue and accrues 850.63 × 0.07345 × 31/360 = 5.380… → 5.38 by 20 Feb 2022.
    payments = [*ON_TIME_TO_2020, {"on": "2022-01-20", "amount": "1000"}]
    state = quote({**BASE, "payments": payments, "as_of": "2022-02-20"})["as_of"]
    assert state["overdue_principal"] == "850.63"
    assert state["overdue_interest"] == "0.00"
    assert state["penalty_interest"] == "5.38"
    assert state["overdue_days"] == 62  # still counted from the oldest unpaid due date
    assert state["outstanding_principal"] == "5350.63"  # 6000 − 649.37


def test_penalty_is_charged_at_each_payment_and_rounded_then() -> None:
    # Two small payments: each one charges (and rounds) the penalty accrued so far.
    payments = [*ON_TIME_TO_2020, {"on": "2022-01-20", "amount": "5"}, {"on": "2022-02-20", "amount": "5"}]
    state = quote({**BASE, "payments": payments, "as_of": "2022-02-20"})["as_of"]
    # 20 Jan: charged 9.49 + 2.14 = 11.63, 5 paid → 6.63 penalty left, 339 interest overdue.
    # 20 Feb: 1500 × 0.07345 × 31/360 = 9.49 and 339 × … = 2.14 again → 6.63 + 11.63 − 5 = 13.26.
    assert state["penalty_interest"] == "13.26"
    assert state["overdue_interest"] == "339.00"


def test_an_overpayment_waits_as_credit_and_pays_the_next_dues() -> None:
    payments = [{"on": "2019-12-01", "amount": "500"}]
    before = quote({**BASE, "payments": payments, "as_of": "2019-12-10"})["as_of"]
    assert before["credit"] == "500.00"
    assert before["outstanding_principal"] == "6000.00"  # credit is not an early repayment
    after_2020 = quote({**BASE, "payments": payments, "as_of": "2020-12-21"})["as_of"]
    assert after_2020["credit"] == "57.42"  # 500 − 103.58 − 339.00
    assert after_2020["overdue_days"] == 0
    # 20 Dec 2021 owes 339 + 1500; 57.42 credit pays interest first → 281.58 interest overdue.
    # 1 day later: penalty 1500 × 0.07345/360 = 0.306 → 0.31; compound 281.58 × 0.07345/360 → 0.06.
    after_2021 = quote({**BASE, "payments": payments, "as_of": "2021-12-21"})["as_of"]
    assert after_2021 == {
        "outstanding_principal": "6000.00",
        "overdue_principal": "1500.00",
        "overdue_interest": "281.58",
        "penalty_interest": "0.37",
        "overdue_days": 1,
        "grade_seed": "次级",
        "grade_2023": "关注",
        "credit": "0.00",
    }


def test_amounts_due_on_the_as_of_day_are_not_overdue_yet() -> None:
    state = quote({**BASE, "payments": ON_TIME_TO_2020, "as_of": "2021-12-20"})["as_of"]
    assert state["overdue_principal"] == "0.00"
    assert state["overdue_days"] == 0
    assert state["grade_seed"] == "正常"


def test_misuse_multiplier_raises_the_penalty() -> None:
    state = quote({**BASE, "payments": ON_TIME_TO_2020, "as_of": "2022-01-20", "penalty_multiplier": "1.5"})[
        "as_of"
    ]
    # 1500 × 0.08475 × 31/360 = 10.95; 339 × 0.08475 × 31/360 = 2.474… → 2.47
    assert state["penalty_interest"] == "13.42"


# -- the allocation function itself ---------------------------------------------------------------


def test_allocation_order_within_one_contract() -> None:
    on = date(2022, 12, 20)
    owed = [
        Owed("principal", date(2022, 12, 20), Decimal("1500"), ref=1),  # due today
        Owed("interest", date(2022, 12, 20), Decimal("254.25"), ref=2),  # due today
        Owed("principal", date(2021, 12, 20), Decimal("1500"), ref=3),  # overdue
        Owed("interest", date(2021, 12, 20), Decimal("339"), ref=4),  # overdue
        Owed("compound", date(2022, 12, 20), Decimal("2"), ref=5),
        Owed("penalty", date(2022, 12, 20), Decimal("100"), ref=6),
        Owed("principal", date(2023, 12, 20), Decimal("1500"), ref=7),  # not due yet: untouched
    ]
    result = allocate(Decimal("10000"), owed, on)
    assert [item.ref for item, _ in result.paid] == [6, 5, 4, 3, 2, 1]
    assert result.leftover == Decimal("10000") - Decimal("3695.25")
    assert category_of("interest", date(2021, 12, 20), on) is Category.OVERDUE_INTEREST


def test_overdue_principal_is_paid_oldest_first() -> None:
    on = date(2023, 1, 1)
    owed = [
        Owed("principal", date(2022, 12, 20), Decimal("100"), ref=1),
        Owed("principal", date(2021, 12, 20), Decimal("100"), ref=2),
    ]
    result = allocate(Decimal("150"), owed, on)
    assert [(item.ref, amount) for item, amount in result.paid] == [(2, Decimal(100)), (1, Decimal(50))]
    assert result.leftover == 0


def test_across_contracts_interest_of_every_contract_before_any_principal() -> None:
    # 先收息、后还本: the newer contract's overdue interest is paid before the older one's principal.
    on = date(2023, 1, 1)
    old, new = 0, 1
    owed = [
        Owed("principal", date(2022, 12, 20), Decimal("1000"), contract_rank=old, ref=1),
        Owed("interest", date(2022, 12, 20), Decimal("50"), contract_rank=new, ref=2),
        Owed("interest", date(2022, 12, 20), Decimal("60"), contract_rank=old, ref=3),
        Owed("principal", date(2022, 12, 20), Decimal("1000"), contract_rank=new, ref=4),
    ]
    result = allocate(Decimal("1200"), owed, on)
    assert [(item.ref, amount) for item, amount in result.paid] == [
        (3, Decimal(60)),
        (2, Decimal(50)),
        (1, Decimal(1000)),
        (4, Decimal(90)),
    ]


def test_allocation_refuses_a_negative_payment() -> None:
    with pytest.raises(ValueError):
        allocate(Decimal(-1), [], date(2022, 1, 1))
