"""A deduction run from lines to postings (DOMAIN.md §4 Channels and Overdue; seed [001] 三).

1. :func:`deduction_prepare` (the 20th, not 20 Nov; after the day's settlement): every live account
   owing on the day — due and overdue principal and interest, penalties charged and accrued to the
   day — and every early-repayment application due that day gets one line, in the run of its
   channel (Alipay, or the agent bank serving its county); then each run's file is written.
2. The channel deducts and returns a result file (``channel_simulator`` plays it in demo and tests).
3. :func:`.results.deduction_import` checks the whole file against the run, then records what
   each row changes (a first file, or a correcting one); the same file twice is refused.
4. :func:`.posting.deduction_post` posts what was paid through ``services.repayment_post``, each
   file row exactly once; what was not paid stays overdue and accrues penalty to the next 20th.

Each step is idempotent: prepare per (business date, run) through a ``jobs.runner`` job that is
done only once every run's file is written; import by the file's hash; posting by a unique row per
(line, file) and its compare-and-set.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from xuedai.core.early_repayment import NO_DEDUCTION_MONTH
from xuedai.core.money import ZERO
from xuedai.jobs.runner import Job, job_execute
from xuedai.origination.models import LIVE_STATES

from ..channels import collecting_agent_bank
from ..models import (
    Channel,
    DeductionLine,
    DeductionRun,
    EarlyRepaymentApplication,
    EarlyRepaymentStatus,
    LineKind,
    LoanAccount,
    RunStatus,
)
from ..services.ledger import account_replay
from ..services.servicing import early_repayment_execute, penalty_accrue
from . import files
from .files import media_dir
from .layouts import LAYOUTS

CHUNK = 200


def is_deduction_day(on: dt.date) -> bool:
    """The 20th of every month except November (DOMAIN.md §4 Overdue, §8; [001 附件四])."""
    return on.day == 20 and on.month != NO_DEDUCTION_MONTH


def _owing_q(on: dt.date) -> Q:
    owing = Q(principal_due__gt=0) | Q(interest_due__gt=0) | Q(penalty_due__gt=0)
    early = Q(early_repayments__deduct_on=on, early_repayments__status=EarlyRepaymentStatus.PENDING)
    return Q(contract__state__in=LIVE_STATES, opened_on__lt=on) & (owing | early)


class _OpenRun:
    """A run being filled: the next 序号 and the accounts it already has (a resumed prepare)."""

    def __init__(self, run: DeductionRun) -> None:
        self.run = run
        self.seq = run.lines.order_by("-seq").values_list("seq", flat=True).first() or 0
        self.accounts = set(run.lines.values_list("account_id", flat=True))


def _run_for(on: dt.date, account: LoanAccount, runs: dict) -> _OpenRun:
    # The channel every page names for this contract (loans.channels).
    agent = collecting_agent_bank(account.contract)
    key = agent.pk if agent else None
    if key not in runs:
        channel = Channel.AGENT_BANK if agent else Channel.ALIPAY
        run, _ = DeductionRun.objects.get_or_create(business_date=on, channel=channel, agent_bank=agent)
        runs[key] = _OpenRun(run)
    return runs[key]


def _line_amounts(account: LoanAccount, on: dt.date, early: EarlyRepaymentApplication | None) -> dict:
    # Penalties run only on amounts already overdue; amounts due today have none yet.
    overdue = account.oldest_unpaid_due is not None and account.oldest_unpaid_due < on
    accrued = penalty_accrue(account=account, on=on) if overdue else ZERO
    principal, interest = account.principal_due, account.interest_due
    penalty = account.penalty_due + accrued
    if early is not None:
        state = account_replay(account, on).state
        not_yet_due = state.outstanding_principal - state.overdue_principal - principal
        wanted = not_yet_due if early.principal is None else min(early.principal, not_yet_due)
        principal += max(wanted, ZERO)
        interest += state.accrued_borrower_interest
    amount = principal + interest + penalty - account.credit
    return {"principal": principal, "interest": interest, "penalty": penalty, "amount": max(amount, ZERO)}


def deduction_prepare(*, on: dt.date, actor=None, on_progress=None, out=None) -> list[DeductionRun]:
    """Lines for every account owing on ``on``, one run per channel, files written: one job whose
    phases are the lines (keyset chunks, each with its checkpoint) and the files, done — with its
    one audit entry — only once every run's file is on disk. Idempotent and resumable."""
    if not is_deduction_day(on):
        return []
    from ..batches import job_postings, keyset_phase

    base = LoanAccount.objects.filter(pk__in=LoanAccount.objects.filter(_owing_q(on)).values("pk"))
    runs: dict = {}

    def process(batch: list[LoanAccount], job) -> None:
        for account in batch:
            open_run = _run_for(on, account, runs)
            if account.pk in open_run.accounts:
                continue
            early = next((e for e in account.early_repayments.all()
                          if e.deduct_on == on and e.status == EarlyRepaymentStatus.PENDING), None)
            amounts = _line_amounts(account, on, early)
            if amounts["amount"] <= 0:
                if early is not None:  # the credit already covers it: nothing to deduct
                    early_repayment_execute(actor=actor, account=account, on=on, job_run=job)
                continue
            overdue = account.oldest_unpaid_due is not None and account.oldest_unpaid_due < on
            kind = LineKind.EARLY if early else LineKind.OVERDUE if overdue else LineKind.DUE
            open_run.seq += 1
            open_run.accounts.add(account.pk)
            DeductionLine.objects.create(run=open_run.run, seq=open_run.seq, account=account,
                                         county=account.contract.county, kind=kind, early_repayment=early,
                                         **amounts)
        if on_progress:
            on_progress(job)

    def files(job) -> None:
        for run in DeductionRun.objects.filter(business_date=on).order_by("channel", "agent_bank_id"):
            if run.status == RunStatus.SENT:  # (re)written until the channel has answered: idempotent
                deduction_file_write(run=run)
                job.report(f"  扣款文件: {run.layout_name} {run.lines_count:,} 笔")

    def summary(job) -> tuple[dict, dict]:
        after: dict = {"job_run": job.run.pk, **job_postings(job.run)}
        for run in DeductionRun.objects.filter(business_date=on).order_by("channel", "agent_bank_id"):
            after[f"run.{run.pk}"] = f"{run.layout_name} {run.lines_count:,} 笔 {run.amount_requested:,.2f}"
        return {"lines": DeductionLine.objects.filter(run__business_date=on).count()}, after

    accounts = base.select_related("contract__county__agent_bank", "contract__policy_version") \
        .prefetch_related("early_repayments", "reliefs__programme")
    job = Job.claim(kind="loans.deduction_prepare", business_date=on, actor=actor, out=out)
    lines = keyset_phase(accounts, process, label="扣款明细", section="lines", size=CHUNK)
    job_execute(job, [("lines", lines), ("files", files)], total=base.count(),
                action="loans.deduction_prepare_batch", summary=summary)
    return list(DeductionRun.objects.filter(business_date=on).order_by("channel", "agent_bank_id"))


