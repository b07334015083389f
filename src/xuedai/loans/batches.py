"""The loans batches of a business day, each one job per (kind, business date, scope) through
``jobs.runner`` (ARCHITECTURE principle 7): idempotent, resumable under a kill at any moment, done
only when its whole scope is, and recorded as one audit entry with its counts when it is.

Work is walked in keyset chunks (ids after the checkpoint's last id), each chunk and its checkpoint
in one transaction, so a killed run resumes where its last committed chunk ended even when earlier
accounts have since left the selection; each service is itself idempotent (``ledger_sync`` posts
only what is missing), so nothing is posted twice. Where ``xuedai.batch`` has a portfolio kernel
for a step it runs it (:mod:`.fastpath` decides), with this module's scalar phases passed in:
:func:`settle_leftovers` for the accounts the settlement kernel leaves, :func:`grade_overrides`
after the classification kernel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum

from xuedai.batch import exact, runs
from xuedai.core.classification import Grade
from xuedai.jobs.models import JobRun
from xuedai.jobs.runner import Job, JobBusy, job_execute, job_run_claim
from xuedai.origination.models import LIVE_STATES
from xuedai.policies.models import PolicyVersion

from . import fastpath
from .models import GradeRecord, LoanAccount, Posting, ReliefProgramme
from .services import penalty_accrue, relief_apply, settlement_post
from .services.ledger import account_terms

CHUNK = 200
CLASSIFY_CHUNK = 2000  # grading is cheap per account: larger chunks
QUARTER_ENDS = ((3, 31), (6, 30), (9, 30), (12, 31))
SETTLEMENT, CLASSIFICATION = runs.SETTLEMENT, runs.CLASSIFICATION
PENALTY, RELIEF = runs.PENALTY, "loans.relief"

__all__ = ["JobBusy", "classification_batch", "penalty_batch", "relief_batch", "settlement_batch"]


def is_quarter_end(on: dt.date) -> bool:
    return (on.month, on.day) in QUARTER_ENDS


def keyset_phase(qs: QuerySet, process: Callable[[list, JobRun], None], *, label: str,
                 section: str = "accounts", key: str = "pk", size: int | None = None) -> Callable:
    """A phase over ``qs`` in ``size`` rows after the last one done: each chunk's ``process`` and
    its checkpoint (``section`` → ``last``) in one transaction."""
    size = size or CHUNK
    ordered = qs.order_by(key)

    def phase(job: Job) -> None:
        last = job.section(section).get("last", 0)
        while True:
            with transaction.atomic():
                batch = list(ordered.filter(**{f"{key}__gt": last})[:size])
                if not batch:
                    return
                process(batch, job.run)
                last = getattr(batch[-1], key)
                job.progress(len(batch), {section: {"last": last}})
            job.report(f"  {label}: {job.run.progress_done:,}/{job.run.progress_total:,}")

    return phase


def keyset_chunks(qs: QuerySet, process: Callable[[list, JobRun], None], *, kind: str, on: dt.date,
                  scope_key: str = "all", key: str = "pk", size: int | None = None):
    """Chunk functions for ``jobs.runner.batch_run`` (the one-phase form): each takes the next
    ``size`` rows after the checkpoint; yields while rows remain after the last one done."""
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


def job_postings(run: JobRun) -> dict:
    """The postings stamped with the run, by kind, for its audit entry (``posted.<kind>``)."""
    rows = Posting.objects.filter(job_run=run).values("kind").annotate(n=Count("id"), amount=Sum("amount"))
    counts = {r["kind"]: r["n"] for r in rows}
    fen = {r["kind"]: exact.fen(r["amount"]) for r in rows}
    return {"postings": sum(counts.values()), **runs.posted_summary(counts, fen)}


def _scalar_run(kind: str, on: dt.date, qs: QuerySet, process, *, label: str, actor=None, out=None,
                scope_key: str = "all", size: int | None = None,
                extra: Callable[[Job], dict] | None = None) -> JobRun:
    """A one-phase scalar batch over ``qs``; done with one audit entry ``<kind>_batch``."""
    job = Job.claim(kind=kind, business_date=on, scope_key=scope_key, actor=actor, out=out)

    def summary(job: Job) -> tuple[dict, dict]:
        after = {"job_run": job.run.pk, **job_postings(job.run), **(extra(job) if extra else {})}
        return {"rows": job.run.progress_done, **after}, after

    return job_execute(job, [("accounts", keyset_phase(qs, process, label=label, size=size))],
                       total=qs.count(), action=f"{kind}_batch", summary=summary)


def live_accounts(on: dt.date) -> QuerySet:
    return LoanAccount.objects.filter(contract__state__in=LIVE_STATES, opened_on__lt=on)


def _is_policy_settlement_day(on: dt.date) -> bool:
    days = set(PolicyVersion.objects.values_list("settlement_day", flat=True))
    return f"{on:%m-%d}" in days


def _settle_each(accounts, on: dt.date, job_run, actor=None) -> int:
    settled = 0
    for account in accounts:
        if on in account_terms(account).settlement_dates():
            settlement_post(actor=actor, account=account, on=on, job_run=job_run)
            settled += 1
    return settled


def settle_leftovers(ids: Sequence[int], job_run: JobRun) -> int:
    """The accounts the settlement kernel leaves (credit, reliefs, early repayments, chosen plans,
    suspensions), settled by the scalar service in the caller's transaction (DOMAIN.md §4)."""
    accounts = (LoanAccount.objects.filter(pk__in=list(ids)).order_by("pk")
                .select_related("contract__policy_version")
                .prefetch_related("reliefs__programme", "early_repayments", "contract__rate_changes",
                              "contract__instalments"))
    return _settle_each(accounts, job_run.business_date, job_run, job_run.created_by)


