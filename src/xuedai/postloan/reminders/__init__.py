"""Reminders (DOMAIN.md §5, §8): campaigns by rule, pluggable channels, delivery records.

The loans app calls ``reminders_for_failed_deductions(contract_ids, business_date)`` after a
deduction run; ``reminders_for_day(business_date)`` runs the calendar's campaigns (the
``postloan_reminders`` command does both from the command line).
"""

from .campaigns import campaign_run, reminders_for_day, reminders_for_failed_deductions
from .channels import DeliveryResult, Recipient, ReminderChannel, configured_channels

__all__ = ["DeliveryResult", "Recipient", "ReminderChannel", "campaign_run", "configured_channels",
           "reminders_for_day", "reminders_for_failed_deductions"]
