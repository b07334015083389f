"""Early repayment (window and interest by actual days) and relief programmes (DOMAIN.md §1, §4)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from xuedai.core.classification import Grade
from xuedai.core.early_repayment import early_repayment_deduction_date
from xuedai.core.engine import simulate
from xuedai.core.relief import ReliefProgramme, apply_relief, default_plan_with_relief, defer_year_principal
from xuedai.core.schedule import Instalment, default_principal_plan, settlement_dates
from xuedai.core.subsidy import Period
from xuedai.core.terms import EarlyRepayment, LoanTerms, Payment


@pytest.mark.parametrize(
    ("applied", "deducted"),
    [
        (date(2024, 1, 1), date(2024, 1, 20)),
        (date(2024, 3, 15), date(2024, 3, 20)),
        (date(2024, 3, 16), date(2024, 4, 20)),
        (date(2024, 9, 16), date(2024, 10, 20)),
        (date(2024, 10, 15), date(2024, 10, 20)),
        (date(2024, 10, 16), date(2024, 12, 20)),
        (date(2024, 11, 30), date(2024, 12, 20)),
        (date(2024, 12, 15), date(2024, 12, 20)),
        (date(2024, 12, 16), date(2025, 1, 20)),
    ],
)
def test_policy_deduction_dates(applied: date, deducted: date) -> None:
    assert early_repayment_deduction_date(applied, "policy") == deducted


@pytest.mark.parametrize(
    ("applied", "deducted"),
    [
        (date(2012, 1, 1), date(2012, 1, 20)),
        (date(2012, 10, 10), date(2012, 10, 20)),
        (date(2012, 3, 11), None),
        (date(2012, 11, 5), None),
        (date(2012, 12, 1), None),
    ],
)
def test_seed_deduction_dates(applied: date, deducted: date | None) -> None:
    assert early_repayment_deduction_date(applied, "seed") == deducted


def test_unknown_early_repayment_rules() -> None:
    with pytest.raises(ValueError):
        early_repayment_deduction_date(date(2024, 1, 1), "bank")  # type: ignore[arg-type]


def _published_terms() -> LoanTerms:
    dates = settlement_dates(date(2018, 9, 1), date(2024, 12, 20))
    return LoanTerms(
        principal=Decimal(6000),
        disbursed_on=date(2018, 9, 1),
        annual_rate=Decimal("0.0565"),
        maturity=date(2024, 12, 20),
        borrower_periods=(Period(date(2019, 9, 1)),),
        principal_plan=tuple(default_principal_plan(Decimal(6000), date(2021, 12, 20), dates)),
    )


ON_TIME = [
    Payment(date(2019, 12, 20), Decimal("103.58")),
    Payment(date(2020, 12, 20), Decimal("339.00")),
    Payment(date(2021, 12, 20), Decimal("1839.00")),
    Payment(date(2022, 12, 20), Decimal("1754.25")),
]


def test_partial_early_repayment_interest_by_actual_days() -> None:
    # 20 Mar 2023 (applied by 15 Mar): 3000 × 5.65% × 90/360 = 42.375 → 42.38 plus 1500 principal.
    # The last instalment (2024) goes; 20 Dec 2023: 1500 × 5.65% × 275/360 = 64.74 + 1500. No fee.
    payments = [
        *ON_TIME,
        Payment(date(2023, 3, 20), Decimal("1542.38")),
        Payment(date(2023, 12, 20), Decimal("1564.74")),
    ]
    result = simulate(
        _published_terms(), date(2025, 1, 1), payments, [EarlyRepayment(date(2023, 3, 20), Decimal(1500))]
    )
    (outcome,) = result.early_repayments
    assert outcome.done and outcome.interest == Decimal("42.38") and outcome.principal == Decimal(1500)
    rows = [(r.on, r.kind, r.borrower_interest, r.principal_due) for r in result.settlements[-2:]]
    assert rows == [
        (date(2023, 3, 20), "early_repayment", Decimal("42.38"), Decimal(1500)),
        (date(2023, 12, 20), "settlement", Decimal("64.74"), Decimal(1500)),
    ]
    state = result.state  # repaid in full on 20 Dec 2023: no 2024 settlement at all
    assert state.outstanding_principal == 0
    assert state.overdue_principal == 0 and state.credit == 0 and state.grade_seed is Grade.NORMAL


def test_full_early_repayment_closes_the_contract() -> None:
    payments = [*ON_TIME, Payment(date(2023, 3, 20), Decimal("3042.38"))]
    result = simulate(_published_terms(), date(2025, 1, 1), payments, [EarlyRepayment(date(2023, 3, 20))])
    assert result.early_repayments[0].done
    assert result.settlements[-1].on == date(2023, 3, 20)  # nothing left to settle afterwards
    assert result.state.outstanding_principal == 0
    assert result.state.credit == 0


def test_a_failed_deduction_changes_nothing_and_the_money_waits_as_credit() -> None:
    payments = [*ON_TIME, Payment(date(2023, 3, 20), Decimal("1000"))]
    result = simulate(
        _published_terms(), date(2023, 12, 20), payments, [EarlyRepayment(date(2023, 3, 20), Decimal(1500))]
    )
    (outcome,) = result.early_repayments
    assert not outcome.done and "余额不足" in outcome.reason_zh
    last = result.settlements[-1]
    assert (last.on, last.borrower_interest, last.principal_due) == (
        date(2023, 12, 20),
        Decimal("169.50"),
        Decimal(1500),
    )
    # the 1000 credit paid 169.50 + 830.50 of the 1500 due on 20 Dec 2023
    assert result.state.due_today == Decimal("669.50")
    assert result.state.credit == 0


def test_early_repayment_is_refused_with_arrears_or_at_maturity() -> None:
    # 2021's dues unpaid and only 1000 paid in on the deduction day: arrears remain → refused.
    late = [*ON_TIME[:2], Payment(date(2022, 3, 20), Decimal("1000"))]
    result = simulate(_published_terms(), date(2022, 3, 20), late, [EarlyRepayment(date(2022, 3, 20))])
    assert not result.early_repayments[0].done
    assert "逾期" in result.early_repayments[0].reason_zh
    at_maturity = simulate(_published_terms(), date(2025, 1, 1), (), [EarlyRepayment(date(2024, 12, 20))])
    assert not at_maturity.early_repayments[0].done


# -- relief ---------------------------------------------------------------------------------------


def test_enough_money_clears_the_arrears_first_then_repays_early() -> None:
    # On 20 Mar 2022 (90 days after the missed 20 Dec 2021): arrears 339 + 1500, penalty
    # 1500 × 0.07345 × 90/360 = 27.54, compound 339 × 0.07345 × 90/360 = 6.22; interest on the
    # remaining 4500 for 90 days = 63.5625 → 63.56; principal 4500. Total 6436.32.
    money = [*ON_TIME[:2], Payment(date(2022, 3, 20), Decimal("6436.32"))]
    result = simulate(_published_terms(), date(2022, 3, 20), money, [EarlyRepayment(date(2022, 3, 20))])
    assert result.early_repayments[0].done
    assert result.early_repayments[0].interest == Decimal("63.56")
    assert result.state.outstanding_principal == 0
    assert result.state.credit == 0
    assert result.state.penalty_interest == 0


def test_defer_year_principal_merges_and_extends() -> None:
    plan = [Instalment(date(y, 12, 20), Decimal(1500)) for y in (2021, 2022, 2023, 2024)]
    moved, maturity = defer_year_principal(plan, 2022, date(2024, 12, 20))
    assert [(i.due.year, i.amount) for i in moved] == [
        (2021, Decimal(1500)),
        (2023, Decimal(3000)),
        (2024, Decimal(1500)),
    ]
    assert maturity == date(2024, 12, 20)
    moved, maturity = defer_year_principal(plan, 2024, date(2024, 12, 20))
    assert maturity == date(2025, 12, 20) and moved[-1] == Instalment(date(2025, 12, 20), Decimal(1500))


def test_relief_waives_the_years_interest_and_old_penalty() -> None:
    # Missed 2021 entirely; the 2022 programme applied 1 Jul 2022 waives the penalty accrued so far
    # and the interest settled on 20 Dec 2022 (254.25 → waived).
    terms = apply_relief(_published_terms(), ReliefProgramme(2022, date(2022, 7, 1)))
    result = simulate(terms, date(2022, 7, 1), ON_TIME[:2])
    assert result.state.penalty_interest == 0
    assert result.state.penalty_waived > 0
    assert result.state.overdue_principal == 1500  # the arrears themselves are not waived
    row_2022 = simulate(terms, date(2022, 12, 20), ON_TIME[:3]).settlements[-1]
    assert (row_2022.borrower_interest, row_2022.waived_interest) == (Decimal(0), Decimal("254.25"))


def test_deferred_principal_is_not_overdue_and_not_downgraded() -> None:
    base = _published_terms()
    paid_interest_only = [*ON_TIME[:3], Payment(date(2022, 12, 20), Decimal("254.25"))]
    without = simulate(base, date(2023, 3, 1), paid_interest_only).state
    assert without.grade_seed is Grade.SUBSTANDARD and without.overdue_principal == 1500
    deferred = apply_relief(
        base, ReliefProgramme(2022, date(2022, 7, 1), waive_interest=False, defer_principal=True)
    )
    state = simulate(deferred, date(2023, 3, 1), paid_interest_only).state
    assert state.grade_seed is Grade.NORMAL and state.grade_2023 is Grade.NORMAL
    assert state.overdue_principal == 0 and state.penalty_interest == 0
    # the deferred 1500 keeps earning normal interest: 20 Dec 2023 is 4500 × 5.65% = 254.25
    row = simulate(deferred, date(2023, 12, 20), paid_interest_only).settlements[-1]
    assert (row.borrower_interest, row.principal_due) == (Decimal("254.25"), Decimal(3000))


def test_deferral_without_a_plan_moves_maturity() -> None:
    terms = replace(_published_terms(), principal_plan=())
    deferred = apply_relief(terms, ReliefProgramme(2024, date(2024, 7, 1), defer_principal=True))
    assert deferred.maturity == date(2025, 12, 20)
    assert deferred.principal_plan == (Instalment(date(2025, 12, 20), Decimal(6000)),)
    with_plan = default_plan_with_relief(
        terms, date(2021, 12, 20), [ReliefProgramme(2023, date(2023, 7, 1), defer_principal=True)]
    )
    assert [i.amount for i in with_plan.principal_plan] == [1500, 1500, 3000]
    assert 2023 in with_plan.interest_waived_years
