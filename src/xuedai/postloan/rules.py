"""Rules of the post-loan calendar (DOMAIN.md §5, §8; seed [000]). Plain functions, no queries.

Each check returns messages that name the field, so the student sees exactly what blocks the
graduation confirmation — the complaint DOMAIN.md §9 records ("blocked by missing fields").
"""

import datetime as dt
import re

from xuedai.borrowers.rules import mobile_error
from xuedai.core.deposits import next_deduction_day

from .models import EmploymentStatus

# [000 八]: "学校在当年6月30日前完成所有贷款毕业学生网上确认工作".
CONFIRMATION_DEADLINE = (6, 30)

QQ_RE = re.compile(r"^[1-9]\d{4,11}$")
# WeChat IDs: 6–20 characters, a letter first, then letters, digits, "_" or "-"; a bound mobile
# number is accepted too, since many students give that.
WECHAT_RE = re.compile(r"^([A-Za-z][-_A-Za-z0-9]{5,19}|1[3-9]\d{9})$")
POSTAL_RE = re.compile(r"^\d{6}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

BORROWER_KEYS = ("mobile", "email", "qq", "wechat", "address", "postal_code", "employer",
                 "employer_address", "employer_phone")
CO_BORROWER_KEYS = ("mobile", "address", "employer")
CONTACT_KEYS = ("name", "relation", "mobile", "address")


def confirmation_deadline(graduation_year: int) -> dt.date:
    return dt.date(graduation_year, *CONFIRMATION_DEADLINE)


def _blank(value) -> bool:
    return not (value or "").strip()


def confirmation_errors(proposed: dict, employment_status: str, co_borrower_names: dict[str, str]
                        ) -> dict[str, str]:
    """Every missing or malformed item of a graduation-confirmation application, by form field.

    Required, as [000 七] lists them: the student's mobile (Alipay texts the due date to it), the
    employer — or a stated 待业 / 升学 — address, an instant-messaging account (QQ or WeChat), each
    co-borrower's mobile, and an emergency contact with a mobile. Worked example: an employed
    student who leaves 工作单位 empty gets "工作单位：已就业请填写工作单位名称；未就业请选择“待业”。".
    """
    errors: dict[str, str] = {}
    b = proposed.get("borrower", {})
    if problem := mobile_error(b.get("mobile", ""), "本人手机号"):
        errors["mobile"] = problem if b.get("mobile") else "本人手机号：必填，还款提示短信发到此号码。"
    if _blank(b.get("address")):
        errors["address"] = "家庭住址：必填，请填写能收到信函的详细地址。"
    if b.get("email") and not EMAIL_RE.match(b["email"]):
        errors["email"] = "电子邮箱：格式不正确，如 zhangsan@example.com。"
    if b.get("postal_code") and not POSTAL_RE.match(b["postal_code"]):
        errors["postal_code"] = "邮编：应为6位数字。"
    qq, wechat = (b.get("qq") or "").strip(), (b.get("wechat") or "").strip()
    if not qq and not wechat:
        errors["qq"] = "QQ号或微信号：请至少填写一项，毕业后院系通过QQ群或微信联系。"
    if qq and not QQ_RE.match(qq):
        errors["qq"] = "QQ号：应为5–12位数字，且不以0开头。"
    if wechat and not WECHAT_RE.match(wechat):
        errors["wechat"] = "微信号：应为6–20位字母、数字、下划线或减号，以字母开头（或绑定的手机号）。"
    if employment_status not in EmploymentStatus.values:
        errors["employment_status"] = "就业状态：请选择“已就业”“待业”或“升学”。"
    elif employment_status == EmploymentStatus.EMPLOYED and _blank(b.get("employer")):
        errors["employer"] = "工作单位：已就业请填写工作单位名称；未就业请选择“待业”。"
    elif employment_status == EmploymentStatus.FURTHER_STUDY and _blank(b.get("employer")):
        errors["employer"] = "工作单位：升学请填写录取院校名称。"
    if b.get("employer_phone") and not re.match(r"^[\d\-]{7,20}$", b["employer_phone"]):
        errors["employer_phone"] = "单位电话：只能包含数字和“-”，7–20位。"
    for pk, values in proposed.get("co_borrowers", {}).items():
        label = f"共同借款人{co_borrower_names.get(str(pk), '')}的手机号"
        if problem := mobile_error(values.get("mobile", ""), label):
            errors[f"co_{pk}_mobile"] = problem if values.get("mobile") else f"{label}：必填。"
    c = proposed.get("contact", {})
    if _blank(c.get("name")):
        errors["contact_name"] = "紧急联系人姓名：必填（父母以外的亲友更好，便于失联时查找）。"
    if _blank(c.get("relation")):
        errors["contact_relation"] = "紧急联系人关系：必填。"
    if problem := mobile_error(c.get("mobile", ""), "紧急联系人手机号"):
        errors["contact_mobile"] = problem if c.get("mobile") else "紧急联系人手机号：必填。"
    elif c.get("mobile") == b.get("mobile"):
        errors["contact_mobile"] = "紧急联系人手机号：不能与本人手机号相同。"
    return errors


def employer_for_record(employment_status: str, employer: str) -> str:
    """What the borrower record's 工作单位 shows: the employer, the school for further study, or 待业."""
    employer = (employer or "").strip()
    if employment_status == EmploymentStatus.UNEMPLOYED:
        return "待业"
    if employment_status == EmploymentStatus.FURTHER_STUDY:
        return employer if employer.startswith("升学") else f"升学：{employer}"
    return employer


def quarter_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar quarter holding `day`, both ends included: 2026-11-20 → (2026-10-01, 2026-12-31).
    Departments contact every graduate borrower once a quarter [000 九]."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = dt.date(day.year, first_month, 1)
    end = (dt.date(day.year + 1, 1, 1) if first_month == 10 else dt.date(day.year, first_month + 3, 1))
    return start, end - dt.timedelta(days=1)


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    end = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return dt.date(year, month, 1), end - dt.timedelta(days=1)


# The deposit and re-deduction days are the loans' rule (core.deposits), one implementation.
next_rededuction_date = next_deduction_day
