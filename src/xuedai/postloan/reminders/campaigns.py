"""Reminder campaigns as batch jobs: xuedai.jobs.runner.batch_run keyed by (kind, business date,
scope), so running a campaign again on the same business date sends nothing twice; each delivery is
also unique per (campaign, borrower, channel), which covers a resumed or overlapping run.

A chunk commits its delivery records together; a crash mid-chunk can resend that chunk's texts on
resume (at-least-once, like any SMS gateway) — chunks are kept small for that reason.
"""

import datetime as dt
import hashlib
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from xuedai.borrowers.models import Borrower
from xuedai.core.deposits import overdue_deduction
from xuedai.jobs.runner import batch_run
from xuedai.loans.amount_due import borrower_due
from xuedai.loans.models import LoanAccount
from xuedai.origination.models import LIVE_STATES, Contract

from ..models import CampaignKind, Reminder, ReminderCampaign
from . import rules, texts
from .channels import Recipient, ReminderChannel, configured_channels

CHUNK_SIZE = 100


def _owed_on_accounts(borrower: Borrower, contract_ids: list[int] | None = None) -> tuple[Decimal, Decimal]:
    """(amount owed today, credit waiting) from the ledger's cached balances."""
    accounts = LoanAccount.objects.filter(contract__borrower=borrower)
    if contract_ids:
        accounts = accounts.filter(contract_id__in=contract_ids)
    total = accounts.aggregate(p=Sum("principal_due"), i=Sum("interest_due"), pen=Sum("penalty_due"),
                               acc=Sum("penalty_accrued"), credit=Sum("credit"))
    owed = sum((total[k] or Decimal(0) for k in ("p", "i", "pen", "acc")), Decimal(0))
    return owed, total["credit"] or Decimal(0)


def _already_reminded(borrower: Borrower, campaign: ReminderCampaign) -> bool:
    return Reminder.objects.filter(borrower=borrower, campaign__business_date=campaign.business_date).exclude(
        campaign=campaign).exists()


def compose(kind: str, borrower: Borrower, today: dt.date, campaign: ReminderCampaign | None = None,
            contract_ids: list[int] | None = None) -> tuple[str, dt.date | None] | None:
    """The text for one borrower, and the due date it is about — or None when the rule says no.
    Amounts, days and channel are loans.amount_due's, the answer every page gives."""
    due = borrower_due(borrower, today)
    if not due.contracts:
        return None
    nxt = due.next
    overdue_now = due.overdue.total if due.overdue else Decimal(0)
    context = texts.base_context(borrower, "、".join(c.short for c in due.channels))
    if kind == CampaignKind.ANNUAL_DUE:
        if not rules.annual_notice_due(nxt.on if nxt else None, today):
            return None
        if Reminder.objects.filter(borrower=borrower, campaign__kind=kind, due_on=nxt.on).exclude(
                campaign=campaign).exists():
            return None  # already told about this due date on an earlier day
        if campaign is not None and _already_reminded(borrower, campaign):
            return None
        context |= texts.amounts(nxt.interest, nxt.principal)
        context |= {"due_on": texts.day(nxt.on), "deposit_by": texts.day(nxt.deposit_by)}
        return texts.reminder_text(kind, context), nxt.on
    if kind == CampaignKind.INTENSIFIED:
        owed, credit = _owed_on_accounts(borrower)
        due_now = max(owed, overdue_now) if owed else overdue_now
        if not rules.intensified_target(nxt.on if nxt else None, due_now > 0, today):
            return None
        amount_due = (nxt.total if nxt else Decimal(0)) + due_now
        if credit >= amount_due > 0:
            return None  # the money is already waiting in the account
        if campaign is not None and _already_reminded(borrower, campaign):
            return None
        _, end = rules.intensified_window(today.year)
        due_on = nxt.on if nxt and nxt.on <= end else end
        context |= texts.amounts(nxt.interest if nxt else Decimal(0), nxt.principal if nxt else Decimal(0))
        context |= {"due_on": texts.day(due_on), "days_left": (due_on - today).days,
                    "due_now": texts.money(due_now) if due_now > 0 else ""}
        return texts.reminder_text(kind, context), due_on
    if kind == CampaignKind.FAILED_DEDUCTION:
        owed, _ = _owed_on_accounts(borrower, contract_ids)
        amount = owed if owed > 0 else overdue_now
        # The newer rule: deposit by the 15th, re-deducted on the 20th (DOMAIN.md §1; core.deposits).
        deposit_by, rededuct = overdue_deduction(today)
        context |= {"amount": texts.money(amount), "business_date": texts.day(today),
                    "rededuct_on": texts.day(rededuct), "deposit_by": texts.day(deposit_by)}
        return texts.reminder_text(kind, context), rededuct
    raise ValueError(f"unknown campaign kind {kind!r}")


