"""Paying a loan out (DOMAIN.md §3.1 step 7, §3.2 受托支付): open the account, post tuition and
accommodation to the university and the rest to the student, and move the contract to 已发放 through
its table's ``disburse`` row — one transaction, so the state and the money never disagree.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from xuedai import businessdate
from xuedai.audit.services import audit_bulk, audit_record
from xuedai.locks import lock_objects
from xuedai.orgs.models import User
from xuedai.origination.models import Contract, ContractState, CountyBatch
from xuedai.origination.models.batch import BatchState
from xuedai.origination.rules import alipay_account_for
from xuedai.origination.selectors import batch_scope, contract_scope
from xuedai.origination.services.disbursement import split
from xuedai.origination.services.transitions import check_actor, contract_ledger_move, row_of
from xuedai.origination.workflow import IllegalTransition
from xuedai.policies.products import Product

from ..models import Kind, LoanAccount
from ..replay import Expected
from .errors import ServicingError
from .ledger import _post_many, account_refresh
from .tranches import paid_on_day


def channel_account_for(contract: Contract) -> str:
    """The account repayments are deducted from: the one printed on the contract, else the borrower's
    (campus and commercial contracts name none)."""
    return contract.alipay_account or alipay_account_for(contract.borrower_id)


def disbursement_rows(contract: Contract, on: dt.date) -> list[Expected]:
    """Tuition and accommodation to the university first, the remainder to the student."""
    to_university, to_student = split(contract)
    return [Expected(on, Kind.DISBURSE_UNIVERSITY, to_university),
            Expected(on, Kind.DISBURSE_STUDENT, to_student)]


@transaction.atomic
def contract_disburse(*, actor, contract: Contract, on: dt.date | None = None, job_run=None) -> LoanAccount:
    """Open the account and post the disbursement, split by payee; the contract moves to 已发放."""
    on = on or businessdate.today()
    current = Contract.objects.only("state", "maturity_date").get(pk=contract.pk)
    if current.state not in (ContractState.APPROVED,):
        raise ServicingError(f"合同状态为「{current.get_state_display()}」，只有已审批的合同可以发放")
    if current.maturity_date <= on:
        raise ServicingError("到期日必须晚于发放日")
    contract = contract_ledger_move(actor=actor, contract=contract, action="disburse", on=on)
    account = LoanAccount.objects.create(contract=contract, opened_on=on,
                                         channel_account=channel_account_for(contract))
    university = contract.university.name if contract.university else "高校"
    # Staged disbursement (DOMAIN.md §3.2, §3.3): the table's disburse row wrote the plan; only
    # what is due today goes out now, the rest on its day (loans.services.tranches).
    rows = paid_on_day(contract, on) or disbursement_rows(contract, on)
    _post_many(account, rows[:1], job_run=job_run, memo=f"学费住宿费支付至{university}")
    _post_many(account, rows[1:], job_run=job_run, memo="生活费支付至借款学生支付宝账户")
    account_refresh(account, on)
    audit_record(actor=actor, action="loans.contract_disburse", obj=account, subject=contract,
                 after={"amount": contract.amount, "to_university": rows[0].amount,
                        "to_student": rows[1].amount, "on": on})
    return account


@transaction.atomic(durable=True)
def batch_disburse(*, actor: User, batch: CountyBatch) -> int:
    """发放 every approved contract of a county batch the bank has finished reviewing; returns how
    many. The contracts are locked in primary-key order first (xuedai.locks)."""
    check_actor(actor, row_of(Product.HOME_COUNTY, "disburse"))
    if not batch_scope(actor).filter(pk=batch.pk).exists():
        raise IllegalTransition("该批次不在您的数据范围内。")
    if batch.state != BatchState.BANK_REVIEWED:
        raise IllegalTransition("批次审查完毕后才能发放。")
    contracts = lock_objects(contract_scope(actor).filter(batch=batch, state=ContractState.APPROVED))
    if not contracts:
        raise IllegalTransition("该批次没有待发放的合同。")
    today = businessdate.today()
    for contract in contracts:
        contract_disburse(actor=actor, contract=contract, on=today)
    audit_bulk(actor=actor, action="loans.batch_disburse", model=Contract, ids=[c.pk for c in contracts],
               what=f"{batch} 发放", subject=batch,
               after={"amount": sum(c.amount for c in contracts), "on": today})
    return len(contracts)
