"""Plain dictionaries for the printed forms, read from a Contract's attributes.

Only attributes are read (borrower, co_borrower, county, university, amount, tuition, accommodation,
term_years, annual_rate, maturity_date, contract_no, academic_year …), with getattr defaults for the
ones added by later issues (is_renewal, arrears, archive_no, alipay_account), so the builders work
for any Contract — saved or not, this year's model or last year's — and the templates never touch
the ORM (no query is hidden in a template).
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .amounts import amount_in_words, money

ZERO = Decimal("0")


def cn_date(value: dt.date | None) -> str:
    """2024-09-01 → 2024年9月1日 (how the forms write dates); None → blank line for the pen."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def percent(rate: Decimal | None) -> str:
    """0.0655 → "6.55%"; 0.03475 → "3.475%" (never fewer than 2 decimals, never trailing zeros past)."""
    if rate is None:
        return ""
    value = (Decimal(rate) * 100).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    text = f"{value:f}".rstrip("0")
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}%"


def academic_year_label(year: int) -> str:
    return f"{year}—{year + 1}学年"


def display(obj: Any, field: str) -> str:
    """The Chinese label of a choice field (get_FOO_display) or the raw value."""
    getter = getattr(obj, f"get_{field}_display", None)
    return getter() if callable(getter) else str(getattr(obj, field, "") or "")


def fee_split(contract) -> dict[str, Decimal]:
    """Tuition and accommodation are paid to the university first, the rest is living expenses
    [001 二.7][002 (四)]: 6000 lent, 4500 tuition, 1200 accommodation → 300 living expenses."""
    amount = Decimal(contract.amount or 0)
    tuition = Decimal(getattr(contract, "tuition", 0) or 0)
    accommodation = Decimal(getattr(contract, "accommodation", 0) or 0)
    return {"tuition": tuition, "accommodation": accommodation,
            "living": max(amount - tuition - accommodation, ZERO)}


def person(p, *, kind: str) -> dict[str, str]:
    if p is None:
        return {"name": "", "id_number": "", "mobile": "", "address": "", "relation": "", "kind": kind,
                "gender": "", "birth_date": "", "employer": ""}
    return {
        "kind": kind,
        "name": p.name,
        "id_number": p.id_number,
        "mobile": getattr(p, "mobile", ""),
        "address": getattr(p, "address", ""),
        "relation": display(p, "relation") if hasattr(p, "relation") else "",
        "gender": display(p, "gender") if hasattr(p, "gender") else "",
        "birth_date": cn_date(getattr(p, "birth_date", None)),
        "employer": getattr(p, "employer", ""),
    }


def self_pay_from(contract) -> dt.date | None:
    """The contract's own date, or the 生源地 rule "毕业当年9月1日起自付利息" [001 附件四]."""
    stored = getattr(contract, "self_pay_from", None)
    if stored:
        return stored
    graduation = getattr(contract.borrower, "graduation_date", None)
    return dt.date(graduation.year, 9, 1) if graduation else None


def repayment_terms(contract) -> dict[str, Any]:
    """The 还款方式 paragraph's numbers from the contract's policy version (DOMAIN.md §1)."""
    policy = getattr(contract, "policy_version", None)
    month_day = getattr(policy, "repayment_day", "12-20") or "12-20"
    month, day = (int(x) for x in month_day.split("-"))
    # 1.30 → 130% of the contract rate [001 附件四]
    penalty = (Decimal(getattr(policy, "penalty_multiplier", None) or "1.30") * 100).normalize()
    return {
        "repayment_day": f"{month}月{day}日",
        "deposit_days_before": getattr(policy, "deposit_days_before", 0) or 0,
        "grace_years": getattr(policy, "grace_years", 0) or 0,
        "penalty_percent": f"{penalty:f}%",
        "self_pay_from": cn_date(self_pay_from(contract)),
    }


def lender_name(org) -> str:
    """The bank branch above the county centre (县 → 省中心 → 分行); "国家开发银行" when unknown."""
    for _ in range(6):  # the tree is at most a few levels deep; never loop on a bad parent chain
        if org is None:
            break
        if getattr(org, "kind", "") == "bank_branch":
            return org.name
        org = getattr(org, "parent", None)
    return "国家开发银行"


def contract_context(contract) -> dict[str, Any]:
    borrower = contract.borrower
    fees = fee_split(contract)
    university = getattr(contract, "university", None) or getattr(borrower, "university", None)
    county = getattr(contract, "county", None) or getattr(borrower, "county", None)
    amount = Decimal(contract.amount)
    return {
        "contract": contract,
        # An Application (the student's online form, before any contract) has no number, rate or
        # maturity yet: the application form prints from it with those left blank.
        "contract_no": getattr(contract, "contract_no", ""),
        "academic_year": contract.academic_year,
        "academic_year_label": academic_year_label(contract.academic_year),
        "is_renewal": bool(getattr(contract, "is_renewal", False)),
        "borrower": person(borrower, kind="借款学生"),
        "co_borrower": person(getattr(contract, "co_borrower", None), kind="共同借款人"),
        "student": {
            "university": getattr(university, "name", ""),
            "department": getattr(getattr(contract, "department", None) or getattr(borrower, "department",
                                                                                  None), "name", ""),
            "major": getattr(borrower, "major", ""),
            "student_no": getattr(borrower, "student_no", ""),
            "education_level": display(borrower, "education_level"),
            "enrolled_year": getattr(borrower, "enrolled_year", ""),
            "study_years": getattr(borrower, "study_years", ""),
            "graduation_date": cn_date(getattr(borrower, "graduation_date", None)),
            "ethnicity": getattr(borrower, "ethnicity", ""),
            "postal_code": getattr(borrower, "postal_code", ""),
        },
        "county_name": getattr(county, "name", ""),
        "lender_name": lender_name(county or university),
        "university_name": getattr(university, "name", ""),
        "amount": money(amount),
        "amount_words": amount_in_words(amount),
        "tuition": money(fees["tuition"]),
        "accommodation": money(fees["accommodation"]),
        "living": money(fees["living"]),
        "arrears": money(getattr(contract, "arrears", None)),
        "term_years": contract.term_years,
        "term_months": contract.term_years * 12,
        "annual_rate": percent(getattr(contract, "annual_rate", None)),
        "applied_on": cn_date(getattr(contract, "applied_on", None)
                              or getattr(contract, "submitted_on", None)),
        "signed_on": cn_date(getattr(contract, "signed_on", None)),
        "maturity_date": cn_date(getattr(contract, "maturity_date", None)),
        "alipay_account": getattr(contract, "alipay_account", "") or "",
        "archive_no": getattr(contract, "archive_no", None) or "",
        **repayment_terms(contract),
    }
