"""Relief programmes (2022, 2023, 2024 policy notices): waive a year's interest, defer its principal.

DOMAIN.md §1 Relief programmes: for borrowers who had graduated, the year's interest (and old
penalty interest) was waived, and that year's principal could be deferred one year with no penalty;
deferred loans were not downgraded. Here a programme is a pure change of a contract's terms, so the
simulator needs no special case and a deferred instalment is simply not due — hence never overdue
and never downgraded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from xuedai.core.daycount import add_years
from xuedai.core.schedule import Instalment, default_principal_plan
from xuedai.core.terms import LoanTerms


@dataclass(frozen=True)
class ReliefProgramme:
    """One year's programme, applied to a contract on ``applied_on``."""

    year: int
    applied_on: date
    waive_interest: bool = True  # the borrower's interest settled in ``year``
    waive_penalty: bool = True  # penalty and compound interest accrued up to ``applied_on``
    defer_principal: bool = False  # the borrower asked to defer ``year``'s principal


def defer_year_principal(
    plan: Sequence[Instalment], year: int, maturity: date
) -> tuple[list[Instalment], date]:
    """Move every instalment due in ``year`` one year later; extend maturity if it moves past it.

    An instalment landing on a date that already has one is merged with it.

    Worked example: 1500 a year on 20 Dec 2021–2024, deferring 2022 → 1500 (2021), 3000 (2023),
    1500 (2024); deferring 2024 instead moves maturity to 20 Dec 2025.

    >>> from decimal import Decimal
    >>> plan = [Instalment(date(y, 12, 20), Decimal(1500)) for y in (2021, 2022, 2023, 2024)]
    >>> [(i.due.year, str(i.amount)) for i in defer_year_principal(plan, 2022, date(2024, 12, 20))[0]]
    [(2021, '1500'), (2023, '3000'), (2024, '1500')]
    """
    merged: dict[date, Instalment] = {}
    new_maturity = maturity
    for item in plan:
        due = add_years(item.due, 1) if item.due.year == year else item.due
        new_maturity = max(new_maturity, due)
        if due in merged:
            merged[due] = Instalment(due, merged[due].amount + item.amount)
        else:
            merged[due] = Instalment(due, item.amount)
    return sorted(merged.values()), new_maturity


def apply_relief(terms: LoanTerms, programme: ReliefProgramme) -> LoanTerms:
    """The contract's terms with ``programme`` applied (interest waiver, penalty waiver, deferral).

    When the contract has no explicit plan (everything due at maturity) and the maturity falls in
    the programme's year, deferral moves the maturity one year.
    """
    result = terms
    if programme.waive_interest:
        result = replace(result, interest_waived_years=result.interest_waived_years | {programme.year})
    if programme.waive_penalty:
        result = replace(result, penalty_waived_on=(*result.penalty_waived_on, programme.applied_on))
    if programme.defer_principal:
        plan = list(result.principal_plan)
        if not plan:
            plan = [Instalment(result.maturity, result.principal)]
        new_plan, new_maturity = defer_year_principal(plan, programme.year, result.maturity)
        result = replace(result, principal_plan=tuple(new_plan), maturity=new_maturity)
    return result


def default_plan_with_relief(
    terms: LoanTerms, first_due: date, programmes: Sequence[ReliefProgramme]
) -> LoanTerms:
    """Convenience: the default plan from ``first_due``, then each programme in year order."""
    plan = default_principal_plan(terms.principal, first_due, terms.settlement_dates())
    result = replace(terms, principal_plan=tuple(plan))
    for programme in sorted(programmes, key=lambda p: p.year):
        result = apply_relief(result, programme)
    return result
