"""``xuedai reconcile``, second half: the ledger against the channels' result files.

The first half (:mod:`.reconcile`) rebuilds each account from its own postings, so a payment posted
twice agrees with itself. This half starts from outside the ledger: for every deduction run with an
imported result, each line's 实扣金额 as the files record it (DOMAIN.md §4 Channels: what the
channel says it took) must equal the cash the run's posting jobs put on that account —
Σ PAY_* + CREDIT_IN − CREDIT_APPLIED (``ledger_payments``' definition of cash paid in), less any
reversal of those postings. A line posted five times shows five times its amount; a result
recorded but never posted shows 0 against it.

The run's posting jobs are each result file's job (``result:<id>``) and, for runs posted before
result files were kept, the run's own job.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from xuedai.core.money import ZERO

from .models import PAY_KINDS, DeductionRun, Kind, LineResult, Posting, RunStatus

_CASH_SIGN = {**dict.fromkeys(PAY_KINDS, 1), Kind.CREDIT_IN: 1, Kind.CREDIT_APPLIED: -1}


@dataclass(frozen=True)
class FileDifference:
    account_id: int
    run_id: int
    where: str  # 扣款日 渠道 第n笔
    ledger: Decimal  # cash the run's jobs posted
    recomputed: Decimal  # 实扣金额 in the result files

    @property
    def field(self) -> str:
        return f"deduction_run.{self.run_id}.paid"

    def __str__(self) -> str:
        return f"账户 {self.account_id}\t回盘 {self.where}\t入账 {self.ledger}\t回盘实扣 {self.recomputed}"


def run_jobs(run: DeductionRun) -> set[int]:
    jobs = set(run.result_files.exclude(job_run=None).values_list("job_run_id", flat=True))
    if run.job_run_id:
        jobs.add(run.job_run_id)
    return jobs


def cash_by_account(jobs: set[int]) -> dict[int, Decimal]:
    """Cash the jobs posted per account, net of reversals of those postings (whoever made them)."""
    cash: dict[int, Decimal] = defaultdict(lambda: ZERO)
    if not jobs:
        return cash
    posted = Posting.objects.filter(job_run_id__in=jobs, kind__in=list(_CASH_SIGN))
    rows = posted.values_list("account_id", "kind", "amount").iterator(chunk_size=5000)
    for account_id, kind, amount in rows:
        cash[account_id] += _CASH_SIGN[kind] * amount
    reversed_ = Posting.objects.filter(kind=Kind.REVERSAL, reverses__job_run_id__in=jobs,
                                       reverses__kind__in=list(_CASH_SIGN))
    for account_id, kind, amount in reversed_.values_list("account_id", "reverses__kind", "amount"):
        cash[account_id] -= _CASH_SIGN[kind] * amount
    return cash


def run_differences(run: DeductionRun) -> list[FileDifference]:
    cash = cash_by_account(run_jobs(run))
    out = []
    lines = run.lines.order_by("seq").values_list("seq", "account_id", "result", "paid")
    channel = run.get_channel_display()
    for seq, account_id, result, paid in lines.iterator(chunk_size=5000):
        expected = paid if result == LineResult.SUCCESS else ZERO
        got = cash.pop(account_id, ZERO)
        if got != expected:
            where = f"{run.business_date} {channel} 第{seq}笔"
            out.append(FileDifference(account_id, run.pk, where, got, expected))
    for account_id, got in sorted(cash.items()):  # posted by the run's jobs to an account not in it
        if got:
            out.append(FileDifference(account_id, run.pk, f"{run.business_date} {channel} 批外", got, ZERO))
    return out


def result_file_differences(*, as_of: dt.date) -> Iterator[FileDifference]:
    """Every imported run up to ``as_of``, oldest first."""
    runs = DeductionRun.objects.filter(business_date__lte=as_of).exclude(status=RunStatus.SENT) \
        .order_by("business_date", "pk")
    for run in runs.iterator():
        yield from run_differences(run)
