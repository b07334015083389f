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
from .servicing import (
                        EarlyRepaymentApplication,
                        EarlyRepaymentStatus,
                        GradeRecord,
                        ReliefApplication,
                        ReliefProgramme,
)
from .terms_changes import TermsChange, TermsChangeKind

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
                        "Posting",
                        "ReliefApplication",
                        "ReliefProgramme",
                        "ResultFile",
                        "ResultRow",
                        "RunStatus",
                        "TermsChange",
                        "TermsChangeKind",
]
