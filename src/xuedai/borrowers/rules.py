"""Field rules for borrowers and co-borrowers (DOMAIN.md §1 co-borrower row).

Each check returns an error message naming the field, or None, so services can gather every
problem of a form in one pass and raise a single ValidationError keyed by field name.
"""

import datetime as dt
import re

from django.db.models import Q

from xuedai.identity.idnumbers import IdNumberError, clean_id_number
from xuedai.policies.products import Product
from xuedai.policies.selectors import PolicyNotFound, policy_for

from .models import Borrower, Relation

# 11-digit mainland mobile numbers: 13x–19x (China's numbering plan has no 10x–12x mobiles).
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
REGION_RE = re.compile(r"^\d{6}$")


def mobile_error(value: str, label: str = "手机号") -> str | None:
    if not MOBILE_RE.match(value or ""):
        return f"{label}应为11位手机号码(1开头，第二位为3–9)。"
    return None


def region_error(value: str, label: str = "户籍所在县代码") -> str | None:
    if not REGION_RE.match(value or ""):
        return f"{label}应为6位行政区划代码。"
    return None


def id_number_or_error(raw: str, label: str = "身份证号") -> tuple[str, str | None]:
    """(normalised number, None) or (raw, message); the message starts with the field's label."""
    try:
        return clean_id_number(raw), None
    except IdNumberError as exc:
        message = str(exc)
        if not message.startswith(label):
            message = f"{label}：{message}"
        return raw, message


def mask_name(name: str) -> str:
    """张三丰 → 张**: enough for an operator to recognise a person, not to identify a stranger."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def duplicate_borrower_error(id_number: str, *, exclude_pk: int | None = None) -> str | None:
    """A person is one borrower nationwide: the unique index would catch it, but with no useful
    message. The operator is told who holds the number (masked) and where, to call them."""
    existing = (Borrower.objects.filter(id_number=id_number).exclude(pk=exclude_pk)
                .select_related("county", "university").first())
    if existing is None:
        return None
    owner = existing.county or existing.university
    where = f"（所属 {owner.name}）" if owner else ""
    return f"该身份证号已登记为借款学生：姓名 {mask_name(existing.name)}{where}"


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Full years on `on`: someone born 1966-11-21 is 59 on 2026-11-20 and 60 the next day."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def current_policy(product: str, region_code: str, on: dt.date):
    """The policy version in force for a product in a region on a date, or None if none is."""
    try:
        return policy_for(product, region_code, on)
    except PolicyNotFound:
        return None


def co_borrower_errors(
    *, borrower: Borrower, id_number: str, birth_date: dt.date, relation: str,
    household_region_code: str, signed_on: dt.date, product: str = Product.HOME_COUNTY,
) -> dict[str, str]:
    """The policy's co-borrower rules ([001 附件二]; newer notices): age at signing, same county,
    parents exempt from age where the policy says so, no unpaid student loan where required.

    Worked example: under the 2012 version a father born 1965-06-01 is 61 on 2026-11-20 → refused;
    under a 2021+ version (age only for non-parents) the same father is accepted.
    """
    errors: dict[str, str] = {}
    if id_number == borrower.id_number:
        _put(errors, "id_number", "身份证号：共同借款人不能是借款学生本人。")
    policy = current_policy(product, borrower.household_region_code, signed_on)
    if policy is None:
        errors["__all__"] = f"未找到{signed_on:%Y-%m-%d}适用的政策版本，无法核对共同借款人条件。"
        return errors
    is_parent = relation in Relation.parents()
    if policy.co_borrower_age_applies_to_parents or not is_parent:
        age = age_on(birth_date, signed_on)
        low, high = policy.co_borrower_min_age, policy.co_borrower_max_age
        if not low <= age <= high:
            who = "共同借款人" if policy.co_borrower_age_applies_to_parents else "非父母的共同借款人"
            _put(errors, "id_number", f"身份证号：{who}在签约日({signed_on:%Y-%m-%d})须年满{low}周岁且"
                                      f"不超过{high}周岁，按身份证号计算为{age}周岁（{policy.name}）。")
    if policy.co_borrower_same_county and household_region_code != borrower.household_region_code:
        errors["household_region_code"] = (
            f"户籍所在县代码：共同借款人须与学生同县户籍({borrower.household_region_code})，"
            f"填写的是{household_region_code}。")
    if policy.co_borrower_no_unpaid_loan and has_unpaid_loan(id_number):
        _put(errors, "id_number", "身份证号：该共同借款人本人有未结清的国家助学贷款，不能担任共同借款人。")
    return errors


def _put(errors: dict[str, str], field: str, message: str) -> None:
    errors[field] = f"{errors[field]} {message}" if field in errors else message


def has_unpaid_loan(id_number: str) -> bool:
    """Whether the person with ``id_number`` owes on a student loan of their own: principal
    outstanding, or anything overdue (interest left after the principal is repaid). Read from the
    balances the ledger mirrors on each contract row (borrowers sits below origination, so by the
    figures, not by origination's state names; a written-off loan is still unpaid)."""
    owes = Q(contracts__outstanding_principal__gt=0) | Q(contracts__overdue_since__isnull=False)
    return Borrower.objects.filter(owes, id_number=id_number).exists()
