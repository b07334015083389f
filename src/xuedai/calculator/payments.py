"""The payments a contract has received, as quote requests want them ({on, amount}).

The ledger is the truth (ARCHITECTURE principle 2): the cash a borrower paid in on a day is
Σ PAY_* + CREDIT_IN − CREDIT_APPLIED of that day (loans.models.kinds.PAY_KINDS), exactly what
``xuedai reconcile`` feeds the engine — so the student's page and the ledger agree fen for fen.
"""

from xuedai.loans.services import ledger_payments
from xuedai.origination.models import Contract


def payments_for_contract(contract: Contract) -> list[dict]:
    # Before disbursement the ledger has no postings: nothing was paid.
    return [{"on": p.on.isoformat(), "amount": str(p.amount)} for p in ledger_payments(contract.pk)]