def settlement_batch(*, on: dt.date, actor=None, out=None) -> JobRun:
    """Annual settlement (20 Dec) and settlement at maturity, for every account settling on ``on``."""
    if fastpath.kernels_usable():
        runs.loans_settlement(on, settle_leftovers=settle_leftovers, actor=actor, out=out)
        return JobRun.objects.get(kind=SETTLEMENT, business_date=on, scope_key="all")
    qs = live_accounts(on)
    if not _is_policy_settlement_day(on):
        qs = qs.filter(Q(contract__maturity_date=on) | Q(reliefs__defer_principal=True)).distinct()
        qs = LoanAccount.objects.filter(pk__in=qs.values("pk"))
    qs = qs.select_related("contract__policy_version").prefetch_related("reliefs__programme",
                                                                        "early_repayments")
    return _scalar_run(SETTLEMENT, on, qs, lambda batch, run: _settle_each(batch, on, run, actor),
                       label="结息", actor=actor, out=out)


def penalty_leftovers(ids: Sequence[int], job_run: JobRun) -> int:
    """The accounts the penalty kernel leaves (reliefs, early repayments, waiting credit), accrued by
    the scalar service in the caller's transaction (DOMAIN.md §4 Overdue)."""
    accounts = (LoanAccount.objects.filter(pk__in=list(ids)).order_by("pk")
                .select_related("contract__policy_version")
                .prefetch_related("reliefs__programme", "early_repayments"))
    for account in accounts:
        penalty_accrue(account=account, on=job_run.business_date)
    return len(accounts)


def penalty_batch(*, on: dt.date, actor=None, out=None) -> JobRun:
    """Accrue penalty and compound interest to ``on`` on every account with anything overdue
    (DOMAIN.md §4 Overdue): a statement figure on each account, no posting.

    On Celery workers when XUEDAI_BROKER_URL is set (``xuedai.batch.runs.loans_penalty``: the
    kernel per partition, then :func:`penalty_leftovers` here); else account by account."""
    if fastpath.kernels_usable() and runs.broker_set():
        runs.loans_penalty(on, accrue_leftovers=penalty_leftovers, actor=actor, out=out)
        return JobRun.objects.get(kind=PENALTY, business_date=on, scope_key="all")
    qs = live_accounts(on).filter(Q(principal_due__gt=0) | Q(interest_due__gt=0) | Q(penalty_due__gt=0))
    qs = qs.select_related("contract__policy_version").prefetch_related("reliefs__programme",
                                                                        "early_repayments")

    def process(batch, run):
        for account in batch:
            penalty_accrue(account=account, on=on)

    def accrued(job: Job) -> dict:
        total = LoanAccount.objects.filter(penalty_accrued_on=on).aggregate(s=Sum("penalty_accrued"))["s"]
        return {"penalty_accrued": f"{total or 0:,.2f}"}

    return _scalar_run(PENALTY, on, qs, process, label="罚息计提", actor=actor, out=out, extra=accrued)


def grade_overrides(on: dt.date) -> int:
    """What the days overdue do not decide: a confirmed death is 损失 whatever the days (DOMAIN.md
    §6), as the scalar path (``fastpath.classify_accounts``) grades it. Set-based, idempotent: one
    UPDATE per table; returns the accounts regraded."""
    dead = fastpath.loss_contracts()
    GradeRecord.objects.filter(as_of=on, account_id__in=dead).update(grade=Grade.LOSS.value)
    return LoanAccount.objects.filter(pk__in=dead, graded_on=on).update(grade=Grade.LOSS.value)


def _grade_counts(on: dt.date) -> Callable[[Job], dict]:
    def counts(job: Job) -> dict:
        rows = GradeRecord.objects.filter(as_of=on).values("grade").annotate(n=Count("id")).order_by("grade")
        return {f"grade.{r['grade']}": r["n"] for r in rows}

    return counts


def classification_batch(*, on: dt.date, actor=None, out=None) -> JobRun:
    """Quarter-end five-tier classification of every live account (DOMAIN.md §6)."""
    if fastpath.kernels_usable():
        # Sparse: a record only where the grade is not 正常 or changed (the snapshot adds the rest);
        # a record per account per quarter costs more than the grading at 10⁷ (bench/RESULTS.md).
        runs.loans_classification(on, overrides=grade_overrides, actor=actor, out=out, dense=False)
        return JobRun.objects.get(kind=CLASSIFICATION, business_date=on, scope_key="all")
    qs = live_accounts(on + dt.timedelta(days=1)).select_related("contract__policy_version",
                                                                 "contract__county", "contract__university")
    return _scalar_run(CLASSIFICATION, on, qs, lambda batch, run: fastpath.classify_accounts(batch, on, run),
                       label="五级分类", actor=actor, out=out, size=CLASSIFY_CHUNK, extra=_grade_counts(on))


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

    def process(batch, run):
        for account in batch:
            relief_apply(actor=actor, programme=programme, account=account, on=on,
                         defer_principal=defer_principal, job_run=run)

    def applied(job: Job) -> dict:
        return {"programme": programme.name, "scope": scope,
                "applied": programme.applications.filter(job_run=job.run).count()}

    return _scalar_run(RELIEF, on, qs, process, label=programme.name, actor=actor, out=out,
                       scope_key=scope[:128], extra=applied)
