"""Running the business calendar: which batches a day needs, and which days need any (DOMAIN.md §8).

A day's order matters and follows the engine's order of events (``core.engine``): on a rate day (each
1 January, a notice's own day: ``loans.rate_schedule.rate_days``) the rate changes due are
registered first — a change must be in place before any posting of its day computes interest
(DOMAIN.md §1 interest rate, §4) — then settlement
(20 Dec and maturities), then the deduction run on the 20th (not 20 Nov) — penalties accrued to the
day, file written, the channel's answer imported and posted — then, at a quarter end, penalty
accrual and classification. Disbursement of approved contracts is the simulation's stand-in for
the mid-November payout (DOMAIN.md §3.1 step 7).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction

from xuedai.core.money import ZERO
from xuedai.jobs.runner import Job, job_execute
from xuedai.loans.batches import (
    classification_batch,
    is_quarter_end,
    live_accounts,
    penalty_batch,
    settlement_batch,
)
from xuedai.loans.channel_simulator import channel_answer
from xuedai.loans.deduction.services import (
    deduction_import,
    deduction_post,
    deduction_prepare,
    is_deduction_day,
)
from xuedai.loans.models import DeductionLine, LineResult
from xuedai.loans.rate_schedule import rate_days
from xuedai.loans.services import contract_disburse
from xuedai.loans.services.rates import rate_changes_post
from xuedai.loans.services.tranches import planned_days, tranches_pay_out
from xuedai.loans.terms import contract_terms
from xuedai.origination.models import Contract, ContractState
from xuedai.policies.models import PolicyVersion
from xuedai.postloan.reminders import reminders_for_day, reminders_for_failed_deductions

DISBURSEMENT_DAY = (11, 15)


def event_days(start: dt.date, until: dt.date) -> list[dt.date]:
    """Days in (start, until] on which some batch has work: each 20th, quarter ends, the payout day,
    the rate days (1 January, a notice's reaching day), each version's settlement day, planned
    tranches of staged disbursements, and every live account's maturity (deferrals included)."""
    days: set[dt.date] = set()
    year, month = start.year, start.month
    while dt.date(year, month, 1) <= until:
        candidates = [dt.date(year, month, 20), _month_end(year, month)]
        if month == DISBURSEMENT_DAY[0]:
            candidates.append(dt.date(year, *DISBURSEMENT_DAY))
        days |= {d for d in candidates if start < d <= until
                 and (d.day == 20 or is_quarter_end(d) or (d.month, d.day) == DISBURSEMENT_DAY)}
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    days |= rate_days(start, until)
    days |= _settlement_days(start, until)
    days |= planned_days(start, until)
    accounts = live_accounts(start).select_related("contract__policy_version")
    days |= set(accounts.filter(contract__maturity_date__gt=start, contract__maturity_date__lte=until)
                .values_list("contract__maturity_date", flat=True))
    for account in accounts.filter(reliefs__defer_principal=True).distinct():
        maturity = contract_terms(account.contract).maturity
        if start < maturity <= until:
            days.add(maturity)
    return sorted(days)


def _settlement_days(start: dt.date, until: dt.date) -> set[dt.date]:
    """Each version's settlement day in every year (DOMAIN.md §1: 20 Dec, "some contracts carry
    21 Dec"), so a 21 Dec contract is settled by the simulated calendar too."""
    month_days = {tuple(int(x) for x in value.split("-"))
                  for value in PolicyVersion.objects.values_list("settlement_day", flat=True).distinct()}
    return {day for year in range(start.year, until.year + 1) for month, dom in month_days
            if start < (day := dt.date(year, month, dom)) <= until}


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return first_next - dt.timedelta(days=1)


def disburse_approved(*, on: dt.date, actor=None) -> int:
    """Pay out approved contracts of the academic year starting this autumn; returns how many
    contracts were disbursed on ``on`` (a resumed day counts those of the first attempt too)."""
    for contract in Contract.objects.filter(state=ContractState.APPROVED, academic_year=on.year,
                                            maturity_date__gt=on).order_by("pk"):
        contract_disburse(actor=actor, contract=contract, on=on)
    return Contract.objects.filter(disbursed_on=on, academic_year=on.year).count()


def business_day_run(*, on: dt.date, actor=None, channel_seed: int | None = None, disburse: bool = False,
                     out: Callable[[str], None] | None = None) -> dict:
    """Run every batch ``on`` needs, in the order of DOMAIN.md §8, as one job (``loans.day``) whose
    phases are the day's batches — each a job of its own, idempotent and resumable — so the day
    says done only when every batch of it has. With ``channel_seed`` the channel simulator answers
    the deduction files at once (demo, tests); without it the runs wait for a real result file."""
    simulated = channel_seed is not None or disburse
    scope = f"seed:{channel_seed}:disburse:{int(disburse)}" if simulated else "all"
    job = Job.claim(kind="loans.day", business_date=on, scope_key=scope, actor=actor, out=out)

    def step(name: str, work: Callable[[], dict]):
        def phase(job: Job) -> None:
            values = work()
            with transaction.atomic():
                job.progress(0, {"summary": values})
        return name, phase

    def deduction() -> dict:
        runs = deduction_prepare(on=on, actor=actor, out=out)
        values: dict = {"deduction_lines": sum(r.lines_count for r in runs)}
        if channel_seed is not None:
            for run in runs:
                if run.status == "sent":
                    deduction_import(actor=actor, run=run, path=channel_answer(run=run, seed=channel_seed))
                if run.status != "posted":
                    deduction_post(actor=actor, run=run)
            values["paid"] = str(sum((r.amount_paid for r in runs), ZERO))
        return values

    def quarter_end() -> dict:
        penalty_batch(on=on, actor=actor, out=out)
        return {"classified": classification_batch(on=on, actor=actor, out=out).progress_done}

    phases = []
    if on in rate_days(on - dt.timedelta(days=1), on):
        phases.append(step("reprice", lambda: {"repriced": len(
            rate_changes_post(actor=actor, until=on).contracts)}))
    # Staged disbursement (DOMAIN.md §3.2, §3.3): the day's tranches are paid out before settlement,
    # so interest runs on them from this day (core.tranches).
    phases.append(step("tranches", lambda: {"tranches_paid": tranches_pay_out(on=on, actor=actor)}))
    if disburse and (on.month, on.day) == DISBURSEMENT_DAY:
        phases.append(step("disburse", lambda: {"disbursed": disburse_approved(on=on, actor=actor)}))
    phases.append(step("settlement",
                       lambda: {"settled": settlement_batch(on=on, actor=actor, out=out).progress_done}))
    if is_deduction_day(on):
        phases.append(step("deduction", deduction))
    if is_quarter_end(on):
        phases.append(step("quarter_end", quarter_end))
    phases.append(step("reminders", lambda: {"reminder_campaigns": post_loan_reminders(on=on, actor=actor)}))
    run = job_execute(job, phases, action="loans.day_batch", summary=lambda job: (
        job.section("summary"), {"job_run": job.run.pk, **job.section("summary")}))
    return _typed(run.result)


def _typed(summary: dict) -> dict:
    """The day's summary as the callers read it (amounts back to Decimal; JSON kept them as text)."""
    return {key: Decimal(value) if key == "paid" else value for key, value in summary.items()}


def post_loan_reminders(*, on: dt.date, actor=None) -> int:
    """Hand the day to post-loan's reminder campaigns (DOMAIN.md §5, §8: the annual notice before
    20 Dec, intensified 20 Nov–20 Dec, and a message after every failed deduction); each campaign is
    idempotent per business date."""
    campaigns = reminders_for_day(on, actor=actor)
    failed = list(DeductionLine.objects.filter(run__business_date=on, result=LineResult.FAILED)
                  .values_list("account_id", flat=True).distinct())
    if failed:  # the account's key is the contract's
        campaigns.append(reminders_for_failed_deductions(failed, on, actor=actor))
    return len(campaigns)