def line_row(line: DeductionLine, run: DeductionRun) -> dict:
    contract = line.account.contract
    return {"seq": line.seq, "contract_no": contract.contract_no, "name": contract.borrower.name,
            "id_number": contract.borrower.id_number, "channel_account": line.account.channel_account,
            "county": line.county.name if line.county else "", "kind": line.get_kind_display(),
            "agent_bank": run.agent_bank.name if run.agent_bank else "", "principal": line.principal,
            "interest": line.interest, "penalty": line.penalty, "amount": line.amount,
            "result": "", "paid": "", "reason": ""}


@transaction.atomic
def deduction_file_write(*, run: DeductionRun) -> Path:
    """Write (or rewrite) the run's file under MEDIA_ROOT and total the run.

    The file is written under a temporary name and renamed over its own in one step, so a file
    under its name is always whole: a kill mid-write leaves the previous version (or none)."""
    lines = run.lines.select_related("account__contract__borrower", "county").order_by("seq")
    count = lines.count()
    name = f"{run.pk:06d}-{run.layout_name}"
    path = files.output_path(media_dir(run) / name, count)
    part = path.with_name(f".{path.stem}.part{path.suffix}")  # the suffix picks the format
    files.write_rows(part, LAYOUTS[run.layout_name], (line_row(line, run) for line in lines.iterator()),
                     count=count)
    os.replace(part, path)
    run.request_file = str(path.relative_to(settings.MEDIA_ROOT))
    run.lines_count = count
    run.amount_requested = sum(lines.values_list("amount", flat=True), ZERO)
    run.save(update_fields=["request_file", "lines_count", "amount_requested"])
    return path


# The import and the posting live in their own modules; their names stay reachable from here.
from .posting import deduction_post  # noqa: E402
from .results import ImportError_, deduction_import  # noqa: E402

__all__ = ["ImportError_", "deduction_file_write", "deduction_import", "deduction_post", "deduction_prepare",
           "is_deduction_day", "line_row", "media_dir"]
