"""Creating, editing and checking 生源地 contracts at the county centre (DOMAIN.md §3.1 step 2).

新增合同 reads the student's online application; 从学生新增 takes a borrower the county already has
[001 附件三 三(一)1–2]. Both go through `contracts_create`, which checks every row against the rules
with a handful of queries and inserts with bulk_create, so turning 3,000 applications into contracts
is one request, all or nothing, with every refused row named.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xuedai import businessdate
from xuedai.borrowers.models import Borrower, CoBorrower
from xuedai.orgs.models import Organisation, OrgKind, User
from xuedai.policies.products import Product
from xuedai.policies.selectors import ContractParams, PolicyNotFound, effective_terms, policy_for

from .. import rules
from ..models import Application, ApplicationState, Contract, ContractState
from ..numbering import next_contract_numbers
from ..selectors import contract_scope
from ..workflow import HOME_COUNTY_TRANSITIONS, IllegalTransition
from .transitions import (
    applications_move,
    check_actor,
    contract_can,
    contract_note,
    contract_row,
    contracts_move,
    effect,
)
from .transitions import contracts_create as insert_contracts


@dataclass
class NewContract:
    """One contract to create; `application` set for 新增合同, None for 从学生新增."""

    borrower: Borrower
    co_borrower: CoBorrower | None
    amount: Decimal
    term_years: int | None = None  # None: the longest the policy allows
    tuition: Decimal = Decimal("0")
    accommodation: Decimal = Decimal("0")
    is_renewal: bool = False
    application: Application | None = None


def operator_county(actor: User) -> Organisation:
    check_actor(actor, HOME_COUNTY_TRANSITIONS["create"])
    org = actor.organisation
    if org is None or org.kind != OrgKind.COUNTY_CENTRE:
        raise IllegalTransition("只有县资助中心经办人可以新增生源地贷款合同。")
    return org


def signing_terms(product: str, region_code: str, on: dt.date):
    """(policy version, annual rate) a contract of ``product`` signed in ``region_code`` on ``on``
    gets; no policy in force is an IllegalTransition the operator sees."""
    try:
        policy = policy_for(product, region_code, on)
        rate = effective_terms(ContractParams(product=product, region_code=region_code, signed_on=on,
                                              version=policy), on).annual_rate
    except PolicyNotFound as exc:
        raise IllegalTransition(str(exc)) from None
    return policy, rate


def _row_errors(item: NewContract, *, county, policy, year, taken, refused, co_problems) -> list[str]:
    b = item.borrower
    errors = []
    if b.county_id != county.pk:
        errors.append(f"{b.name}的户籍不在{county.name}，生源地贷款须在户籍所在县办理。")
    if b.pk in refused:
        errors.append(rules.REFUSED.format(year=year))
    elif b.pk in taken:
        errors.append(rules.DUPLICATE_CONTRACT.format(year=year))
    if problem := rules.amount_rule(policy, item.amount, b):
        errors.append(problem)
    if problem := rules.term_rule(policy, item.term_years, b, year):
        errors.append(problem)
    if problem := co_problems.get(b.pk):
        errors.append(problem)
    if item.application is not None and item.application.state != ApplicationState.SUBMITTED:
        errors.append(f"申请#{item.application.pk}的状态为「{item.application.get_state_display()}」，不能再新增合同。")
    return errors


@transaction.atomic
def contracts_create(*, actor: User, items: list[NewContract], comment: str = "") -> list[Contract]:
    """Create contracts in state 已受理(待复核); all or nothing, ValidationError lists every bad row."""
    county = operator_county(actor)
    today = businessdate.today()
    year = rules.academic_year_of(today)
    if rules.year_locked(county, year):
        raise IllegalTransition(rules.locked_message(county, year))
    if problem := rules.acceptance_error(rules.season_of(county, year), today):
        raise IllegalTransition(problem)
    policy, rate = signing_terms(Product.HOME_COUNTY, county.region_code, today)
    for item in items:
        item.term_years = item.term_years or rules.default_term(policy, item.borrower, year)
    ids = [item.borrower.pk for item in items]
    taken, refused = rules.borrowers_with_contract(ids, year), rules.borrowers_refused(ids, year)
    # 从学生新增: a borrower who borrowed before renews (the online application says so itself).
    renewing = rules.renewing_borrowers(i.borrower.pk for i in items if i.application is None)
    for item in items:
        if item.application is None:
            item.is_renewal = item.borrower.pk in renewing
    co_problems = rules.co_borrower_problems(policy, [(i.borrower, i.co_borrower) for i in items], today)
    errors, seen = [], set()
    for n, item in enumerate(items, start=1):
        row = _row_errors(item, county=county, policy=policy, year=year, taken=taken, refused=refused,
                          co_problems=co_problems)
        if item.borrower.pk in seen:
            row.append("同一学生在本次新增中出现多次。")
        seen.add(item.borrower.pk)
        errors += [f"第{n}行（{item.borrower.name}）：{message}" for message in row]
    if errors:
        raise ValidationError(errors)
    numbers = next_contract_numbers(county, "SY", year, len(items))
    contracts = insert_contracts([Contract(
        contract_no=number, borrower=i.borrower, co_borrower=i.co_borrower, product=Product.HOME_COUNTY,
        academic_year=year, policy_version=policy, county=county,
        university_id=i.borrower.university_id, department_id=i.borrower.department_id, amount=i.amount,
        tuition=i.tuition, accommodation=i.accommodation,
        annual_rate=rate, term_years=i.term_years, applied_on=today,
        maturity_date=rules.maturity_of(policy, year, i.term_years),
        self_pay_from=rules.self_pay_from(policy, i.borrower), created_by=actor, is_renewal=i.is_renewal,
        alipay_account=rules.repayment_alipay_account(i.borrower, county),
        application=i.application) for number, i in zip(numbers, items, strict=True)],
        actor=actor, comment=comment or ("新增合同(在线申请)" if items[0].application else "从学生新增"))
    applications_move([i.application.pk for i in items if i.application is not None], actor=actor,
                      action="accept")
    return contracts


def new_contract_refusal(actor: User, borrower: Borrower) -> str | None:
    """Why ``actor`` cannot create this year's 生源地 contract for ``borrower`` from the borrower's
    page (从学生新增), "" when they can, None when the question does not arise (not a county
    operator). The same checks contracts_create makes, answered before the form is filled in."""
    try:
        county = operator_county(actor)
    except IllegalTransition:
        return None
    today = businessdate.today()
    year = rules.academic_year_of(today)
    if borrower.county_id != county.pk:
        return f"{borrower.name}的户籍不在{county.name}，生源地贷款须在户籍所在县办理。"
    if rules.year_locked(county, year):
        return rules.locked_message(county, year)
    if problem := rules.acceptance_error(rules.season_of(county, year), today):
        return problem
    if borrower.graduation_date and borrower.graduation_date < dt.date(year, 9, 1):
        return f"{borrower.name}已于{borrower.graduation_date:%Y年%-m月}毕业。"
    if problem := rules.one_per_year_error(borrower, year):
        return problem
    if rules.duplicate_application_error(borrower, year):
        return "该学生已在线申请本学年贷款：请在生源地贷款受理页勾选其在线申请后「新增合同」。"
    if not borrower.co_borrowers.filter(is_active=True).exists():
        return "请先在本页登记共同借款人。"
    return ""


def contracts_from_applications(*, actor: User, applications: list[Application]) -> list[Contract]:
    """新增合同 for many online applications at once (the operator ticks them in the worklist)."""
    return contracts_create(actor=actor, items=[NewContract(
        borrower=a.borrower, co_borrower=a.co_borrower, amount=a.amount, term_years=a.term_years,
        tuition=a.tuition, accommodation=a.accommodation, is_renewal=a.is_renewal, application=a)
        for a in applications])


EDITABLE = ("amount", "term_years", "co_borrower", "tuition", "accommodation")


@transaction.atomic(durable=True)
def contract_update(*, actor: User, contract: Contract, data: dict, comment: str = "") -> Contract:
    """修改合同 before the check, or after the bank returned it; the rules run again."""
    contract = Contract.objects.select_for_update(of=("self",)) \
        .select_related("borrower", "county", "policy_version") \
        .get(pk=contract.pk)
    contract_row(actor, contract, "edit")
    new = {name: data.get(name, getattr(contract, name)) for name in EDITABLE}
    policy, b = contract.policy_version, contract.borrower
    errors = [problem for problem in (
        rules.amount_rule(policy, Decimal(new["amount"]), b),
        rules.term_rule(policy, int(new["term_years"]), b, contract.academic_year),
        rules.co_borrower_problems(policy, [(b, new["co_borrower"])], businessdate.today()).get(b.pk),
    ) if problem]
    if errors:
        raise ValidationError(errors)
    changed = [name for name in EDITABLE if getattr(contract, name) != new[name]]
    before_values = {name: getattr(contract, name) for name in changed}
    for name in changed:
        setattr(contract, name, new[name])
    contract.maturity_date = rules.maturity_of(policy, contract.academic_year, contract.term_years)
    before = {name: before_values[name] for name in changed}
    contract.save()
    labels = {name: str(Contract._meta.get_field(name).verbose_name) for name in changed}
    contract_note(contract, action="edit", actor=actor,
                  comment=comment or ("修改：" + "、".join(labels.values()) if changed else "未修改"),
                  before=before, after={name: getattr(contract, name) for name in changed})
    return contract


@effect(Product.HOME_COUNTY, "check_approve")
def _check_approve(*, actor, contract, **_) -> None:
    contract.checked_by, contract.checked_at = actor, timezone.now()
    contract.signed_on = businessdate.today()


@effect(Product.HOME_COUNTY, "check_return")
def _check_return(*, comment, **_) -> None:
    if not comment:
        raise IllegalTransition("复核退回须填写需修改的内容。")


@transaction.atomic(durable=True)
def contracts_check(*, actor: User, contract_ids: list[int]) -> int:
    """负责人复核 many contracts at once; refused whole if any was entered by the checker."""
    row = HOME_COUNTY_TRANSITIONS["check_approve"]
    check_actor(actor, row)
    qs = contract_scope(actor).filter(pk__in=contract_ids, state=ContractState.APPLIED)
    ids = list(qs.values_list("pk", flat=True))
    if len(ids) != len(set(contract_ids)):
        raise IllegalTransition("所选合同中有不在待复核状态或不在您数据范围内的合同，请刷新后重试。")
    if qs.filter(created_by=actor).exists():
        raise IllegalTransition("所选合同中有您本人录入的合同：经办与复核须由不同人员办理。")
    for county_id, year in set(qs.values_list("county_id", "academic_year")):
        if rules.year_locked(county_id, year):
            raise IllegalTransition(rules.locked_message(Organisation.objects.get(pk=county_id), year))
    return contracts_move(ids, action="check_approve", actor=actor, checked_by=actor,
                          checked_at=timezone.now(), signed_on=businessdate.today())


can = contract_can

