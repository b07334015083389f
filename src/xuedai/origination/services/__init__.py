"""Origination writes (ARCHITECTURE: keyword-only, atomic). Importing the package registers every
action's effect with services.transitions, so import from here."""

from .applications import application_cancel, application_submit, application_update, student_register
from .batches import bank_approve_rest, bank_decide, batch_summarise, contract_resubmit
from .contracts import (
    NewContract,
    contract_update,
    contracts_check,
    contracts_create,
    contracts_from_applications,
    new_contract_refusal,
)
from .deadlines import season_set, withdraw_all_due, withdraw_unreceived
from .disbursement import batch_disburse
from .receipts import receipt_record, receipts_import
from .transitions import batch_transition, contract_transition

__all__ = [
    "NewContract", "application_cancel", "application_submit", "application_update", "bank_approve_rest",
    "bank_decide", "batch_disburse", "batch_summarise", "batch_transition", "contract_resubmit",
    "contract_transition", "contract_update", "contracts_check", "contracts_create",
    "contracts_from_applications", "new_contract_refusal", "receipt_record", "receipts_import", "season_set",
    "student_register", "withdraw_all_due", "withdraw_unreceived",
]
