"""A disbursed 生源地 contract whose ledger is built through loans' own services (issue 5 §8)."""

import datetime as dt

from xuedai.loans.services import contract_disburse, settlement_post
from xuedai.origination.models import ContractState

from .conftest import make_contract


def disbursed(world, borrower=None, *, self_pay_from=dt.date(2025, 9, 1), settle_to=2025, **kw):
    """Disbursed 15 Oct 2022, settled every 20 Dec to ``settle_to``; with self-pay from 1 Sep 2025
    the 2025 settlement charges interest and the first principal, unpaid on 20 Nov 2026 (overdue)."""
    borrower = borrower or world.graduate(contracts=0)
    contract = make_contract(borrower, state=ContractState.APPROVED, disbursed_on=None,
                             self_pay_from=self_pay_from, **kw)
    account = contract_disburse(actor=None, contract=contract, on=dt.date(2022, 10, 15))
    for year in range(2022, settle_to + 1):
        settlement_post(actor=None, account=account, on=dt.date(year, 12, 20))
    contract.refresh_from_db()
    account.refresh_from_db()
    return contract, account
