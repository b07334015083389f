"""Writes of policy versions and LPRs. A version is never edited: a new notice is a new row.

ARCHITECTURE principle 5 and DOMAIN.md §1: contracts keep the version they were signed under, so
rewriting a version would silently change signed contracts. There is therefore no update or delete
service; the unique (product, region, effective_from) constraint turns a second version for the
same day into a clear Chinese message rather than a database error.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from xuedai.audit.services import audit_record
from xuedai.orgs.models import Role

from .models import LprRate, PolicyVersion
from .regions import region_label

# Fields a caller may set; id, created_at and created_by belong to the service.
VERSION_FIELDS = [f.name for f in PolicyVersion._meta.concrete_fields
                  if f.name not in {"id", "created_at", "created_by"}]


def can_manage_policies(user: Any) -> bool:
    """Only system administrators add versions and LPRs (DOMAIN.md §1)."""
    return bool(user and (user.is_superuser or user.has_role(Role.ADMIN)))


def _require_admin(actor: Any) -> None:
    if not can_manage_policies(actor):
        raise PermissionDenied("只有系统管理员可以新增政策版本或LPR。")


def _duplicate_message(fields: dict) -> str:
    existing = PolicyVersion.objects.filter(product=fields.get("product"),
                                            region_code=fields.get("region_code", ""),
                                            effective_from=fields.get("effective_from")).first()
    name = f"「{existing.name}」" if existing else ""
    return (f"{region_label(fields.get('region_code', ''))}该产品在{fields.get('effective_from')}已有政策版本"
            f"{name}。已发布的政策版本不能修改；如政策调整，请以新的生效日期新增版本。")


@transaction.atomic(durable=True)
def policy_version_create(*, actor: Any, **fields: Any) -> PolicyVersion:
    """Add a version; old versions stay exactly as they were. Audit-logged.

    Raises PermissionDenied for non-administrators and ValidationError (Chinese messages, keyed by
    field) for invalid or duplicate versions.
    """
    _require_admin(actor)
    unknown = set(fields) - set(VERSION_FIELDS)
    if unknown:
        raise ValidationError(f"未知的政策参数：{', '.join(sorted(unknown))}")
    fields.setdefault("region_code", "")
    version = PolicyVersion(**fields, created_by=actor if getattr(actor, "pk", None) else None)
    # Checked before the insert so the message names the existing version; the constraint still
    # guards a concurrent insert below.
    if PolicyVersion.objects.filter(product=version.product, region_code=version.region_code,
                                    effective_from=version.effective_from).exists():
        raise ValidationError({"effective_from": _duplicate_message(fields)})
    version.full_clean(validate_constraints=False)
    _check_rules(version)
    try:
        with transaction.atomic():
            version.save(force_insert=True)
    except IntegrityError as exc:
        raise ValidationError({"effective_from": _duplicate_message(fields)}) from exc
    audit_record(actor=actor, action="policy_version.create", obj=version,
                 after={name: getattr(version, name) for name in VERSION_FIELDS})
    return version


def _month_day_error(text: str) -> str | None:
    """"12-20" is a day of every year; "12/20", "02-30" or "12-20-2024" are not."""
    try:
        dt.date(2001, *(int(part) for part in text.split("-", 1)))  # 2001: a non-leap year
    except (TypeError, ValueError):
        return "请按“月-日”填写，如 12-20（不可用2月29日）。"
    return None if len(text) == 5 else "请按“月-日”两位数填写，如 09-20。"


def _check_rules(version: PolicyVersion) -> None:
    """The numbers each rule needs, in Chinese (the rate part mirrors the check constraints)."""
    errors = {}
    for name in ("settlement_day", "final_settlement_day", "repayment_day"):
        if message := _month_day_error(getattr(version, name)):
            errors[name] = message
    if version.rate_kind == "fixed" and version.fixed_rate is None:
        errors["fixed_rate"] = "固定利率规则须填写固定年利率。"
    if version.rate_kind == "lpr_minus" and version.lpr_spread_bp is None:
        errors["lpr_spread_bp"] = "LPR减点规则须填写减点数(基点)。"
    if version.fixed_rate is not None and not Decimal("0") <= version.fixed_rate < Decimal("1"):
        errors["fixed_rate"] = "年利率以小数填写，如 6.55% 填 0.06550。"
    if version.risk_fund_finance_share + version.risk_fund_university_share > 1:
        errors["risk_fund_university_share"] = "财政与高校承担比例之和不能超过1。"
    if version.co_borrower_min_age > version.co_borrower_max_age:
        errors["co_borrower_max_age"] = "共同借款人最高年龄不能低于最低年龄。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic(durable=True)
def lpr_rate_create(*, actor: Any, effective_from, one_year: Decimal, five_year_plus: Decimal) -> LprRate:
    """Record a newly published LPR (fractions: 3.50% → 0.0350). Published values are not edited."""
    _require_admin(actor)
    if LprRate.objects.filter(effective_from=effective_from).exists():
        raise ValidationError({"effective_from": f"{effective_from}的LPR已录入，已公布的LPR不能修改。"})
    for name, value in (("one_year", one_year), ("five_year_plus", five_year_plus)):
        if not Decimal("0") < value < Decimal("0.2"):
            raise ValidationError({name: "LPR以小数填写，如 3.50% 填 0.0350。"})
    rate = LprRate.objects.create(effective_from=effective_from, one_year=one_year,
                                  five_year_plus=five_year_plus)
    audit_record(actor=actor, action="lpr_rate.create", obj=rate,
                 after={"effective_from": effective_from, "one_year": one_year,
                        "five_year_plus": five_year_plus})
    return rate
