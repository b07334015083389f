"""还款计划变更 and further study (展期, 就学信息变更) — DOMAIN.md §4 Principal plan, Further study;
seed [000 七] (专升本: apply for the 就学信息变更 with the admission letter before 1 August).

The student applies (maker); staff approve (checker). The new self-pay start is computed with the
engine's rule (core.subsidy.self_pay_start, the contract's policy rule) and shown before the student
confirms. Approval writes self_pay_from / maturity_date onto the contract (loans.terms reads them)
and records an approved plan's instalments as a loans terms change (loans.services.terms_changes;
latest decision wins), which loans.terms — the ledger's and the calculator's terms — reads.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xuedai.audit.services import audit_record
from xuedai.core.daycount import MonthDay, add_years
from xuedai.core.schedule import Instalment, PlanError, settlement_dates, validate_plan
from xuedai.core.subsidy import self_pay_start
from xuedai.loans.models import TermsChangeKind
from xuedai.loans.services import terms_change_record
from xuedai.orgs.models import Role
from xuedai.origination.models import LIVE_STATES, Contract

from ..models import PlanChange, PlanChangeKind, RequestStatus
from .common import require
from .selfservice import check_evidence

K = PlanChangeKind
DECIDE_ROLES = (Role.OPERATOR, Role.SUPERVISOR, Role.UNIVERSITY_OFFICER)
LAST_EXTENSION_YEAR = 2014  # 展期 exists for campus contracts signed up to 2014 (DOMAIN.md §4)


def study_info_deadline(year: int) -> dt.date:
    """[000 七] 于8月1日前: the last day to apply is 1 August itself (read inclusively, as the
    early-repayment windows are)."""
    return dt.date(year, 8, 1)


def principal_not_yet_due(contract: Contract) -> Decimal:
    """Principal the ledger has not yet charged as due: the part a new plan may spread."""
    from django.db.models import Sum

    from xuedai.loans.models import Kind, Posting

    charged = Posting.objects.filter(account_id=contract.pk, kind=Kind.PRINCIPAL,
                                     reverses__isnull=True).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    return contract.amount - charged


def parse_instalments(rows) -> list[Instalment]:
    plan = []
    for index, (due, amount) in enumerate(rows):
        if not due and not amount:
            continue
        try:
            plan.append(Instalment(dt.date.fromisoformat(str(due)), Decimal(str(amount))))
        except (ValueError, InvalidOperation) as exc:
            raise ValidationError(f"第 {index + 1} 期的日期或金额格式不对（日期如 2027-12-20）") from exc
    return plan


def check_plan(contract: Contract, plan: list[Instalment], today: dt.date) -> list[Instalment]:
    """core.schedule.validate_plan over the settlements still to come; errors name the instalment."""
    policy = contract.policy_version
    dates = settlement_dates(contract.disbursed_on, contract.maturity_date,
                             MonthDay.parse(policy.settlement_day))
    future = [d for d in dates if d > today]
    try:
        return validate_plan(plan, principal_not_yet_due(contract), future,
                             first_allowed=future[0] if future else None)
    except PlanError as exc:
        raise ValidationError(exc.message_zh) from exc


def preview(contract: Contract, kind: str, new_graduation: dt.date | None) -> dict:
    """What approval would change, for the page to show before the student confirms."""
    out = {"old_self_pay_from": contract.self_pay_from, "new_self_pay_from": None, "new_maturity": None}
    if kind in (K.EXTENSION, K.STUDY_INFO) and new_graduation:
        out["new_self_pay_from"] = self_pay_start(new_graduation, contract.policy_version.self_pay_rule)
        if kind == K.EXTENSION and contract.borrower.graduation_date:
            years = max(0, new_graduation.year - contract.borrower.graduation_date.year)
            out["new_maturity"] = add_years(contract.maturity_date, years)
    return out


@transaction.atomic(durable=True)
def plan_change_apply(*, actor, contract: Contract, kind: str, on: dt.date, instalments=(),
                      new_graduation: dt.date | None = None, admission_letter=None) -> PlanChange:
    if contract.state not in LIVE_STATES:
        raise ValidationError("只有未结清的已发放合同可以变更还款计划")
    if contract.plan_changes.filter(status=RequestStatus.PENDING).exists():
        raise ValidationError("该合同已有待审核的变更申请")
    plan = []
    if kind == K.PLAN:
        plan = check_plan(contract, list(instalments), on)
    elif kind in (K.EXTENSION, K.STUDY_INFO):
        old_campus = contract.product == "campus" and contract.academic_year <= LAST_EXTENSION_YEAR
        if kind == K.EXTENSION and not old_campus:
            raise ValidationError("展期只适用于 2014 年及以前签订的校园地国家助学贷款；"
                                  "请改为申请还款计划变更或就学信息变更")
        if kind == K.STUDY_INFO:
            deadline = study_info_deadline(on.year)
            if on > deadline:
                raise ValidationError(f"已过 {deadline:%Y年%-m月%-d日} 的就学信息变更期限，不能再申请；"
                                      "贴息不会延长，你须按期偿还已产生的自付利息")
        old = contract.borrower.graduation_date
        if new_graduation is None or (old and new_graduation <= old):
            raise ValidationError("请填写升学后的预计毕业日期（应晚于原毕业日期）")
        if admission_letter is None:
            raise ValidationError("请上传录取通知书")
        check_evidence(admission_letter)
    else:
        raise ValidationError("请选择变更类型")
    figures = preview(contract, kind, new_graduation)
    change = PlanChange(contract=contract, kind=kind, applied_on=on, applied_by=actor,
                        instalments=[{"due": i.due.isoformat(), "amount": str(i.amount)} for i in plan],
                        new_graduation=new_graduation, old_self_pay_from=figures["old_self_pay_from"],
                        new_self_pay_from=figures["new_self_pay_from"], new_maturity=figures["new_maturity"])
    if admission_letter is not None:
        change.admission_letter.save(f"{contract.pk}.{admission_letter.name.rsplit('.', 1)[-1][:4].lower()}",
                                     admission_letter, save=False)
    change.save()
    audit_record(actor=actor, action="postloan.plan_change_apply", obj=change, subject=contract,
                 after={"kind": kind, "instalments": change.instalments,
                        "new_self_pay_from": change.new_self_pay_from})
    return change


@transaction.atomic(durable=True)
def plan_change_decide(*, actor, change: PlanChange, approve: bool, note: str = "") -> PlanChange:
    require(actor, DECIDE_ROLES, "只有县资助中心或高校贷款经办人可以审核还款计划变更")
    change = PlanChange.objects.select_for_update(of=("self",)).get(pk=change.pk)
    if change.status != RequestStatus.PENDING:
        raise ValidationError("该申请已审核")
    if change.applied_by_id == actor.pk:
        raise PermissionDenied("申请人不能审核自己的申请")
    contract = Contract.objects.select_for_update(of=("self",)).get(pk=change.contract_id)
    before = {"self_pay_from": contract.self_pay_from, "maturity_date": contract.maturity_date}
    if approve:
        fields = []
        if change.new_self_pay_from:
            contract.self_pay_from = change.new_self_pay_from
            fields.append("self_pay_from")
        if change.new_maturity:
            contract.maturity_date = change.new_maturity
            fields.append("maturity_date")
        if fields:
            contract.save(update_fields=fields)
        if change.kind == PlanChangeKind.PLAN and change.instalments:
            terms_change_record(actor=actor, contract=contract, kind=TermsChangeKind.CHOSEN_PLAN,
                                instalments=[Instalment(dt.date.fromisoformat(i["due"]), Decimal(i["amount"]))
                                             for i in change.instalments],
                                source=f"还款计划变更 #{change.pk}")
    change.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    change.decided_by, change.decided_at, change.decision_note = actor, timezone.now(), note[:200]
    change.save()
    audit_record(actor=actor, action="postloan.plan_change_decide", obj=change, subject=contract,
                 before=before, after={"status": change.status, "self_pay_from": contract.self_pay_from,
                                       "maturity_date": contract.maturity_date})
    return change

