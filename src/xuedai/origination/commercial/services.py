"""Commercial student loan writes (DOMAIN.md §3.3; [002]): the application with its guarantee and the
credit-query consent, the pre-loan investigation report, the effects of COMMERCIAL_TRANSITIONS,
prepayment notices (30 working days) and the single extension. Repayment itself is the loans app's:
"先收息、后还本" is its allocation order (core.allocation), the same for every product.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from xuedai import businessdate
from xuedai.borrowers.models import Borrower
from xuedai.orgs.models import User
from xuedai.policies.products import Product
from xuedai.policies.selectors import PolicyNotFound, policy_for
from xuedai.policies.working_days import add_working_days

from .. import rules as common_rules
from ..models import (
    LIVE_STATES,
    CommercialFile,
    Contract,
    Extension,
    Instalment,
    Payee,
    PrepaymentNotice,
)
from ..numbering import next_contract_numbers
from ..selectors import contract_scope
from ..services.disbursement import mark_paid_out
from ..services.transitions import check_actor, contract_note, effect
from ..services.transitions import contracts_create as insert_contracts
from ..workflow import IllegalTransition
from .workflow import COMMERCIAL_TRANSITIONS

COMMERCIAL = Product.COMMERCIAL


def _policy(borrower: Borrower, on: dt.date):
    try:
        return policy_for(COMMERCIAL, borrower.household_region_code, on)
    except PolicyNotFound as exc:
        raise IllegalTransition(str(exc)) from None


def guarantee_error(policy, kind: str, guarantor_name: str, collateral: str) -> str | None:
    """[002]: a commercial loan needs a guarantor, or collateral / a pledge (policy guarantee_required)."""
    if not policy.guarantee_required:
        return None
    if kind == "guarantor" and guarantor_name.strip():
        return None
    if kind in {"mortgage", "pledge"} and collateral.strip():
        return None
    return "商业助学贷款须提供保证人担保或抵(质)押物：请选择担保方式并填写保证人或抵(质)押物（[002]）。"


@transaction.atomic(durable=True)
def commercial_apply(
    *,
    actor: User,
    borrower: Borrower,
    amount: Decimal,
    term_years: int,
    guarantee_kind: str = "",
    guarantor_name: str = "",
    guarantor_id_number: str = "",
    collateral: str = "",
    credit_consent: bool = False,
    tuition: Decimal = Decimal(0),
    accommodation: Decimal = Decimal(0),
    **papers,
) -> Contract:
    """受理申请 at the bank branch, with the guarantee and the written credit-query consent."""
    check_actor(actor, COMMERCIAL_TRANSITIONS["create"])
    today = businessdate.today()
    policy = _policy(borrower, today)
    errors = [
        e
        for e in (
            guarantee_error(policy, guarantee_kind, guarantor_name, collateral),
            None if credit_consent else "须取得借款人书面征信查询授权(征信查询授权书)后才能受理。",
            None if Decimal(amount) > 0 else "申请金额须大于0。",
            None if int(term_years) > 0 else "贷款期限须大于0年。",
        )
        if e
    ]
    if errors:
        raise ValidationError(errors)
    year = common_rules.academic_year_of(today)
    contract = Contract(
        contract_no=next_contract_numbers(actor.organisation, "SD", year)[0],
        borrower=borrower,
        product=COMMERCIAL,
        academic_year=year,
        policy_version=policy,
        university_id=borrower.university_id,
        department_id=borrower.department_id,
        amount=amount,
        tuition=tuition,
        accommodation=accommodation,
        # The rate is the bank's, set by the investigation report (policy rate_kind "contract").
        annual_rate=Decimal(0),
        term_years=term_years,
        applied_on=today,
        maturity_date=common_rules.maturity_of(policy, year, int(term_years)),
        self_pay_from=today,
        created_by=actor,
    )
    insert_contracts([contract], actor=actor, comment="受理商业助学贷款申请")
    CommercialFile.objects.create(
        contract=contract,
        guarantee_kind=guarantee_kind,
        guarantor_name=guarantor_name,
        guarantor_id_number=guarantor_id_number,
        collateral=collateral,
        credit_consent=True,
        credit_consent_on=today,
        guardian_relation=papers.get("guardian_relation", ""),
        income_proof=bool(papers.get("income_proof")),
        admission_letter=bool(papers.get("admission_letter")),
        fee_statement=bool(papers.get("fee_statement")),
    )
    return contract


@effect(COMMERCIAL, "investigate")
def _investigate(
    *,
    contract,
    amount=None,
    term_years=None,
    annual_rate=None,
    repayment_method="",
    tranches=1,
    opinion="",
    **_,
):
    """贷前调查报告 [002]: amount, term, rate, guarantee, repayment method (and tranches)."""
    file = contract.commercial_file
    try:
        amount, rate = Decimal(amount or contract.amount), Decimal(annual_rate)
        term, tranches = int(term_years or contract.term_years), int(tranches or 1)
    except (TypeError, ArithmeticError, ValueError):
        raise IllegalTransition("请填写调查报告的金额、期限、利率。") from None
    if amount <= 0 or not (Decimal(0) < rate < 1) or term <= 0 or not 1 <= tranches <= 12:
        raise IllegalTransition("金额、期限须大于0，年利率为小数(如0.0435)，分次发放1–12次。")
    if not repayment_method:
        raise IllegalTransition("请选择还款方式。")
    if problem := guarantee_error(
        contract.policy_version, file.guarantee_kind, file.guarantor_name, file.collateral
    ):
        raise IllegalTransition(problem)
    contract.amount, contract.annual_rate, contract.term_years = (
        amount,
        rate.quantize(Decimal("0.00001")),
        term,
    )
    contract.maturity_date = common_rules.maturity_of(contract.policy_version, contract.academic_year, term)
    file.repayment_method, file.tranches, file.investigation = repayment_method, tranches, opinion[:2000]
    file.investigated_on = businessdate.today()
    file.save()
    return (
        f"调查：{amount}元，{term}年，年利率{rate}，{file.get_repayment_method_display()}，分{tranches}次发放"
    )


@effect(COMMERCIAL, "sign")
def _sign(*, contract, **_):
    contract.signed_on = businessdate.today()


def tranche_plan(contract: Contract, on: dt.date, tranches: int) -> list[Instalment]:
    """Lump sum (1) or equal tranches a month apart, the remainder in the first [002: 一次或分次发放]."""
    each = (contract.amount / tranches).quantize(Decimal(1), rounding="ROUND_DOWN")
    first = contract.amount - each * (tranches - 1)
    days = [on] + [
        dt.date(on.year + (on.month + k - 1) // 12, (on.month + k - 1) % 12 + 1, min(on.day, 28))
        for k in range(1, tranches)
    ]
    return [
        Instalment(
            contract=contract,
            sequence=n,
            due_on=day,
            payee=Payee.BORROWER,
            amount=first if n == 1 else each,
            paid_on=on if n == 1 else None,
        )
        for n, day in enumerate(days, start=1)
    ]


@effect(COMMERCIAL, "disburse")
def _disburse(*, contract, on, **_):
    tranches = contract.commercial_file.tranches
    Instalment.objects.bulk_create(tranche_plan(contract, on, tranches))
    mark_paid_out(contract, on)
    return "一次发放" if tranches == 1 else f"分{tranches}次发放，首次已发放"


def _live(actor: User, contract: Contract) -> Contract:
    check_actor(actor, COMMERCIAL_TRANSITIONS["disburse"])
    contract = (
        contract_scope(actor)
        .select_for_update(of=("self",))
        .select_related("policy_version")
        .filter(pk=contract.pk, product=COMMERCIAL)
        .first()
    )
    if contract is None:
        raise IllegalTransition("该合同不在您的数据范围内。")
    if contract.state not in LIVE_STATES:
        raise IllegalTransition("贷款发放后才能办理提前还款或展期。")
    return contract


@transaction.atomic(durable=True)
def prepayment_notice(
    *, actor: User, contract: Contract, prepay_on: dt.date, amount: Decimal | None = None
) -> PrepaymentNotice:
    """提前还款 needs notice: 30 working days for commercial loans [002] (policy
    early_repayment_notice_days, counted in working days). Example: noticed 2025-09-15 → the earliest
    prepayment day is 2025-10-31 (1–8 Oct are holidays; Sun 28 Sep and Sat 11 Oct are workdays)."""
    contract = _live(actor, contract)
    policy, today = contract.policy_version, businessdate.today()
    days = policy.early_repayment_notice_days
    earliest = (
        add_working_days(today, days)
        if policy.early_repayment_notice_working_days
        else today + dt.timedelta(days=days)
    )
    if prepay_on < earliest:
        unit = "个工作日" if policy.early_repayment_notice_working_days else "天"
        raise IllegalTransition(
            f"提前还款须提前{days}{unit}申请（[002]）：今天申请，最早可于{earliest:%Y年%m月%d日}提前还款。"
        )
    notice = PrepaymentNotice.objects.create(
        contract=contract, noticed_on=today, prepay_on=prepay_on, amount=amount, recorded_by=actor
    )
    contract_note(
        contract,
        action="prepay_notice",
        actor=actor,
        comment=f"提前还款申请：{prepay_on:%Y-%m-%d}" + (f"，本金{amount}元" if amount else "，全部结清"),
    )
    return notice


@transaction.atomic(durable=True)
def extension_grant(*, actor: User, contract: Contract, new_maturity: dt.date, reason: str = "") -> Extension:
    """展期: "每笔贷款只可以展期一次" [002] (policy max_extensions); a second is refused."""
    contract = _live(actor, contract)
    policy = contract.policy_version
    done = list(contract.extensions.order_by("applied_on"))
    if len(done) >= policy.max_extensions:
        when = f"已于{done[-1].applied_on:%Y年%m月%d日}展期" if done else "不允许展期"
        raise IllegalTransition(
            f"每笔贷款只可展期{policy.max_extensions}次，该贷款{when}，不能再次展期（[002]）。"
        )
    if new_maturity <= contract.maturity_date:
        raise IllegalTransition(f"展期后到期日须晚于原到期日{contract.maturity_date:%Y-%m-%d}。")
    extension = Extension.objects.create(
        contract=contract,
        applied_on=businessdate.today(),
        old_maturity=contract.maturity_date,
        new_maturity=new_maturity,
        reason=reason[:200],
        approved_by=actor,
    )
    contract.maturity_date = new_maturity
    contract.save(update_fields=["maturity_date"])
    CommercialFile.objects.filter(contract=contract).update(extensions=len(done) + 1)
    contract_note(
        contract,
        action="extend",
        actor=actor,
        comment=f"展期：到期日{extension.old_maturity:%Y-%m-%d}→{new_maturity:%Y-%m-%d}；{reason}",
        before={"maturity_date": extension.old_maturity},
        after={"maturity_date": new_maturity},
    )
    return extension
