"""Origination models: contracts, students' online applications, county batches and seasons, events.

Split by subject (ARCHITECTURE principle 9); import from here, as before the split.
"""

from .application import Application, ApplicationState
from .archive import ArchiveFile, ArchiveItemReceipt
from .batch import BatchState, CountyBatch, CountySeason
from .campus import CampusFile, Instalment, NoticeObjection, Payee, UniversityQuota
from .commercial import CommercialFile, Extension, GuaranteeKind, PrepaymentNotice, RepaymentMethod
from .contract import ENDED_STATES, LIVE_STATES, SERVICING_STATES, Contract, ContractState
from .events import BatchEvent, ContractEvent

__all__ = [
    "ENDED_STATES",
    "LIVE_STATES",
    "SERVICING_STATES",
    "Application",
    "ApplicationState",
    "ArchiveFile",
    "ArchiveItemReceipt",
    "BatchEvent",
    "BatchState",
    "CampusFile",
    "CommercialFile",
    "Contract",
    "ContractEvent",
    "ContractState",
    "CountyBatch",
    "CountySeason",
    "Extension",
    "GuaranteeKind",
    "Instalment",
    "NoticeObjection",
    "Payee",
    "PrepaymentNotice",
    "RepaymentMethod",
    "UniversityQuota",
]
