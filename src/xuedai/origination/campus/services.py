"""Campus loan writes (DOMAIN.md §3.2): the application, the 公示 and its objections, the effects of
each row of CAMPUS_TRANSITIONS (registered with services.transitions), and disbursement's plan.

Every state change goes through services.transitions; the functions here add the data a step needs
(an objection, a date) and the rules that may refuse it, in Chinese, citing the seed.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from xuedai import businessdate
from xuedai.borrowers.models import Borrower
from xuedai.orgs.models import Organisation, OrgKind, User
from xuedai.policies.products import Product

from .. import rules as common_rules
from ..models import ENDED_STATES, CampusFile, Contract, Instalment, NoticeObjection, Payee
from ..numbering import next_contract_numbers
from ..services.contracts import signing_terms
from ..services.disbursement import mark_paid_out
from ..services.transitions import check_actor, contract_row, contract_transition, effect
from ..services.transitions import contracts_create as insert_contracts
from ..workflow import IllegalTransition
from . import rules
from .quota import quota_error
from .workflow import CAMPUS_TRANSITIONS

CAMPUS = Product.CAMPUS
PAPERS = (
    ("id_card_copy", "身份证复印件"),
    ("student_card_copy", "学生证复印件"),
    ("parents_commitment", "家长承诺书"),
    ("poverty_certificate", "民政部门家庭经济困难证明"),
)


def university_of(actor: User) -> Organisation:
    org = actor.organisation
    if org is not None and org.kind == OrgKind.DEPARTMENT:
        org = org.parent
    if org is None or org.kind != OrgKind.UNIVERSITY:
        raise IllegalTransition("只有高校(院系)人员可以录入校园地贷款申请。")
    return org


def campus_terms(university: Organisation, on: dt.date):
    return signing_terms(CAMPUS, university.region_code, on)


def one_per_year_error(borrower: Borrower, year: int, exclude_pk: int | None = None) -> str | None:
    """One contract per student per academic year, signed each year [002 (三)][003 第十五条]."""
    taken = (
        Contract.objects.filter(borrower=borrower, academic_year=year, product=CAMPUS)
        .exclude(state__in=ENDED_STATES)
        .exclude(pk=exclude_pk)
    )
    if taken.exists():
        return f"{borrower.name}{year}学年已有校园地贷款申请或合同，每名学生每学年只能签订一份借款合同。"
    return None


@transaction.atomic(durable=True)
def campus_apply(
    *,
    actor: User,
    borrower: Borrower,
    amount: Decimal,
    tuition: Decimal = Decimal(0),
    accommodation: Decimal = Decimal(0),
    term_years: int | None = None,
    comment: str = "",
    **papers: bool,
) -> Contract:
    """申请审批表 entered by the loan office or the department [003 第十一条]: amount within the signing
    version's per-student limit, one per year, the four papers ticked as handed in."""
    check_actor(actor, CAMPUS_TRANSITIONS["create"])
    university = university_of(actor)
    if borrower.university_id != university.pk:
        raise IllegalTransition(f"{borrower.name}不是{university.name}的学生。")
    today = businessdate.today()
    year = common_rules.academic_year_of(today)
    policy, rate = campus_terms(university, today)
    term = term_years or common_rules.default_term(policy, borrower, year)
    errors = [
        e
        for e in (
            common_rules.amount_rule(policy, Decimal(amount), borrower),
            common_rules.term_rule(policy, term, borrower, year),
            one_per_year_error(borrower, year),
        )
        if e
    ]
    if errors:
        raise ValidationError(errors)
    contract = Contract(
        contract_no=next_contract_numbers(university, "XY", year)[0],
        borrower=borrower,
        product=CAMPUS,
        academic_year=year,
        policy_version=policy,
        university=university,
        department_id=borrower.department_id,
        amount=amount,
        tuition=tuition,
        accommodation=accommodation,
        annual_rate=rate,
        term_years=term,
        applied_on=today,
        maturity_date=common_rules.maturity_of(policy, year, term),
        self_pay_from=common_rules.self_pay_from(policy, borrower),
        created_by=actor,
    )
    insert_contracts([contract], actor=actor, comment=comment or "录入申请审批表")
    CampusFile.objects.create(contract=contract, **{k: bool(papers.get(k)) for k, _ in PAPERS})
    return contract


def missing_papers(file: CampusFile) -> list[str]:
    return [label for name, label in PAPERS if not getattr(file, name)]


@effect(CAMPUS, "dept_review")
def _dept_review(*, contract, **_):
    """The department checks the papers and opens the 5-day notice [003 第十一、十二条]."""
    file = contract.campus_file
    if missing := missing_papers(file):
        raise IllegalTransition(f"申请材料不全，缺：{'、'.join(missing)}（[003] 第十一条）。")
    file.notice_start, file.notice_end = rules.notice_period(businessdate.today())
    file.save(update_fields=["notice_start", "notice_end"])
    return f"公示期 {file.notice_start:%Y-%m-%d} 至 {file.notice_end:%Y-%m-%d}"


