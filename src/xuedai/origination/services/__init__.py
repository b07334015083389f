"""Origination writes (ARCHITECTURE: keyword-only, atomic). Importing the package registers every
action's effect with services.transitions (the app's ready() does, so every entry point has them)."""

from . import disbursement as _disbursement  # noqa: F401  (registers the disburse effect)
from .applications import application_cancel, application_submit, application_update, student_register
from .batches import bank_decide, bank_decide_rest, batch_submit, contract_resubmit
from .contracts import (
    NewContract,
    contract_update,
    contracts_check,
    contracts_create,
    contracts_from_applications,
    new_contract_refusal,
)
from .deadlines import season_set, withdraw_all_due, withdraw_unreceived
from .receipts import receipt_record, receipts_import
from .transitions import batch_transition, contract_transition

__all__ = [
    "NewContract", "application_cancel", "application_submit", "application_update", "bank_decide",
    "bank_decide_rest", "batch_submit", "batch_transition", "contract_resubmit",
    "contract_transition", "contract_update", "contracts_check", "contracts_create",
    "contracts_from_applications", "new_contract_refusal", "receipt_record", "receipts_import", "season_set",
    "student_register", "withdraw_all_due", "withdraw_unreceived",
]
