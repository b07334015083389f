"""The batches an administrator starts from a page (DOMAIN.md §8 calendar): which there are, what a
day allows, and starting one in the background worker with its job row claimed first, so the page
shows its progress bar at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xuedai.jobs.models import JobRun
from xuedai.jobs.runner import job_run_claim
from xuedai.loans.batches import classification_batch, is_quarter_end, penalty_batch, settlement_batch

from .calendar import business_day_run


@dataclass(frozen=True)
class BatchKind:
    code: str
    label: str
    job_kind: str  # the JobRun kind the batch claims (one per business date)
    help: str


# What each batch does, as the page says it (DOMAIN.md §4 settlement and overdue, §6 classification).
KINDS = {k.code: k for k in [
    BatchKind("settlement", "结息", "loans.settlement",
              "每年12月20日（及到期日）结息：贴息记应收财政，自付利息与到期本金记应还。"),
    BatchKind("penalty", "计提罚息复利", "loans.penalty",
              "逾期本金计罚息、逾期利息计复利，计至当日。"),
    BatchKind("classification", "五级分类", "loans.classification",
              "季末（3月31日、6月30日、9月30日、12月31日）五级分类。"),
    BatchKind("day", "当日全部批处理", "loans.day",
              "按业务日历依次运行当日应运行的全部批处理（结息、扣款、季末分类等）。"),
]}
RUNS = {"settlement": settlement_batch, "penalty": penalty_batch, "classification": classification_batch}


class BatchRefused(ValueError):
    """A batch the calendar does not allow on that day; the message is Chinese, for the page."""


def check(code: str, on: dt.date) -> BatchKind:
    kind = KINDS.get(code)
    if kind is None:
        raise BatchRefused("请选择批处理类型。")
    if code == "classification" and not is_quarter_end(on):
        raise BatchRefused("五级分类只在季末运行（3月31日、6月30日、9月30日、12月31日），"
                           f"{on:%Y-%m-%d}不是季末。")
    return kind


def claim(code: str, on: dt.date, actor) -> JobRun:
    """The batch's job row for ``on``, created now (pending) so its progress can be shown before the
    worker picks it up; the batch itself claims the same row."""
    kind = check(code, on)
    return job_run_claim(kind=kind.job_kind, business_date=on, actor=actor)


def run(code: str, on: dt.date, actor) -> JobRun:
    """Run the batch now (the worker calls this); idempotent: a finished batch is not run again."""
    check(code, on)
    if code == "day":
        business_day_run(on=on, actor=actor)
        return JobRun.objects.get(kind="loans.day", business_date=on, scope_key="all")
    return RUNS[code](on=on, actor=actor)