@effect(CAMPUS, "object")
def _object(*, actor, contract, raised_by: str = "", content: str = "", **_):
    if not raised_by.strip() or not content.strip():
        raise IllegalTransition("请填写异议人和异议内容。")
    NoticeObjection.objects.create(
        contract=contract,
        raised_on=businessdate.today(),
        raised_by=raised_by.strip()[:60],
        content=content.strip()[:300],
        recorded_by=actor,
    )
    return f"异议人：{raised_by.strip()}；内容：{content.strip()}"


@effect(CAMPUS, "resolve")
def _resolve(*, actor, contract, objection_id=None, resolution: str = "", **_):
    objection = contract.notice_objections.filter(pk=objection_id, resolved_on__isnull=True).first()
    if objection is None:
        raise IllegalTransition("没有找到该未处理的异议。")
    if not resolution.strip():
        raise IllegalTransition("请填写处理结果。")
    objection.resolution, objection.resolved_on, objection.resolved_by = (
        resolution.strip()[:300],
        businessdate.today(),
        actor,
    )
    objection.save()
    return f"异议「{objection.content[:30]}」处理结果：{objection.resolution}"


@effect(CAMPUS, "office_review")
def _office_review(*, contract, **_):
    file = contract.campus_file
    open_count = contract.notice_objections.filter(resolved_on__isnull=True).count()
    if problem := rules.office_review_error(file.notice_end, open_count, businessdate.today()):
        raise IllegalTransition(problem)


@effect(CAMPUS, "office_send")
def _office_send(*, contract, **_):
    file = contract.campus_file
    file.sent_on = businessdate.today()
    file.save(update_fields=["sent_on"])


@effect(CAMPUS, "resubmit")
def _resubmit(*, contract, **_):
    CampusFile.objects.filter(contract=contract).update(sent_on=None, forwarded_on=None)


@effect(CAMPUS, "province_forward")
def _province_forward(*, contract, **_):
    """Recorded with its clock; a late forward is shown as late, not refused (the bank still needs it)."""
    file, today = contract.campus_file, businessdate.today()
    file.forwarded_on = today
    file.save(update_fields=["forwarded_on"])
    return rules.clock(
        "省教贷办转送", file.sent_on or today, rules.PROVINCE_WORKING_DAYS, today, done_on=today
    ).text


@effect(CAMPUS, "bank_approve")
def _bank_approve(*, contract, **_):
    """≤ the per-student limit of the signing version, and the university within its granted quota."""
    if problem := common_rules.amount_rule(contract.policy_version, contract.amount, contract.borrower):
        raise IllegalTransition(problem)
    if problem := quota_error(contract):
        raise IllegalTransition(problem)
    file, today = contract.campus_file, businessdate.today()
    file.approved_on = today
    file.save(update_fields=["approved_on"])
    return rules.clock(
        "银行审批", file.forwarded_on or today, rules.BANK_WORKING_DAYS, today, done_on=today
    ).text


@effect(CAMPUS, "sign")
def _sign(*, contract, **_):
    if problem := one_per_year_error(contract.borrower, contract.academic_year, exclude_pk=contract.pk):
        raise IllegalTransition(problem)
    contract.signed_on = businessdate.today()


def instalment_plan(contract: Contract, on: dt.date) -> list[Instalment]:
    """Fees of the academic year to the university on the day (受托支付); the rest monthly."""
    fees = min(contract.amount, contract.tuition + contract.accommodation)
    plan = [(on, Payee.UNIVERSITY, fees)] if fees > 0 else []
    plan += [
        (day, Payee.STUDENT, amount)
        for day, amount in rules.living_schedule(contract.amount - fees, contract.academic_year, on)
    ]
    return [
        Instalment(
            contract=contract,
            sequence=n,
            due_on=day,
            payee=payee,
            amount=amount,
            paid_on=on if day <= on else None,
        )
        for n, (day, payee, amount) in enumerate(plan, start=1)
    ]


@effect(CAMPUS, "disburse")
def _disburse(*, contract, on, **_):
    Instalment.objects.bulk_create(instalment_plan(contract, on))
    mark_paid_out(contract, on)
    return "学费住宿费按学年付高校账户；生活费按月付学生账户（2月、8月不发放）"


def campus_act(*, actor: User, contract: Contract, action: str, comment: str = "", **data) -> Contract:
    return contract_transition(actor=actor, contract=contract, action=action, comment=comment, **data)


__all__ = ["campus_act", "campus_apply", "contract_row"]
