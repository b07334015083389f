"""Contacts with graduate borrowers and 失联 hand-over to the county [000 九; DOMAIN.md §5].

A contact whose result is 失联 raises the lost-contact flag at once: the seed asks universities to
help the county centre find lost students, and the county can only trace whom it knows about. That
holds for every role that records contacts — a department, the university's loan office, a county
operator tracing the borrower, and the bank's staff keeping collection records (DOMAIN.md §5 "The
bank keeps collection records"; issue 10 item 6) — so each one's 失联 contact raises it.

The flag also sets 关注 on the borrower's contracts that still owe (reason 失联, [004 第七条 (二)]:
repaying only "通过催收或采用其他措施"; issue 10 item 1), through the quarter's designation service
and its audit entries (reports.quarter.designations.lost_contact_designate, registered in
postloan.lost_contact_hooks by the reports app: postloan does not import reports).

Found again: a contact that reaches the borrower (ContactResult.reached(): someone answered, as the
quarterly coverage and the default list count it [003 第二十八条 "不与高校机构主动联系"]) resolves the
open flag as 已找到 — the trace [000 九 "查找失联学生"] is over — exactly as the county's trace result
does, and either way the 失联 designations are withdrawn from that day: the reason they were set
no longer holds. The quarter already submitted keeps its grade (a locked 认定表 is never changed);
a borrower still overdue stays at least 关注 by the days (2023 rule) or by a designation of another
reason set by hand.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from xuedai import businessdate
from xuedai.audit.services import audit_record
from xuedai.borrowers.models import Borrower
from xuedai.orgs.models import User

from .. import lost_contact_hooks
from ..models import ContactChannel, ContactLog, ContactResult, LostContactFlag, LostContactStatus
from .common import CONTACT_ROLES, TRACE_ROLES, UNIVERSITY_SIDE, raise_errors, require


def _date(value, label: str, errors: dict, key: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors[key] = f"{label}：请按 年-月-日 填写，如 2026-11-20。"
        return None


@transaction.atomic(durable=True)
def contact_record(*, actor: User, borrower: Borrower, data: dict) -> ContactLog:
    """Log one contact. Fields: contacted_on (default today), channel, result, note, next_step,
    next_contact_on. A 失联 result also flags the borrower for the county."""
    require(actor, CONTACT_ROLES, "您的角色不能登记联系记录。")
    today = businessdate.today()
    errors: dict[str, str] = {}
    contacted_on = _date(data.get("contacted_on"), "联系日期", errors, "contacted_on") or today
    next_on = _date(data.get("next_contact_on"), "下次联系日期", errors, "next_contact_on")
    if contacted_on > today:
        errors["contacted_on"] = "联系日期：不能晚于今天（业务日期）。"
    if next_on and next_on < contacted_on:
        errors["next_contact_on"] = "下次联系日期：不能早于本次联系日期。"
    channel, result = data.get("channel", ""), data.get("result", "")
    if channel not in ContactChannel.values:
        errors["channel"] = "联系方式：请选择电话、短信、微信、QQ、上门或信函。"
    if result not in ContactResult.values:
        errors["result"] = "联系结果：请选择一项。"
    note = (data.get("note") or "").strip()
    if result == ContactResult.LOST and not note:
        errors["note"] = "情况说明：标记失联时请写明已尝试的联系方式，便于县资助中心查找。"
    raise_errors(errors)
    log = ContactLog.objects.create(
        borrower=borrower, contacted_on=contacted_on, channel=channel, result=result, note=note[:500],
        next_step=(data.get("next_step") or "").strip()[:200], next_contact_on=next_on, staff=actor)
    audit_record(actor=actor, action="contact_record", obj=log, subject=borrower,
                 after={"联系日期": contacted_on.isoformat(), "联系方式": log.get_channel_display(),
                        "联系结果": log.get_result_display(), "情况说明": log.note,
                        "下次联系日期": next_on.isoformat() if next_on else ""})
    if result == ContactResult.LOST:
        _flag_raise(actor=actor, borrower=borrower, reason=note)
    elif result in ContactResult.reached():
        open_flag = LostContactFlag.objects.filter(borrower=borrower, status=LostContactStatus.OPEN).first()
        if open_flag is not None:
            _flag_resolve(actor=actor, flag=open_flag, found=True,
                          resolution=f"{contacted_on.isoformat()} {log.get_channel_display()}"
                                     f"{log.get_result_display()}（联系记录）")
    return log


@transaction.atomic
def lost_contact_flag(*, actor: User, borrower: Borrower, reason: str) -> LostContactFlag:
    """Hand a lost borrower to the county centre by hand (the university side's button); a second
    flag while one is open changes nothing. Other roles flag by recording a 失联 contact."""
    require(actor, UNIVERSITY_SIDE, "只有高校或院系经办人可以标记失联。")
    return _flag_raise(actor=actor, borrower=borrower, reason=reason)


def _flag_raise(*, actor: User, borrower: Borrower, reason: str) -> LostContactFlag:
    if not (reason or "").strip():
        raise ValidationError({"reason": ["失联情况：请写明已尝试的联系方式。"]})
    existing = LostContactFlag.objects.filter(borrower=borrower, status=LostContactStatus.OPEN).first()
    if existing is not None:
        return existing
    flag = LostContactFlag.objects.create(
        borrower=borrower, county=borrower.county, university=borrower.university,
        department=borrower.department, raised_on=businessdate.today(), raised_by=actor,
        reason=reason.strip()[:300])
    audit_record(actor=actor, action="lost_contact_flag", obj=flag, subject=borrower,
                 after={"失联情况": flag.reason, "移交": str(borrower.county or borrower.university or "")})
    lost_contact_hooks.lost(actor=actor, borrower_id=borrower.pk, note=f"失联标记：{flag.reason}"[:300])
    return flag


@transaction.atomic(durable=True)
def lost_contact_resolve(*, actor: User, flag: LostContactFlag, found: bool, resolution: str
                         ) -> LostContactFlag:
    """The county's trace result (or the university closing a flag when the student calls back)."""
    if not (actor.has_role(*TRACE_ROLES, *UNIVERSITY_SIDE) or actor.is_superuser):
        raise PermissionDenied("您的角色不能处理失联标记。")
    return _flag_resolve(actor=actor, flag=flag, found=found, resolution=resolution)


def _flag_resolve(*, actor: User, flag: LostContactFlag, found: bool, resolution: str) -> LostContactFlag:
    if not (resolution or "").strip():
        raise ValidationError({"resolution": ["查找结果：请写明找到的联系方式或查找经过。"]})
    flag = LostContactFlag.objects.select_for_update(of=("self",)).get(pk=flag.pk)
    if flag.status != LostContactStatus.OPEN:
        raise ValidationError("该失联标记已处理。")
    flag.status = LostContactStatus.FOUND if found else LostContactStatus.CLOSED
    flag.resolution = resolution.strip()[:300]
    flag.resolved_by, flag.resolved_on = actor, businessdate.today()
    flag.save(update_fields=["status", "resolution", "resolved_by", "resolved_on"])
    audit_record(actor=actor, action="lost_contact_resolve", obj=flag, subject=flag.borrower,
                 before={"状态": LostContactStatus.OPEN.label},
                 after={"状态": flag.get_status_display(), "查找结果": flag.resolution})
    if found:
        lost_contact_hooks.found(actor=actor, borrower_id=flag.borrower_id,
                                 note=f"已找到：{flag.resolution}"[:300])
    return flag
