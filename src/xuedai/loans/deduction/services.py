"""A deduction run from lines to postings (DOMAIN.md §4 Channels and Overdue; seed [001] 三).

1. :func:`deduction_prepare` (the 20th, not 20 Nov; after the day's settlement): every live account
   owing on the day — due and overdue principal and interest, penalties charged and accrued to the
   day — and every early-repayment application due that day gets one line, in the run of its
   channel (Alipay, or the agent bank serving its county); then each run's file is written.
2. The channel deducts and returns a result file (``channel_simulator`` plays it in demo and tests).
3. :func:`deduction_import` checks the whole file against the run, then records each line's result.
4. :func:`deduction_post` posts what was paid through ``services.repayment_post``; what was not
   paid stays overdue and accrues penalty to the next 20th.

Each step is idempotent per (business date, run) through ``jobs.runner`` jobs and line flags; the
prepare job is done only once every run's file is written.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from xuedai.audit.services import audit_record
from xuedai.core.early_repayment import NO_DEDUCTION_MONTH
from xuedai.core.money import ZERO
from xuedai.jobs.runner import Job, batch_run, job_execute
from xuedai.origination.models import LIVE_STATES

from ..models import (
    Channel,
    DeductionLine,
    DeductionRun,
    EarlyRepaymentApplication,
    EarlyRepaymentStatus,
    LineKind,
    LineResult,
    LoanAccount,
    RunStatus,
)
from ..services.ledger import account_replay
from ..services.servicing import early_repayment_execute, penalty_accrue, repayment_post
from . import files
from .layouts import AGENT_BANK, ALIPAY, FAILURE_WORDS, LAYOUTS, SUCCESS_WORDS

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
    county = account.contract.county
    agent = county.agent_bank if county is not None else None
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


def media_dir(run: DeductionRun) -> Path:
    return Path(settings.MEDIA_ROOT) / "deductions" / f"{run.business_date:%Y%m%d}"


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


class ImportError_(ValueError):
    """A result file that does not match its run; ``errors`` lists every row's problem."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("；".join(errors[:5]) + (f"（共{len(errors)}处）" if len(errors) > 5 else ""))
        self.errors = errors


@transaction.atomic
def deduction_import(*, actor, run: DeductionRun, path: Path) -> DeductionRun:
    """Record a channel's result file. The whole file is checked first: nothing is recorded unless
    every row matches a line of the run (序号 and 合同编号), a result is 成功/失败, and the amount
    taken is not more than asked. Lines already posted are left alone (a re-import is harmless)."""
    layout = ALIPAY if run.channel == Channel.ALIPAY else AGENT_BANK
    lines = {line.seq: line for line in run.lines.select_related("account__contract")}
    errors, updates = [], []
    try:
        rows = list(files.read_rows(Path(path), layout))
    except files.FileFormatError as error:
        raise ImportError_([str(error)]) from None
    for row in rows:
        where = f"第{row['row_number']}行"
        line = lines.get(row["seq"])
        if line is None or line.account.contract.contract_no != row["contract_no"]:
            errors.append(f"{where}：序号 {row['seq']} / 合同 {row['contract_no']} 不在本批扣款中")
            continue
        if row["result"] in SUCCESS_WORDS:
            result = LineResult.SUCCESS
        elif row["result"] in FAILURE_WORDS:
            result = LineResult.FAILED
        else:
            errors.append(f"{where}：扣款结果应为「成功」或「失败」，而不是「{row['result']}」")
            continue
        paid = row["paid"] if result == LineResult.SUCCESS else ZERO
        if paid > line.amount:
            errors.append(f"{where}：实扣金额 {paid} 多于应扣 {line.amount}")
            continue
        updates.append((line, result, paid, row["reason"][:100]))
    if errors:
        raise ImportError_(errors)
    for line, result, paid, reason in updates:
        if line.posted:
            continue
        line.result, line.paid, line.reason = result, paid, reason
        line.save(update_fields=["result", "paid", "reason"])
    target = media_dir(run) / f"{run.pk:06d}-结果{Path(path).suffix}"
    if Path(path).resolve() != target.resolve():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    run.result_file = str(target.relative_to(settings.MEDIA_ROOT))
    run.status = RunStatus.IMPORTED
    run.save(update_fields=["result_file", "status"])
    audit_record(actor=actor, action="loans.deduction_import", obj=run,
                 after={"rows": len(updates), "file": run.result_file})
    return run


def deduction_post(*, actor, run: DeductionRun, on_progress=None):
    """Post every paid line as a repayment on the run's day; mark failed early repayments."""
    from ..batches import keyset_chunks

    todo = run.lines.exclude(result=LineResult.PENDING)
    scope = f"run:{run.pk}"

    def process(batch: list[DeductionLine], job) -> None:
        for line in batch:
            if line.posted:
                continue
            if line.result == LineResult.SUCCESS and line.paid > 0:
                repayment_post(actor=actor, account=line.account, on=run.business_date, amount=line.paid,
                               source=f"{run.layout_name} 第{line.seq}笔", job_run=job)
            elif line.early_repayment_id:
                early_repayment_execute(actor=actor, account=line.account, on=run.business_date, job_run=job)
                EarlyRepaymentApplication.objects.filter(pk=line.early_repayment_id, status="failed").update(
                    reason=f"扣款失败：{line.reason}"[:200])
            line.posted = True
            line.save(update_fields=["posted"])

    job = batch_run(kind="loans.deduction_post", business_date=run.business_date, scope_key=scope,
                    total=todo.count(), actor=actor, on_progress=on_progress,
                    chunks=keyset_chunks(todo.select_related("account__contract__policy_version")
                                         .prefetch_related("account__reliefs__programme",
                                                           "account__early_repayments"), process,
                                         kind="loans.deduction_post", on=run.business_date, scope_key=scope,
                                         key="seq", size=CHUNK))
    paid = run.lines.filter(result=LineResult.SUCCESS)
    run.amount_paid = sum(paid.values_list("paid", flat=True), ZERO)
    run.failed_count = run.lines.filter(result=LineResult.FAILED).count()
    run.status, run.job_run = RunStatus.POSTED, job
    run.save(update_fields=["amount_paid", "failed_count", "status", "job_run"])
    return job
