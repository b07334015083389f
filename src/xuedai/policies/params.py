"""A policy version as plain values, for the pure core and the batch kernels (no Django types).

`as_core_params` copies a PolicyVersion (or anything with the same attributes) into a frozen
dataclass of Decimal / int / str / bool / date, so `xuedai.core` never imports a model. The two
rule helpers below are the arithmetic of DOMAIN.md §1's amount and term rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any


def _month_day(text: str) -> tuple[int, int]:
    """"12-20" → (12, 20): settlement and repayment days are stored as month-day text."""
    month, day = text.split("-")
    return int(month), int(day)


@dataclass(frozen=True)
class PolicyParams:
    version_id: int | None
    name: str
    product: str
    region_code: str
    effective_from: date
    source: str
    amount_min: Decimal
    amount_max_undergraduate: Decimal | None  # None: no policy cap (the bank approves)
    amount_max_graduate: Decimal | None
    amount_multiple: Decimal
    term_rule: str
    term_min_years: int
    term_max_years: int | None
    term_years_after_study: int | None
    grace_years: int
    max_extensions: int
    rate_kind: str
    fixed_rate: Decimal | None
    lpr_spread_bp: int | None
    rate_applies_to_existing: bool
    interest_basis: str
    self_pay_rule: str
    settlement_day: tuple[int, int]
    final_settlement_day: tuple[int, int]
    repayment_day: tuple[int, int]
    deposit_days_before: int
    early_repayment_rule: str
    early_repayment_notice_days: int
    early_repayment_notice_working_days: bool
    penalty_multiplier: Decimal
    misuse_penalty_multiplier: Decimal
    transit_grace_working_days: int
    co_borrower_required: bool
    guarantee_required: bool
    co_borrower_min_age: int
    co_borrower_max_age: int
    co_borrower_same_county: bool
    co_borrower_age_applies_to_parents: bool
    co_borrower_no_unpaid_loan: bool
    classification_rule: str
    risk_fund_rate: Decimal
    risk_fund_finance_share: Decimal
    risk_fund_university_share: Decimal
    quota_rule: str
    quota_student_share: Decimal | None
    quota_amount_per_student: Decimal | None
    # Filled when the params come from effective_terms: the annual rate in force on that day
    # (classification_rule is then also the one in force that day, see selectors.effective_terms).
    annual_rate: Decimal | None = None


_DECIMAL_FIELDS = ("amount_min", "amount_multiple", "penalty_multiplier", "misuse_penalty_multiplier",
                   "risk_fund_rate", "risk_fund_finance_share", "risk_fund_university_share")
_OPTIONAL_DECIMAL_FIELDS = ("amount_max_undergraduate", "amount_max_graduate", "fixed_rate",
                            "quota_student_share", "quota_amount_per_student")
_PLAIN_FIELDS = ("name", "product", "region_code", "effective_from", "source", "term_rule",
                 "term_min_years", "term_max_years", "term_years_after_study", "grace_years",
                 "max_extensions", "rate_kind", "lpr_spread_bp", "rate_applies_to_existing",
                 "interest_basis", "self_pay_rule", "deposit_days_before", "early_repayment_rule",
                 "early_repayment_notice_days", "early_repayment_notice_working_days",
                 "transit_grace_working_days", "co_borrower_required", "guarantee_required",
                 "co_borrower_min_age", "co_borrower_max_age", "co_borrower_same_county",
                 "co_borrower_age_applies_to_parents", "co_borrower_no_unpaid_loan",
                 "classification_rule", "quota_rule")


def as_core_params(version: Any, *, annual_rate: Decimal | None = None,
                   classification_rule: str | None = None) -> PolicyParams:
    """Copy a version's parameters into plain values (choices as their codes, days as (m, d))."""
    values: dict[str, Any] = {name: getattr(version, name) for name in _PLAIN_FIELDS}
    values.update({name: Decimal(getattr(version, name)) for name in _DECIMAL_FIELDS})
    values.update({name: None if getattr(version, name) is None else Decimal(getattr(version, name))
                   for name in _OPTIONAL_DECIMAL_FIELDS})
    for name in ("settlement_day", "final_settlement_day", "repayment_day"):
        values[name] = _month_day(getattr(version, name))
    values["product"] = str(values["product"])
    if classification_rule is not None:
        values["classification_rule"] = classification_rule
    return PolicyParams(version_id=getattr(version, "pk", None), annual_rate=annual_rate, **values)


def amount_error(params: PolicyParams, amount: Decimal, *, graduate: bool = False) -> str | None:
    """The per-year amount rule of DOMAIN.md §1, as a Chinese message or None.

    Worked example: under the 2012 Sichuan version 6500 is refused ("不超过6000元") and 3050 too
    ("100元的整数倍"); under the 2024 version an undergraduate may borrow 20000.
    """
    cap = params.amount_max_graduate if graduate else params.amount_max_undergraduate
    who = "研究生" if graduate else "本专科生"
    if amount < params.amount_min:
        return f"贷款金额不得低于{params.amount_min:,.0f}元（{params.name}）。"
    if cap is not None and amount > cap:
        return f"{who}每学年贷款金额不超过{cap:,.0f}元（{params.name}）。"
    if params.amount_multiple and amount % params.amount_multiple:
        return f"贷款金额须为{params.amount_multiple:,.0f}元的整数倍（{params.name}）。"
    return None


def max_term_years(params: PolicyParams, *, remaining_study_years: int,
                   programme_years: int | None = None) -> int | None:
    """The longest term a contract may have, by the version's term rule (DOMAIN.md §1 term row).

    - seed_2012 [001 附件二]: ≤ 14 years and ≤ 10 years after graduation → min(14, remaining + 10).
    - campus_2007 [003 第十六条]: a 4-year programme ≤ 7 years, others scale → programme + 3.
    - study_plus (2020 on): remaining study years + 15, ≤ 22.
    - bank: None (the bank's approval).

    Worked example: a first-year undergraduate (4 years remaining) under 2012 Sichuan → 14;
    under 2020 national → 19; a Jilin 2007 4-year programme → 7.
    """
    if params.term_rule == "bank" or params.term_years_after_study is None:
        return None
    if params.term_rule == "campus_2007":
        # The 7-year cap is the 4-year case of "programme + 3", not a cap on longer programmes.
        return (programme_years or remaining_study_years) + params.term_years_after_study
    years = remaining_study_years + params.term_years_after_study
    return years if params.term_max_years is None else min(years, params.term_max_years)
