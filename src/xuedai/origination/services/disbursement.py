"""Disbursement, origination's side (DOMAIN.md §3.1 step 7, §3.2 受托支付): how the money splits and
what each product's ``disburse`` row does to the contract.

The loans ledger applies the row (``transitions.contract_ledger_move``) in the transaction that
opens the account and posts the two payments (``loans.services.disbursement``), so a contract is
never 已发放 without its postings. The campus and commercial effects (instalment plans, tranches)
are in their own modules.
"""

import datetime as dt
from decimal import Decimal

from xuedai.policies.products import Product

from ..models import Contract
from .transitions import effect


def split(contract: Contract) -> tuple[Decimal, Decimal]:
    """(to the university, to the student): fees first, capped by the amount.
    Example: 8000 with tuition 4500 and accommodation 1200 → 5700 to the university, 2300 to the student."""
    fees = (contract.tuition or 0) + (contract.accommodation or 0)
    to_university = min(contract.amount, fees)
    return to_university, contract.amount - to_university


def mark_paid_out(contract: Contract, on: dt.date) -> None:
    """The contract's own record of the payout; the ledger's account refresh mirrors the balance."""
    contract.disbursed_on = on
    contract.outstanding_principal = contract.amount


@effect(Product.HOME_COUNTY, "disburse")
def _disburse(*, contract: Contract, on: dt.date, **_) -> str:
    mark_paid_out(contract, on)
    return "学费住宿费付高校，余额付学生"


def instalments_mark_paid(ids, on: dt.date) -> int:
    """Staged disbursement: the loans ledger paid these planned instalments out on ``on`` (one
    UPDATE; the caller's transaction and audit entry, ``loans.services.tranches``)."""
    from ..models import Instalment

    return Instalment.objects.filter(pk__in=list(ids), paid_on__isnull=True).update(paid_on=on)
