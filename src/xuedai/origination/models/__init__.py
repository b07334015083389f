"""Origination models: contracts, students' online applications, county batches and seasons, events.

Split by subject (ARCHITECTURE principle 9); import from here, as before the split.
"""

from .application import Application, ApplicationState
from .batch import BatchState, CountyBatch, CountySeason
from .contract import LIVE_STATES, Contract, ContractState
from .events import BatchEvent, ContractEvent

__all__ = [
    "LIVE_STATES", "Application", "ApplicationState", "BatchEvent", "BatchState", "Contract",
    "ContractEvent", "ContractState", "CountyBatch", "CountySeason",
]