def deliver(campaign: ReminderCampaign, borrower: Borrower, text: str, due_on: dt.date | None,
            channels: list[ReminderChannel]) -> int:
    """Send through each channel not yet used for this borrower in this campaign."""
    sent = 0
    done = set(Reminder.objects.filter(campaign=campaign, borrower=borrower)
               .values_list("channel", flat=True))
    recipient = Recipient(name=borrower.name, mobile=borrower.mobile, email=borrower.email,
                          borrower_id=borrower.pk)
    for channel in channels:
        if channel.name in done:
            continue
        result = channel.send(recipient, text)
        Reminder.objects.create(borrower=borrower, campaign=campaign, channel=channel.name,
                                recipient=result.recipient[:120], text=text, due_on=due_on,
                                status=result.status, provider_id=result.provider_id[:64],
                                error=result.error[:300], sent_at=timezone.now() if result.ok else None)
        sent += 1
    return sent


def candidate_borrower_ids(kind: str, today: dt.date, contract_ids: Iterable[int] | None = None) -> list[int]:
    """A cheap database pre-filter; the rules above decide per borrower."""
    live = Contract.objects.filter(state__in=LIVE_STATES, disbursed_on__isnull=False, disbursed_on__lte=today)
    if kind == CampaignKind.FAILED_DEDUCTION:
        live = Contract.objects.filter(pk__in=list(contract_ids or []))
    elif kind == CampaignKind.ANNUAL_DUE:
        horizon = today + dt.timedelta(days=rules.ANNUAL_LEAD_DAYS)
        live = live.filter(Q(policy_version__settlement_day__in=rules.annual_candidate_days(today))
                           | Q(maturity_date__gt=today, maturity_date__lte=horizon))
    elif kind == CampaignKind.INTENSIFIED and not rules.is_intensified_day(today):
        return []
    return sorted(set(live.values_list("borrower_id", flat=True)))


def campaign_run(*, kind: str, business_date: dt.date, actor=None, contract_ids: Iterable[int] | None = None,
                 channels: list[ReminderChannel] | None = None) -> ReminderCampaign:
    """Run one campaign for a business date as an idempotent, resumable batch."""
    contract_ids = sorted(set(contract_ids or []))
    campaign, _ = ReminderCampaign.objects.get_or_create(kind=kind, business_date=business_date)
    ids = candidate_borrower_ids(kind, business_date, contract_ids)
    channels = channels if channels is not None else configured_channels()
    scope_key = "all"
    if kind == CampaignKind.FAILED_DEDUCTION:
        # Several deduction runs a day (Alipay, each agent bank) each call the hook with their own
        # contracts: each call is its own batch; deliveries stay unique per borrower anyway.
        scope_key = "contracts:" + hashlib.sha256(",".join(map(str, contract_ids)).encode()).hexdigest()[:24]

    def chunk_for(batch_ids: list[int]):
        def chunk(checkpoint: dict) -> tuple[int, dict]:
            sent = 0
            for borrower in Borrower.objects.filter(pk__in=batch_ids).select_related(
                    "county", "county__agent_bank", "university").order_by("pk"):
                composed = compose(kind, borrower, business_date, campaign, contract_ids or None)
                if composed is not None:
                    sent += deliver(campaign, borrower, composed[0], composed[1], channels)
            return len(batch_ids), {"last_borrower": batch_ids[-1], "sent": checkpoint.get("sent", 0) + sent}
        return chunk

    chunks = [chunk_for(ids[i:i + CHUNK_SIZE]) for i in range(0, len(ids), CHUNK_SIZE)]
    run = batch_run(kind=f"postloan.reminders.{kind}", business_date=business_date, scope_key=scope_key,
                    total=len(ids), chunks=chunks, actor=actor)
    if campaign.job_run_id is None:
        campaign.job_run = run
        campaign.save(update_fields=["job_run"])
    return campaign


def reminders_for_day(business_date: dt.date, *, actor=None) -> list[ReminderCampaign]:
    """The calendar's daily reminders: the annual notice, then the intensified ones (failed
    deductions come through reminders_for_failed_deductions, called by the deduction import)."""
    return [campaign_run(kind=kind, business_date=business_date, actor=actor)
            for kind in (CampaignKind.ANNUAL_DUE, CampaignKind.INTENSIFIED)]


def reminders_for_failed_deductions(contract_ids: Iterable[int], business_date: dt.date, *, actor=None
                                    ) -> ReminderCampaign:
    """The hook for the loans app: call after posting a deduction run's answer with the contracts
    whose deduction failed. Idempotent per business date and contract set; a borrower is told once
    per business date however many runs include them."""
    return campaign_run(kind=CampaignKind.FAILED_DEDUCTION, business_date=business_date, actor=actor,
                        contract_ids=contract_ids)
