"""Disbursement (DOMAIN.md §3.1 step 7): tuition and accommodation to the university, the rest to
the student's account [001 附件二 一(三)].

The ledger belongs to the loans app. When it offers `loans.services.contract_disburse`, each
contract is posted through it (it opens the account and writes the two postings); until then the
contract's state, date and cached balance are set here, set-based, so origination can be run end
to end.
"""

import importlib
from decimal import Decimal

from django.db import transaction
from django.db.models import F

from xuedai import businessdate
from xuedai.orgs.models import User

from ..models import Contract, ContractState, CountyBatch
from ..selectors import batch_scope, contract_scope
from ..workflow import CONTRACT_TRANSITIONS, IllegalTransition
from .transitions import check_actor, contracts_move, effect, write_event


def split(contract: Contract) -> tuple[Decimal, Decimal]:
    """(to the university, to the student): fees first, capped by the amount.
    Example: 8000 with tuition 4500 and accommodation 1200 → 5700 to the university, 2300 to the student."""
    fees = (contract.tuition or 0) + (contract.accommodation or 0)
    to_university = min(contract.amount, fees)
    return to_university, contract.amount - to_university


def _ledger_disburse():
    try:
        module = importlib.import_module("xuedai.loans.services")
    except ImportError:
        return None
    return getattr(module, "contract_disburse", None)


@transaction.atomic
def batch_disburse(*, actor: User, batch: CountyBatch) -> int:
    """发放 every approved contract of a reviewed batch; returns how many."""
    check_actor(actor, CONTRACT_TRANSITIONS["disburse"])
    if not batch_scope(actor).filter(pk=batch.pk).exists():
        raise IllegalTransition("该批次不在您的数据范围内。")
    if batch.state != "bank_reviewed":
        raise IllegalTransition("批次审查完毕后才能发放。")
    ids = list(contract_scope(actor).filter(batch=batch, state=ContractState.APPROVED)
               .values_list("pk", flat=True))
    if not ids:
        raise IllegalTransition("该批次没有待发放的合同。")
    today = businessdate.today()
    comment = "贷款发放：学费住宿费付高校，余额付学生"
    post = _ledger_disburse()
    if post is None:
        moved = contracts_move(ids, action="disburse", actor=actor, disbursed_on=today, comment=comment)
        Contract.objects.filter(pk__in=ids).update(outstanding_principal=F("amount"))
        return moved
    # The ledger opens each account and posts its two payments (it moves the state itself).
    for contract in Contract.objects.filter(pk__in=ids).select_related("borrower", "university"):
        post(actor=actor, contract=contract, on=today)
        write_event(contract, action="disburse", from_state=ContractState.APPROVED, actor=actor,
                    comment=comment, to_state=ContractState.DISBURSED)
    return len(ids)


def disburse_one(*, actor, contract: Contract, on) -> None:
    """Pay out one contract on ``on``: the ledger opens its account and posts the payments (every
    product's disburse effect ends here); the caller's transition saves the contract."""
    post = _ledger_disburse()
    if post is not None:
        post(actor=actor, contract=contract, on=on)
        contract.refresh_from_db()  # the ledger refreshed the cached balance
    else:
        contract.outstanding_principal = contract.amount
    contract.disbursed_on = on


@effect("disburse")
def _disburse(*, actor, contract, **_) -> None:
    """One contract alone (a late approval): the same as the batch, for one row."""
    disburse_one(actor=actor, contract=contract, on=businessdate.today())
