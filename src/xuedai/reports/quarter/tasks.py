"""The quarter-end snapshot as a background job (``xuedai worker``): a million contracts take tens of
seconds, longer than a page request may wait. One ``JobRun`` per quarter end (jobs.runner), whose
status and progress the 后台任务 page shows; the snapshot service records its own audit entry."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django_tasks import task

from xuedai.jobs.models import JobRun
from xuedai.jobs.runner import Job, job_execute
from xuedai.orgs.models import User

from .models import QuarterSnapshot
from .snapshot import quarter_snapshot_take

SNAPSHOT_KIND = "reports.quarter_snapshot"


def snapshot_job_run(*, on: dt.date, actor) -> JobRun:
    """Take the snapshot of ``on`` in a job run; a run resumed after a kill finds it taken and is done."""
    job = Job.claim(kind=SNAPSHOT_KIND, business_date=on, actor=actor)

    def take(job: Job) -> None:
        if not QuarterSnapshot.objects.filter(as_of=on).exists():
            quarter_snapshot_take(actor=actor, on=on)
        with transaction.atomic():
            job.progress(1, {"snapshot": {"as_of": on.isoformat()}})

    def summary(job: Job) -> tuple[dict, dict]:
        snapshot = QuarterSnapshot.objects.get(as_of=on)
        return {"snapshot": snapshot.pk, "contracts": snapshot.contracts}, {}

    return job_execute(job, [("snapshot", take)], total=1, summary=summary)


@task()
def take_snapshot(on: str, actor_id: int | None) -> int:
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return snapshot_job_run(on=dt.date.fromisoformat(on), actor=actor).pk
