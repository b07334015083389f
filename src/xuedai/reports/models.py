"""The reports app's tables: the quarter end (reports.quarter.models), the credit-bureau files
(reports.bureau.models) and the default lists (reports.defaults.models)."""

from .bureau.models import CreditCheckpoint, CreditFile, CreditRecord  # noqa: F401
from .defaults.models import DefaultEntry, DefaultList  # noqa: F401
from .quarter.models import (  # noqa: F401 — Django finds an app's models through this module
    GradeDesignation,
    GradeMove,
    ProvinceSummary,
    QualityReport,
    QualityReportVersion,
    QuarterGrade,
    QuarterNormalLine,
    QuarterSnapshot,
    SpecialAccountReport,
)
