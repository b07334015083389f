"""The university's yearly loan quota (DOMAIN.md §3.2; [003 第八、九条], [003 合作协议 第十一条]).

The university requests by 5 September; the province office grants by 25 September. The request is
capped by the policy rule (share of enrolled students × amount per student), and the bank may not
approve beyond what was granted: approval is refused with the figures, so the office knows how much
room is left.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from xuedai import businessdate
from xuedai.audit.services import audit_record
from xuedai.orgs.models import Organisation, OrgKind, Role, User
from xuedai.policies.products import Product

from .. import rules as common_rules
from ..models import Contract, ContractState, UniversityQuota
from ..workflow import IllegalTransition
from . import rules

COUNTED = [
    ContractState.QUALIFIED,
    ContractState.APPROVED,
    ContractState.DISBURSED,
    ContractState.REPAYING,
    ContractState.OVERDUE,
    ContractState.SETTLED,
]
PROVINCE_KINDS = {OrgKind.PROVINCE_CENTRE, OrgKind.PROVINCE_LOAN_OFFICE}


def approved_total(university_id: int, year: int, exclude_pk: int | None = None) -> Decimal:
    """What the bank has approved for a university's year: qualified, signed, disbursed and later."""
    return Contract.objects.filter(
        university_id=university_id, academic_year=year, product=Product.CAMPUS, state__in=COUNTED
    ).exclude(pk=exclude_pk).aggregate(s=Sum("amount"))["s"] or Decimal(0)


def yuan(value) -> str:
    return f"{Decimal(value):,.2f}"


def quota_error(contract: Contract) -> str | None:
    """Refuse an approval that would take the university past its granted quota. Example: granted
    100,000, approved 96,000, this one 6,000 → "超出…额度：已下达100,000.00元，已审批96,000.00元…"."""
    policy = contract.policy_version
    quota = UniversityQuota.objects.filter(
        university_id=contract.university_id, academic_year=contract.academic_year
    ).first()
    if quota is None or quota.granted_amount is None:
        if policy.quota_rule == "none" and quota is None:
            return None  # the version sets no quota and the province has not issued one
        who = f"{contract.university}{contract.academic_year}学年"
        return f"{who}的贷款额度尚未下达，暂不能审批（[003] 第九条）。"
    used = approved_total(contract.university_id, contract.academic_year, exclude_pk=contract.pk)
    if used + contract.amount > quota.granted_amount:
        room = max(quota.granted_amount - used, Decimal(0))
        return (
            f"审批后将超出{contract.university}{contract.academic_year}学年的贷款额度：已下达"
            f"{yuan(quota.granted_amount)}元，已审批{yuan(used)}元，剩余{yuan(room)}元，本笔"
            f"{yuan(contract.amount)}元，不能审批（[003] 第九条、合作协议第十一条）。"
        )
    return None


def _cap_error(university: Organisation, year: int, enrolled: int, amount: Decimal) -> str | None:
    from .services import campus_terms

    policy, _ = campus_terms(university, businessdate.today())
    cap = rules.quota_cap(policy, enrolled)
    if cap is not None and amount > cap:
        return (
            f"额度不得超过在校生{enrolled}人 × {policy.quota_student_share:.0%} × "
            f"{yuan(policy.quota_amount_per_student)}元 = {yuan(cap)}元（{policy.name}）。"
        )
    return None


@transaction.atomic(durable=True)
def quota_request(
    *, actor: User, enrolled_students: int, amount: Decimal, academic_year: int | None = None
) -> UniversityQuota:
    """The loan office asks for the year's quota [003 第八条]; asking again replaces an ungranted request."""
    from .services import university_of

    if not actor.has_role(Role.UNIVERSITY_OFFICER):
        raise IllegalTransition("额度申请须由高校经办人办理。")
    university = university_of(actor)
    today = businessdate.today()
    year = academic_year or common_rules.academic_year_of(today)
    amount = Decimal(amount)
    if enrolled_students <= 0 or amount <= 0:
        raise IllegalTransition("在校学生人数和申请额度须大于0。")
    if problem := _cap_error(university, year, enrolled_students, amount):
        raise IllegalTransition(problem)
    quota = (
        UniversityQuota.objects.select_for_update(of=("self",))
        .filter(university=university, academic_year=year).first()
    )
    if quota is not None and quota.granted_amount is not None:
        raise IllegalTransition(f"{year}学年额度已于{quota.granted_on:%Y-%m-%d}下达，不能再修改申请。")
    before = {"requested_amount": quota.requested_amount} if quota is not None else {}
    quota = quota or UniversityQuota(university=university, academic_year=year)
    quota.enrolled_students, quota.requested_amount = enrolled_students, amount
    quota.requested_on, quota.requested_by = today, actor
    quota.save()
    audit_record(actor=actor, action="campus.quota_request", obj=quota, before=before,
                 after={"academic_year": year, "enrolled_students": enrolled_students,
                        "requested_amount": amount})
    return quota


@transaction.atomic(durable=True)
def quota_grant(*, actor: User, quota: UniversityQuota, amount: Decimal) -> UniversityQuota:
    """The province office issues the quota [003 第九条], within the policy cap; at least what is
    already approved, so no approval is left outside it."""
    org = actor.organisation
    if org is None or org.kind not in PROVINCE_KINDS or not actor.has_role(Role.OPERATOR, Role.SUPERVISOR):
        raise IllegalTransition("额度须由省教贷办(省资助中心)下达。")
    if not quota.university.path.startswith(org.path):
        raise IllegalTransition("该高校不在您的数据范围内。")
    quota = UniversityQuota.objects.select_for_update(of=("self",)).select_related("university") \
        .get(pk=quota.pk)
    amount = Decimal(amount)
    if problem := _cap_error(quota.university, quota.academic_year, quota.enrolled_students, amount):
        raise IllegalTransition(problem)
    used = approved_total(quota.university_id, quota.academic_year)
    if amount < used:
        raise IllegalTransition(f"下达额度不能少于已审批金额{yuan(used)}元。")
    quota.granted_amount, quota.granted_on, quota.granted_by = amount, businessdate.today(), actor
    quota.save()
    audit_record(actor=actor, action="campus.quota_grant", obj=quota,
                 after={"academic_year": quota.academic_year, "granted_amount": amount})
    return quota


def quota_status(quota: UniversityQuota) -> dict:
    """For the quota page: dates with their deadlines, and the room left."""
    used = approved_total(quota.university_id, quota.academic_year)
    return {
        "quota": quota,
        "used": used,
        "room": (quota.granted_amount - used) if quota.granted_amount is not None else None,
        "request_late": rules.quota_late(quota.requested_on, quota.academic_year, rules.QUOTA_REQUEST_BY),
        "grant_late": bool(
            quota.granted_on and rules.quota_late(quota.granted_on, quota.academic_year, rules.QUOTA_GRANT_BY)
        ),
    }
