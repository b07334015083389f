"""The reports app's tables: the quarter end (reports.quarter.models)."""

from .quarter.models import (  # noqa: F401 — Django finds an app's models through this module
    GradeDesignation,
    GradeMove,
    ProvinceSummary,
    QualityReport,
    QualityReportVersion,
    QuarterGrade,
    QuarterSnapshot,
    SpecialAccountReport,
)
