"""How a version's parameters are grouped and shown in Chinese (detail page and form).

Kept apart from the views so the detail page and the "新增政策版本" form list the same fields in
the same order, and a field added to the model without a place here is caught by a test.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .models import PolicyVersion
from .regions import region_label

SECTIONS: list[tuple[str, list[str]]] = [
    ("基本信息", ["product", "region_code", "effective_from", "name", "source"]),
    ("贷款金额", ["amount_min", "amount_max_undergraduate", "amount_max_graduate", "amount_multiple"]),
    ("贷款期限", ["term_rule", "term_min_years", "term_max_years", "term_years_after_study", "grace_years",
              "max_extensions"]),
    ("利率与计息", ["rate_kind", "fixed_rate", "lpr_spread_bp", "rate_applies_to_existing", "interest_basis",
               "self_pay_rule"]),
    ("结息与还款", ["settlement_day", "final_settlement_day", "repayment_day", "deposit_days_before",
               "early_repayment_rule", "early_repayment_notice_days", "early_repayment_notice_working_days",
               "transit_grace_working_days"]),
    ("罚息", ["penalty_multiplier", "misuse_penalty_multiplier"]),
    ("共同借款人与担保", ["co_borrower_required", "co_borrower_min_age", "co_borrower_max_age",
                  "co_borrower_same_county", "co_borrower_age_applies_to_parents",
                  "co_borrower_no_unpaid_loan", "guarantee_required"]),
    ("风险与额度", ["classification_rule", "risk_fund_rate", "risk_fund_finance_share",
               "risk_fund_university_share", "quota_rule", "quota_student_share",
               "quota_amount_per_student"]),
]

_PERCENT_FIELDS = {"fixed_rate", "risk_fund_rate", "risk_fund_finance_share", "risk_fund_university_share",
                   "quota_student_share"}
_YUAN_FIELDS = {"amount_min", "amount_max_undergraduate", "amount_max_graduate", "amount_multiple",
                "quota_amount_per_student"}
_UNITS = {"term_min_years": "年", "term_max_years": "年", "term_years_after_study": "年", "grace_years": "年",
          "max_extensions": "次", "lpr_spread_bp": "个基点", "deposit_days_before": "天",
          "early_repayment_notice_days": "天", "transit_grace_working_days": "个工作日",
          "co_borrower_min_age": "周岁", "co_borrower_max_age": "周岁"}
# What a blank means, field by field (a blank is a rule too, not a missing value).
_BLANK = {"amount_max_undergraduate": "不设上限(银行审批)", "amount_max_graduate": "不设上限(银行审批)",
          "term_max_years": "由贷款银行确定", "term_years_after_study": "—", "fixed_rate": "—",
          "lpr_spread_bp": "—", "quota_student_share": "—", "quota_amount_per_student": "—"}


def label(field: str) -> str:
    return str(PolicyVersion._meta.get_field(field).verbose_name)


def display(version: PolicyVersion, field: str) -> str:
    value: Any = getattr(version, field)
    model_field = PolicyVersion._meta.get_field(field)
    if field == "region_code":
        return region_label(value) + (f"（{value}）" if value else "")
    if value is None or value == "":
        return _BLANK.get(field, "—")
    if model_field.choices:
        return str(getattr(version, f"get_{field}_display")())
    if isinstance(value, bool):
        return "是" if value else "否"
    if field in _PERCENT_FIELDS:
        return f"{Decimal(value) * 100:.2f}%"
    if field in _YUAN_FIELDS:
        return f"{Decimal(value):,.2f} 元"
    if field.endswith("multiplier"):
        return f"{Decimal(value) * 100:.0f}%（合同利率的{Decimal(value).normalize()}倍）"
    if field == "effective_from":
        return f"{value:%Y年%m月%d日}"
    return f"{value}{_UNITS.get(field, '')}"


def sections(version: PolicyVersion) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(title, [(label(f), display(version, f)) for f in fields]) for title, fields in SECTIONS]
