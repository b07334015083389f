from .kinds import BALANCES, EFFECTS, PAY_KINDS, Kind
from .ledger import LoanAccount, Posting

__all__ = ["BALANCES", "EFFECTS", "PAY_KINDS", "Kind", "LoanAccount", "Posting"]
