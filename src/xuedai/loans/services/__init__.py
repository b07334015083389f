"""Writes of the loans app (ARCHITECTURE: services are keyword-only, atomic, audited).

- :mod:`.ledger`     posting, reversal, balances from postings, syncing the ledger to the engine
- :mod:`.disbursement` paying a contract or a county batch out
- :mod:`.servicing`  take-on, settlement, repayment, early repayment, relief,
                     penalty accrual, classification
- :mod:`.terms_changes` chosen plans, suspensions and deaths decided by post-loan
"""

from .disbursement import batch_disburse, contract_disburse
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
                     early_repayment_apply,
                     penalty_accrue,
                     relief_apply,
                     repayment_post,
                     settlement_post,
)
from .terms_changes import terms_change_record

__all__ = ["account_balances_from_postings", "account_refresh", "account_take_on", "batch_disburse",
           "classify", "contract_disburse", "early_repayment_apply", "ledger_payments", "ledger_sync",
           "penalty_accrue", "posting_reverse", "relief_apply", "repayment_post", "settlement_post",
           "terms_change_record"]
