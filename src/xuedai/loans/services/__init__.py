"""Writes of the loans app (ARCHITECTURE: services are keyword-only, atomic, audited).

- :mod:`.ledger`     posting, reversal, balances from postings, syncing the ledger to the engine
- :mod:`.servicing`  disbursement, take-on, settlement, repayment, early repayment, relief,
                     penalty accrual, classification
"""

from .ledger import (
                     account_balances_from_postings,
                     account_refresh,
                     ledger_payments,
                     ledger_sync,
                     posting_reverse,
)
from .servicing import (
                     account_take_on,
                     classify,
                     contract_disburse,
                     early_repayment_apply,
                     penalty_accrue,
                     relief_apply,
                     repayment_post,
                     settlement_post,
)

__all__ = ["account_balances_from_postings", "account_refresh", "account_take_on",
           "classify", "contract_disburse", "early_repayment_apply", "ledger_payments", "ledger_sync",
           "penalty_accrue", "posting_reverse", "relief_apply", "repayment_post", "settlement_post"]
