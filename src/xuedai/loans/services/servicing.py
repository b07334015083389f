"""Servicing a loan account: the scalar reference path (DOMAIN.md §4).

Each service records its input (a payment, an application, a programme), then lets the core engine
say what that day's postings are (:func:`.ledger.ledger_sync`) — so the ledger's arithmetic is the
engine's. ``xuedai.batch`` kernels are the fast path over whole portfolios; these are the truth.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction

from xuedai import businessdate
from xuedai.audit.services import audit_record
from xuedai.core.classification import Grade
from xuedai.core.classification import grade as grade_for
from xuedai.core.money import ZERO, MoneyError, to_money
from xuedai.core.overdue import overdue_days
from xuedai.core.terms import Payment
from xuedai.origination.models import Contract, ContractState

from ..models import (
    OUTSIDE_ENGINE,
    EarlyRepaymentApplication,
    EarlyRepaymentStatus,
    GradeRecord,
    Kind,
    LoanAccount,
    ReliefApplication,
)
from ..replay import Expected
from ..terms import confirmed_loss, contract_terms, early_repayment_date
from .disbursement import channel_account_for, disbursement_rows
from .errors import ServicingError
from .ledger import (
    LedgerError,
    _net_postings,
    _post_many,
    account_refresh,
    account_replay,
    account_terms,
    ledger_sync,
)
from .tranches import take_on_rows


@transaction.atomic
def account_take_on(*, actor, contract: Contract, as_of: dt.date, job_run=None) -> LoanAccount:
    """Open the ledger of a contract disbursed before the ledger existed (demo data, migration).

    History is rebuilt by the engine assuming every amount was paid on its due day up to the
    contract's ``overdue_since`` (unpaid from then on), and posted with the days it happened on.
    """
    if contract.state not in (ContractState.DISBURSED, ContractState.REPAYING, ContractState.OVERDUE):
        raise ServicingError("只有已发放、还款中或逾期的合同需要建账")
    if contract.disbursed_on is None or contract.disbursed_on > as_of:
        raise ServicingError("合同没有早于业务日期的发放日")
    account = LoanAccount.objects.create(contract=contract, opened_on=contract.disbursed_on,
                                         channel_account=channel_account_for(contract))
    paid_out = take_on_rows(contract, as_of) or disbursement_rows(contract, contract.disbursed_on)
    _post_many(account, paid_out, job_run=job_run, memo="期初建账")
    schedule = account_replay(account, as_of, payments=[]).expected
    stop = contract.overdue_since
    if stop is not None:  # unpaid from the last settlement on or before the first overdue day
        stop = max((r.on for r in schedule if r.kind == Kind.SUBSIDY_INTEREST or r.kind == Kind.INTEREST
                    or r.kind == Kind.PRINCIPAL if r.on <= stop), default=stop)
    owed: dict[dt.date, Decimal] = {}
    for row in schedule:
        if row.kind in (Kind.INTEREST, Kind.PRINCIPAL) and row.on < as_of and (stop is None or row.on < stop):
            owed[row.on] = owed.get(row.on, ZERO) + row.amount
        elif row.kind == Kind.WAIVE_INTEREST and row.on in owed:
            owed[row.on] -= row.amount
    payments = [Payment(day, amount) for day, amount in sorted(owed.items()) if amount > 0]
    *_, rows = ledger_sync(account=account, on=as_of, payments=payments, through=True, job_run=job_run,
                           memo="期初建账")
    settled = [r.on for r in schedule if r.kind == Kind.SUBSIDY_INTEREST or r.kind == Kind.INTEREST]
    account.last_settled_on = max(settled, default=None)
    account.save(update_fields=["last_settled_on"])
    account_refresh(account, as_of, rows)
    audit_record(actor=actor, action="loans.account_take_on", obj=account, subject=contract,
                 after={"as_of": as_of, "payments": len(payments)})
    return account


_FRESH = ("principal_outstanding", "principal_due", "interest_due", "penalty_due", "credit",
          "subsidy_receivable", "penalty_accrued", "penalty_accrued_on", "last_settled_on",
          "oldest_unpaid_due", "grade", "graded_on")


def _locked(account: LoanAccount) -> LoanAccount:
    """Lock the account row (PostgreSQL: concurrent batches wait) and reload its balances.

    The caller's object keeps its loaded contract and policy; only the mutable columns reload.
    """
    LoanAccount.objects.select_for_update(of=("self",)) \
        .filter(pk=account.pk).values_list("pk", flat=True).get()
    if "contract" not in account._state.fields_cache:
        account = LoanAccount.objects.select_related("contract__policy_version").get(pk=account.pk)
    else:
        contract = account.contract
        account.refresh_from_db(fields=_FRESH)  # also drops the cached contract (it is the pk)
        account.contract = contract
    return account


@transaction.atomic
def settlement_post(*, actor, account: LoanAccount, on: dt.date, job_run=None) -> list[Expected]:
    """Settle the account on a settlement day (20 Dec, or maturity): 贴息 to the state's receivable,
    the borrower's interest and the plan's principal due; waiting credit pays them at once."""
    account = _locked(account)
    terms = account_terms(account)
    if on not in terms.settlement_dates():
        raise ServicingError(f"{on:%Y-%m-%d} 不是该合同的结息日")
    _, posted, rows = ledger_sync(account=account, on=on, job_run=job_run, memo="结息", terms=terms)
    if account.last_settled_on is None or on > account.last_settled_on:
        account.last_settled_on = on
    account_refresh(account, on, rows)
    if posted and job_run is None:  # in a batch, the batch's one audit entry counts these postings
        audit_record(actor=actor, action="loans.settlement_post", obj=account, subject=account.contract,
                     after={"on": on, **{r.kind: r.amount for r in posted if r.kind in _SETTLEMENT_KINDS}})
    return posted


_SETTLEMENT_KINDS = {Kind.SUBSIDY_INTEREST, Kind.INTEREST, Kind.PRINCIPAL, Kind.WAIVE_INTEREST}


@transaction.atomic
def repayment_post(*, actor, account: LoanAccount, on: dt.date, amount: Decimal, source: str = "",
                   job_run=None) -> list[Expected]:
    """Post money the borrower paid in on ``on``: penalties charged to that day, then the payment
    allocated by the core (罚息复利 → 逾期利息 → 逾期本金 → 当期利息 → 当期本金), the rest to credit.
    An early-repayment application due that day is then executed from the credit."""
    amount = to_money(amount)
    if amount <= 0:
        raise ServicingError("还款金额必须大于 0")
    account = _locked(account)
    if account.postings.filter(business_date__gt=on).exclude(kind__in=OUTSIDE_ENGINE).exists():
        # A back-dated payment would change penalties already charged on later days: those must
        # be reversed first, so the ledger never silently disagrees with the engine.
        raise ServicingError(f"账户在 {on:%Y-%m-%d} 之后已有分录，不能补记该日还款")
    result, posted, rows = ledger_sync(account=account, on=on, extra_payment=amount, job_run=job_run,
                                       memo=source[:200])
    _record_early_outcomes(account, result, on)
    account_refresh(account, on, rows)
    if job_run is None:  # a result file's posting job writes one entry for the file (deduction_post)
        audit_record(actor=actor, action="loans.repayment_post", obj=account, subject=account.contract,
                     after={"on": on, "amount": amount, "source": source,
                            "credit": account.credit, "postings": len(posted)})
    return posted


def _record_early_outcomes(account: LoanAccount, result, on: dt.date) -> None:
    for outcome in result.early_repayments:
        if outcome.on != on:
            continue
        status = EarlyRepaymentStatus.DONE if outcome.done else EarlyRepaymentStatus.FAILED
        EarlyRepaymentApplication.objects.filter(account=account, deduct_on=on).update(
            status=status, reason=outcome.reason_zh[:200])


@transaction.atomic
def early_repayment_apply(*, actor, account: LoanAccount, applied_on: dt.date | None = None,
                          principal: Decimal | None = None) -> EarlyRepaymentApplication:
    """Record an early-repayment application (提前还款申请) for the next deduction day it can make."""
    applied_on = applied_on or businessdate.today()
    # The account row is locked first: fifty clicks of one borrower apply one after the other, and
    # each after the first finds the application the first one made (never an IntegrityError).
    account = _locked(account)
    deduct_on = early_repayment_date(account.contract, applied_on)
    if deduct_on is None:
        raise ServicingError("不在提前还款申请期内（1—10月每月10日前）")
    if principal is not None:
        try:
            principal = to_money(principal, what="提前还本金额")
        except MoneyError as error:
            raise ServicingError(error.message_zh[:100]) from None
        if principal <= 0 or principal > account.principal_outstanding:
            raise ServicingError("提前还本金额须大于 0 且不超过贷款余额")
    duplicate = ServicingError(f"已有 {deduct_on:%Y-%m-%d} 扣款的提前还款申请，无需重复提交")
    if account.early_repayments.filter(deduct_on=deduct_on).exists():
        raise duplicate
    try:
        with transaction.atomic():  # the unique (account, deduct_on) stays the last word
            application = EarlyRepaymentApplication.objects.create(
                account=account, applied_on=applied_on, deduct_on=deduct_on, principal=principal,
                created_by=actor if getattr(actor, "pk", None) else None)
    except IntegrityError:
        raise duplicate from None
    audit_record(actor=actor, action="loans.early_repayment_apply", obj=application, subject=account.contract,
                 after={"applied_on": applied_on, "deduct_on": deduct_on, "principal": principal})
    return application


@transaction.atomic
def early_repayment_execute(*, actor, account: LoanAccount, on: dt.date,
                            job_run=None) -> EarlyRepaymentApplication:
    """Run the early repayment due ``on`` with what the account holds (its credit), no new money:
    for an application the borrower's credit already covers, or whose deduction failed (the engine
    then records the failure, DOMAIN.md §4: a failed deduction needs a new application)."""
    account = _locked(account)
    result, posted, rows = ledger_sync(account=account, on=on, job_run=job_run, memo="提前还款")
    _record_early_outcomes(account, result, on)
    account_refresh(account, on, rows)
    application = account.early_repayments.get(deduct_on=on)
    audit_record(actor=actor, action="loans.early_repayment_execute", obj=application,
                 subject=account.contract, after={"on": on, "status": application.status,
                                                  "postings": len(posted)})
    return application


@transaction.atomic
def relief_apply(*, actor, programme, account: LoanAccount, on: dt.date, defer_principal: bool = False,
                 job_run=None) -> ReliefApplication | None:
    """Apply a relief programme to one account on ``on`` (DOMAIN.md §1 Relief programmes).

    Its year's settlement must still be ahead (a waiver rewrites that settlement); run it before the
    day's other batches, since old penalties are waived at the start of ``on``. Returns None when
    the account already has the programme (re-runs post nothing twice).
    """
    account = _locked(account)
    if account.reliefs.filter(programme=programme).exists():
        return None
    settlement_day = account_terms(account).settlement_day.in_year(programme.year)
    if account.last_settled_on and account.last_settled_on >= settlement_day:
        raise ServicingError(f"{programme.year}年度已结息，不能再适用该政策")
    relief = ReliefApplication.objects.create(account=account, programme=programme, applied_on=on,
                                              defer_principal=defer_principal and programme.allow_deferral,
                                              job_run=job_run)
    terms = contract_terms(account.contract, [*account.reliefs.all(), relief])
    _, posted, rows = ledger_sync(account=account, on=on, job_run=job_run, memo=programme.name[:200],
                                  terms=terms)
    account_refresh(account, on, rows)
    if job_run is None:  # in a batch, the batch's one audit entry counts the applications
        audit_record(actor=actor, action="loans.relief_apply", obj=relief, subject=account.contract,
                     after={"programme": programme.name, "defer_principal": relief.defer_principal,
                            "penalty_waived": sum((r.amount for r in posted if r.kind == Kind.WAIVE_PENALTY),
                                                  ZERO)})
    return relief


@transaction.atomic
def penalty_accrue(*, account: LoanAccount, on: dt.date) -> Decimal:
    """Bring the account's accrued-but-uncharged penalty and compound interest to ``on``.

    A statement figure, not a posting: the ledger charges penalties when money is applied, exactly
    when the engine does (DOMAIN.md §4 Overdue), so reconcile can match them fen for fen.
    """
    account = _locked(account)
    rows = _net_postings(account.pk)
    state = account_replay(account, on, rows=rows).state
    accrued = state.penalty_interest - account.penalty_due
    if accrued < 0:
        raise LedgerError(f"账户 {account.pk} 已计罚息多于引擎计算")
    account.penalty_accrued, account.penalty_accrued_on = accrued, on
    account_refresh(account, on, rows)
    return accrued


def classification_rule(contract: Contract, on: dt.date) -> str:
    """The rule in force on ``on`` for the contract's product and region (DOMAIN.md §6)."""
    from xuedai.policies.selectors import PolicyNotFound, contract_region_code, policy_for

    try:
        return policy_for(contract.product, contract_region_code(contract), on).classification_rule
    except PolicyNotFound:
        return contract.policy_version.classification_rule


def borrower_died(contract: Contract) -> bool:
    """A confirmed death (postloan StatusChange.loss_flag) is 损失 whatever the days overdue
    (DOMAIN.md §6 "has died"), as recorded in the loans-owned terms changes."""
    return confirmed_loss(contract)


@transaction.atomic
def classify(*, account: LoanAccount, on: dt.date, rule: str | None = None, job_run=None) -> GradeRecord:
    """Grade the contract at a quarter end from its oldest unpaid due date; keep the grade."""
    rule = rule or classification_rule(account.contract, on)
    oldest = account.oldest_unpaid_due
    grade = Grade.LOSS if borrower_died(account.contract) else grade_for(rule, oldest, on)
    record, _ = GradeRecord.objects.update_or_create(
        account=account, as_of=on,
        defaults={"rule": rule, "grade": grade.value, "oldest_unpaid_due": oldest,
                  "days_overdue": overdue_days(oldest, on) if oldest else 0,
                  "principal_outstanding": account.principal_outstanding, "job_run": job_run})
    LoanAccount.objects.filter(pk=account.pk).update(grade=grade.value, graded_on=on)
    account.grade, account.graded_on = grade.value, on
    return record
