"""Post-loan models, split by subject (ARCHITECTURE principle 9); import from here."""

from .assignment import Assignment
from .confirmation import ConfirmationStatus, EmploymentStatus, GraduationConfirmation, LetterRecord
from .contacts import ContactChannel, ContactLog, ContactResult, LostContactFlag, LostContactStatus
from .reminders import (
    CampaignKind,
    DeliveryStatus,
    OutboxMessage,
    Reminder,
    ReminderCampaign,
)
from .requests import (
    OverdueCertificate,
    PlanChange,
    PlanChangeKind,
    RequestStatus,
    StatusChange,
    StatusChangeKind,
)

__all__ = [
    "Assignment", "CampaignKind", "ConfirmationStatus", "ContactChannel", "ContactLog", "ContactResult",
    "DeliveryStatus", "EmploymentStatus", "GraduationConfirmation", "LetterRecord", "LostContactFlag",
    "LostContactStatus", "OutboxMessage", "OverdueCertificate", "PlanChange", "PlanChangeKind", "Reminder",
    "ReminderCampaign", "RequestStatus", "StatusChange", "StatusChangeKind",
]
