"""Student status changes (学籍变动) and their engine consequences — DOMAIN.md §4 Status changes
[002 (5)(3)][003 第二十条, 资金办法 第十八条], §6 (death → 损失).

The university officer (or the county operator) records; a supervisor or another officer confirms
(maker ≠ checker). Confirmation writes the consequences onto the contract so that the loans engine
(loans.terms.contract_terms reads self_pay_from and maturity_date) replays them:

- dropout, suspension, expulsion, going abroad, death: undisbursed contracts of the borrower are
  stopped, and the contract's tranches not yet paid out (staged disbursement) cancelled; the
  borrower pays interest from the 1st of the next month (core.subsidy.status_change_self_pay_start);
- suspension and return: the subsidy resumes on the 1st of the month of return
  (core.subsidy.subsidy_resumes_on) — recorded here and, for the engine, as a loans terms change
  that loans.terms passes to core.subsidy.borrower_periods;
- recall (提前收回贷款本息, [003 资金办法 第二十条(2)]): dropout, expulsion and going abroad (a
  graduate's too, DOMAIN.md §4 "graduates going abroad repay in full") bring all outstanding
  principal forward: the contract's maturity moves to the next deduction day, on which the engine
  settles the interest to that day and all principal falls due (DOMAIN.md §4 Settlement: "all
  principal still outstanding falls due" at maturity). Suspension and death are not recalled
  (suspension returns; a death is 损失, collected from the estate or written off);
- transfer: refused while any principal is outstanding ("requires full repayment first");
- death: the 损失 classification flag (a loans terms change the classification reads).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xuedai.audit.services import audit_record
from xuedai.core.subsidy import status_change_self_pay_start, subsidy_resumes_on
from xuedai.loans.models import TermsChangeKind
from xuedai.loans.services import terms_change_record
from xuedai.loans.services.tranches import tranches_cancel
from xuedai.locks import lock_objects
from xuedai.orgs.models import Role
from xuedai.origination.models import LIVE_STATES, Contract, ContractState
from xuedai.origination.services.transitions import contracts_move

from ..models import RequestStatus, StatusChange, StatusChangeKind
from ..rules import next_rededuction_date
from .common import require

K = StatusChangeKind
RECORD_ROLES = (Role.UNIVERSITY_OFFICER, Role.OPERATOR)
CONFIRM_ROLES = (Role.SUPERVISOR, Role.UNIVERSITY_OFFICER)
# Approved but not yet paid out: the money that must not go out any more.
UNDISBURSED = (ContractState.APPROVED, ContractState.QUALIFIED)
SELF_PAY_KINDS = (K.DROPOUT, K.SUSPENSION, K.EXPULSION, K.ABROAD, K.DEATH)
# 提前收回贷款本息 ([003 资金办法 第二十条(2)]; DOMAIN.md §4 "accelerate where the rules say").
RECALL_KINDS = (K.DROPOUT, K.EXPULSION, K.ABROAD)


def transfer_blocker(contract: Contract) -> str | None:
    owing = Contract.objects.filter(borrower=contract.borrower, state__in=LIVE_STATES)
    total = sum((c.outstanding_principal for c in owing), 0)
    if total > 0:
        return f"转学须先还清全部贷款：尚欠本金 {total:.2f} 元，请结清后再办理转学"
    return None


@transaction.atomic(durable=True)
def status_change_record(*, actor, contract: Contract, kind: str, handled_on: dt.date,
                         returned_on: dt.date | None = None, after_graduation: bool = False,
                         note: str = "") -> StatusChange:
    require(actor, RECORD_ROLES, "只有高校贷款经办人或县资助中心经办人可以登记学籍变动")
    if kind not in K.values:
        raise ValidationError("请选择变动类型")
    if kind == K.TRANSFER and (blocker := transfer_blocker(contract)):
        raise ValidationError(blocker)
    if returned_on is not None and (kind != K.SUSPENSION or returned_on < handled_on):
        raise ValidationError("复学日期只适用于休学，且不能早于休学办理日期")
    change = StatusChange.objects.create(contract=contract, kind=kind, handled_on=handled_on,
                                         returned_on=returned_on, after_graduation=after_graduation,
                                         note=note[:200], recorded_by=actor)
    audit_record(actor=actor, action="postloan.status_change_record", obj=change, subject=contract,
                 after={"kind": kind, "handled_on": handled_on, "returned_on": returned_on})
    return change


def _stop_undisbursed(actor, change: StatusChange) -> list[str]:
    """停发: the borrower's approved, not yet paid-out contracts stop (the table's "stop" row),
    locked in primary-key order first (xuedai.locks)."""
    stopped = lock_objects(Contract.objects.filter(borrower=change.contract.borrower, state__in=UNDISBURSED,
                                                   disbursed_on__isnull=True))
    contracts_move([c.pk for c in stopped], action="stop", actor=actor,
                   comment=f"学籍变动（{change.get_kind_display()}）确认，停止发放")
    return [c.contract_no for c in stopped]


@transaction.atomic(durable=True)
def status_change_decide(*, actor, change: StatusChange, approve: bool) -> StatusChange:
    require(actor, CONFIRM_ROLES, "只有负责人或高校贷款经办人可以确认学籍变动")
    change = StatusChange.objects.select_for_update(of=("self",)).select_related("contract").get(pk=change.pk)
    if change.status != RequestStatus.PENDING:
        raise ValidationError("该学籍变动已处理")
    if change.recorded_by_id == actor.pk:
        raise PermissionDenied("登记人不能确认自己登记的学籍变动")
    contract = Contract.objects.select_for_update(of=("self",)).get(pk=change.contract_id)
    before = {"self_pay_from": contract.self_pay_from, "maturity_date": contract.maturity_date}
    if approve:
        if change.kind == K.TRANSFER and (blocker := transfer_blocker(contract)):
            raise ValidationError(blocker)
        _apply(actor, change, contract)
    change.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    change.decided_by, change.decided_at = actor, timezone.now()
    change.save()
    audit_record(actor=actor, action="postloan.status_change_decide", obj=change, subject=contract,
                 before=before, after={"status": change.status, "self_pay_from": contract.self_pay_from,
                                       "maturity_date": contract.maturity_date, "loss": change.loss_flag})
    return change


def _apply(actor, change: StatusChange, contract: Contract) -> None:
    fields = []
    if change.kind in SELF_PAY_KINDS:
        change.stopped_contracts = "、".join(_stop_undisbursed(actor, change))[:200]
        # A disbursed contract paid out in tranches: what is not yet paid out stops too.
        tranches_cancel(actor=actor, contract=contract, on=change.handled_on,
                        reason=f"学籍变动（{change.get_kind_display()}）确认，停止发放")
        start = status_change_self_pay_start(change.handled_on)
        change.self_pay_from = start
        if change.kind == K.SUSPENSION:
            change.subsidy_resumes_on = subsidy_resumes_on(change.returned_on) if change.returned_on else None
        elif contract.self_pay_from is None or start < contract.self_pay_from:
            # Final changes: the borrower pays from then on, for good (borrower_periods final_change_on).
            contract.self_pay_from = start
            fields.append("self_pay_from")
    if change.kind in RECALL_KINDS and contract.disbursed_on is not None:
        due = next_rededuction_date(change.handled_on)
        if due < contract.maturity_date:
            contract.maturity_date = due
            fields.append("maturity_date")
        change.accelerated_to = min(due, contract.maturity_date)
    if change.kind == K.SUSPENSION:
        terms_change_record(actor=actor, contract=contract, kind=TermsChangeKind.SUSPENSION,
                            starts_on=change.handled_on, ends_on=change.returned_on,
                            source=f"学籍变动 #{change.pk}")
    if change.kind == K.DEATH:
        change.loss_flag = True
        terms_change_record(actor=actor, contract=contract, kind=TermsChangeKind.DEATH,
                            starts_on=change.handled_on, source=f"学籍变动 #{change.pk}")
    if fields:
        contract.save(update_fields=fields)
