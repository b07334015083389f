"""One payment of a borrower spread over his contracts, oldest first (先收息、后还本).

DOMAIN.md §4 Allocation of a payment: "a borrower's contracts oldest first" ([002] 先收息、后还本).
The core decides the split (:func:`xuedai.core.allocation.split_across_contracts` over each
contract's owed items from :func:`xuedai.core.engine.owed_items`: penalties of every contract,
then overdue interest of every contract, … the oldest contract first within each category); each
contract's share is then posted through ``repayment_post``, whose own allocation inside the
contract is the same order, so the postings are exactly the cross-contract allocation. What no
contract owes waits as credit on the oldest live contract.

Oldest = the earliest academic year, then the earliest disbursement, then the lowest id.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from xuedai.audit.services import audit_record
from xuedai.core.allocation import split_across_contracts
from xuedai.core.engine import owed_items
from xuedai.core.money import format_money, to_money
from xuedai.origination.models import LIVE_STATES

from ..models import LoanAccount
from ..terms import contract_terms, early_repayments_core
from .ledger import ledger_payments
from .servicing import ServicingError, repayment_post


def borrower_accounts(borrower, on: dt.date) -> list[LoanAccount]:
    """The borrower's live accounts opened by ``on``, oldest contract first, locked in id order."""
    ids = list(LoanAccount.objects.filter(contract__borrower=borrower, contract__state__in=LIVE_STATES,
                                          opened_on__lte=on).values_list("pk", flat=True))
    locked = list(LoanAccount.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    accounts = list(LoanAccount.objects.filter(pk__in=[a.pk for a in locked])
                    .select_related("contract__policy_version")
                    .prefetch_related("reliefs__programme", "early_repayments", "contract__rate_changes",
                              "contract__instalments"))
    return sorted(accounts, key=lambda a: (a.contract.academic_year, a.contract.disbursed_on or on, a.pk))


def payment_split(accounts: list[LoanAccount], on: dt.date, amount: Decimal) -> list[Decimal]:
    """Each account's share of ``amount`` paid on ``on`` (adds up to ``amount``)."""
    owed = []
    for account in accounts:
        terms = contract_terms(account.contract, list(account.reliefs.all()))
        early = early_repayments_core(account.early_repayments.all())
        owed.append(owed_items(terms, on, ledger_payments(account.pk), early))
    return split_across_contracts(amount, owed, on)


@transaction.atomic(durable=True)
def borrower_repayment_post(*, actor, borrower, on: dt.date, amount, source: str = "") -> list[tuple]:
    """Post one payment of ``borrower`` on ``on`` over his live contracts, oldest first; returns
    ``[(account, share)]`` for the accounts that received something. One audit row for the
    payment, and each account's ``repayment_post`` row."""
    amount = to_money(amount)
    if amount <= 0:
        raise ServicingError("还款金额：必须大于 0")
    accounts = borrower_accounts(borrower, on)
    if not accounts:
        raise ServicingError("该借款学生没有在还款中的贷款")
    shares = payment_split(accounts, on, amount)
    paid = []
    for account, share in zip(accounts, shares, strict=True):
        if share > 0:
            repayment_post(actor=actor, account=account, on=on, amount=share,
                           source=(source or "借款人还款（多笔合同按先早后晚分配）")[:200])
            paid.append((account, share))
    audit_record(actor=actor, action="loans.borrower_repayment_post", obj=borrower,
                 after={"on": on, "amount": amount, "source": source,
                        "split": {a.contract.contract_no: format_money(s) for a, s in paid}})
    return paid
