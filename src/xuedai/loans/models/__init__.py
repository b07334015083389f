from .deduction import (
    Channel,
    DeductionLine,
    DeductionRun,
    LineKind,
    LineResult,
    ResultFile,
    ResultRow,
    RunStatus,
)
from .kinds import BALANCES, EFFECTS, OUTSIDE_ENGINE, PAY_KINDS, Kind
from .ledger import LoanAccount, Posting
from .rates import LprReset, NoticeReset, RateChange, RateChangeReason, RateResetRule
from .servicing import (
    EarlyRepaymentApplication,
    EarlyRepaymentStatus,
    GradeRecord,
    ReliefApplication,
    ReliefProgramme,
)
from .terms_changes import TermsChange, TermsChangeKind
from .tranches import TrancheCancellation

__all__ = [
    "BALANCES",
    "EFFECTS",
    "OUTSIDE_ENGINE",
    "PAY_KINDS",
    "Channel",
    "DeductionLine",
    "DeductionRun",
    "EarlyRepaymentApplication",
    "EarlyRepaymentStatus",
    "GradeRecord",
    "Kind",
    "LineKind",
    "LineResult",
    "LoanAccount",
    "LprReset",
    "NoticeReset",
    "Posting",
    "RateChange",
    "RateChangeReason",
    "RateResetRule",
    "ReliefApplication",
    "ReliefProgramme",
    "ResultFile",
    "ResultRow",
    "RunStatus",
    "TermsChange",
    "TermsChangeKind",
    "TrancheCancellation",
]
