"""The loans batches of a business day, each idempotent per (kind, business date, scope) through
``jobs.runner.batch_run`` and resumable (ARCHITECTURE principle 7).

Work is walked in keyset chunks (ids after the checkpoint's last id), so a killed run resumes
where its last committed chunk ended even when earlier accounts have since left the selection;
each service is itself idempotent (``ledger_sync`` posts only what is missing), so nothing is
posted twice. Where ``xuedai.batch`` has a vectorised kernel for a step it is used (see
:mod:`.fastpath`); otherwise the scalar services run chunk by chunk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from django.db.models import Q, QuerySet

from xuedai.audit.services import audit_record
from xuedai.core.classification import Grade
from xuedai.jobs.models import JobRun
from xuedai.jobs.runner import batch_run, job_run_claim
from xuedai.origination.models import LIVE_STATES
from xuedai.policies.models import PolicyVersion

from . import fastpath
from .models import GradeRecord, LoanAccount, ReliefProgramme, TermsChange, TermsChangeKind
from .services import penalty_accrue, relief_apply, settlement_post
from .services.ledger import account_terms

CHUNK = 200
QUARTER_ENDS = ((3, 31), (6, 30), (9, 30), (12, 31))


def is_quarter_end(on: dt.date) -> bool:
    return (on.month, on.day) in QUARTER_ENDS


def keyset_chunks(qs: QuerySet, process: Callable[[list, JobRun], None], *, kind: str, on: dt.date,
                  scope_key: str = "all", key: str = "pk", size: int | None = None) -> Iterator:
    """Chunk functions for ``batch_run``: each takes the next ``size`` rows after the checkpoint.

    Yields chunks while rows remain after the last one done, so a resumed run (whose earlier chunks
    ``batch_run`` skips by index) always reaches the end of the selection.
    """
    size = size or CHUNK
    job = job_run_claim(kind=kind, business_date=on, scope_key=scope_key)
    state = {"last": 0, "empty": False}
    ordered = qs.order_by(key)

    def chunk(checkpoint: dict) -> tuple[int, dict]:
        last = checkpoint.get("last", 0)
        batch = list(ordered.filter(**{f"{key}__gt": last})[:size])
        process(batch, job)
        state["last"] = getattr(batch[-1], key) if batch else last
        state["empty"] = not batch
        return len(batch), {"last": state["last"]}

    while True:
        yield chunk
        if state["empty"] or not ordered.filter(**{f"{key}__gt": state["last"]}).exists():
            return


def _printer(label: str, out) -> Callable[[JobRun], None] | None:
    if out is None:
        return None
    return lambda run: out(f"  {label}: {run.progress_done}/{run.progress_total}")


def live_accounts(on: dt.date) -> QuerySet:
    return LoanAccount.objects.filter(contract__state__in=LIVE_STATES, opened_on__lt=on)


def _is_policy_settlement_day(on: dt.date) -> bool:
    days = set(PolicyVersion.objects.values_list("settlement_day", flat=True))
    return f"{on:%m-%d}" in days


def settlement_batch(*, on: dt.date, actor=None, out=None) -> JobRun:
    """Annual settlement (20 Dec) and settlement at maturity, for every account settling on ``on``."""
    kernel = fastpath.portfolio_kernel("loans_settlement")
    if kernel is not None:
        kernel(on, actor=actor, out=out)
        return JobRun.objects.get(kind="loans.settlement", business_date=on, scope_key="all")
    qs = live_accounts(on)
    if not _is_policy_settlement_day(on):
        qs = qs.filter(Q(contract__maturity_date=on) | Q(reliefs__defer_principal=True)).distinct()
        qs = LoanAccount.objects.filter(pk__in=qs.values("pk"))

    def process(batch, job):
        for account in batch:
            if on in account_terms(account).settlement_dates():
                settlement_post(actor=actor, account=account, on=on, job_run=job)

    qs = qs.select_related("contract__policy_version").prefetch_related("reliefs__programme",
                                                                        "early_repayments")
    return batch_run(kind="loans.settlement", business_date=on, total=qs.count(), actor=actor,
                     on_progress=_printer("结息", out),
                     chunks=keyset_chunks(qs, process, kind="loans.settlement", on=on))


def penalty_batch(*, on: dt.date, actor=None, out=None) -> JobRun:
    """Accrue penalty and compound interest to ``on`` on every account with anything overdue."""
    qs = live_accounts(on).filter(Q(principal_due__gt=0) | Q(interest_due__gt=0) | Q(penalty_due__gt=0))
    qs = qs.select_related("contract__policy_version").prefetch_related("reliefs__programme",
                                                                        "early_repayments")

    def process(batch, job):
        for account in batch:
            penalty_accrue(account=account, on=on)

    return batch_run(kind="loans.penalty", business_date=on, total=qs.count(), actor=actor,
                     on_progress=_printer("罚息计提", out),
                     chunks=keyset_chunks(qs, process, kind="loans.penalty", on=on))


def _grade_confirmed_deaths_as_loss(on: dt.date) -> None:
    """The kernel grades by days overdue alone; a confirmed death is 损失 whatever the days (DOMAIN.md
    §6), as the scalar path (fastpath.classify_accounts) grades it. Set-based: one UPDATE per table."""
    dead = TermsChange.objects.filter(kind=TermsChangeKind.DEATH).values("contract_id")
    GradeRecord.objects.filter(as_of=on, account_id__in=dead).update(grade=Grade.LOSS.value)
    LoanAccount.objects.filter(pk__in=dead, graded_on=on).update(grade=Grade.LOSS.value)


def classification_batch(*, on: dt.date, actor=None, out=None) -> JobRun:
    """Quarter-end five-tier classification of every live account (DOMAIN.md §6)."""
    kernel = fastpath.portfolio_kernel("loans_classification")
    if kernel is not None:
        kernel(on, actor=actor, out=out)
        _grade_confirmed_deaths_as_loss(on)
        return JobRun.objects.get(kind="loans.classification", business_date=on, scope_key="all")
    qs = live_accounts(on + dt.timedelta(days=1)).select_related("contract__policy_version",
                                                                 "contract__county", "contract__university")

    def process(batch, job):
        fastpath.classify_accounts(batch, on, job)

    run = batch_run(kind="loans.classification", business_date=on, total=qs.count(), actor=actor,
                    on_progress=_printer("五级分类", out),
                    chunks=keyset_chunks(qs, process, kind="loans.classification", on=on, size=2000))
    return run


def relief_population(*, graduation_year: int | None = None, county_id: int | None = None,
                      grades: list[str] | None = None, on: dt.date) -> QuerySet:
    """The accounts a programme is applied to: graduated borrowers (DOMAIN.md §1), optionally by
    graduation year, signing county and current grade."""
    qs = live_accounts(on + dt.timedelta(days=1)).filter(contract__borrower__graduation_date__lt=on)
    if graduation_year:
        qs = qs.filter(contract__borrower__graduation_date__year=graduation_year)
    if county_id:
        qs = qs.filter(contract__county_id=county_id)
    if grades:
        qs = qs.filter(grade__in=grades)
    return qs


def relief_batch(*, programme: ReliefProgramme, on: dt.date, actor=None, defer_principal: bool = False,
                 graduation_year: int | None = None, county_id: int | None = None,
                 grades: list[str] | None = None, out=None) -> JobRun:
    """Apply a relief programme to a population in one batch; re-runs skip accounts already done."""
    qs = relief_population(graduation_year=graduation_year, county_id=county_id, grades=grades, on=on)
    qs = qs.select_related("contract__policy_version")
    who = f"{graduation_year or '*'}:{county_id or '*'}:{','.join(grades or []) or '*'}"
    scope = f"relief:{programme.pk}:{who}"

    def process(batch, job):
        for account in batch:
            relief_apply(actor=actor, programme=programme, account=account, on=on,
                         defer_principal=defer_principal, job_run=job)

    run = batch_run(kind="loans.relief", business_date=on, scope_key=scope[:128], total=qs.count(),
                    actor=actor, on_progress=_printer(programme.name, out),
                    chunks=keyset_chunks(qs, process, kind="loans.relief", on=on, scope_key=scope[:128]))
    audit_record(actor=actor, action="loans.relief_batch", obj=programme,
                 after={"on": on, "scope": scope, "accounts": run.progress_done})
    return run
