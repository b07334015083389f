import datetime as dt

import pytest
from django.db import transaction

from xuedai.audit.labels import action_label
from xuedai.audit.models import AuditEntry
from xuedai.jobs.models import JobRun, JobStatus
from xuedai.jobs.runner import Job, JobBusy, batch_run, job_execute

DAY = dt.date(2026, 12, 20)


def _chunks(log, fail_at=None):
    def make(i):
        def chunk(checkpoint):
            if i == fail_at:
                raise RuntimeError("killed")
            log.append(i)
            return 10, {"last": i}
        return chunk
    return [make(i) for i in range(5)]


@pytest.mark.django_db(transaction=True)
def test_interrupted_run_resumes_without_repeating_chunks():
    log = []
    with pytest.raises(RuntimeError):
        batch_run(kind="settle", business_date=DAY, total=50, chunks=_chunks(log, fail_at=3))
    run = JobRun.objects.get(kind="settle")
    assert run.status == JobStatus.FAILED and run.progress_done == 30
    batch_run(kind="settle", business_date=DAY, total=50, chunks=_chunks(log))
    assert log == [0, 1, 2, 3, 4]
    run.refresh_from_db()
    assert run.status == JobStatus.DONE and run.progress_done == 50 and run.checkpoint["last"] == 4


@pytest.mark.django_db
def test_finished_run_is_not_repeated():
    log = []
    batch_run(kind="classify", business_date=DAY, total=50, chunks=_chunks(log))
    batch_run(kind="classify", business_date=DAY, total=50, chunks=_chunks(log))
    assert log == [0, 1, 2, 3, 4]
    # Another scope is another run.
    batch_run(kind="classify", business_date=DAY, scope_key="county:7", total=50, chunks=_chunks(log))
    assert len(log) == 10


def _phase(log, name, fail=False):
    def phase(job):
        if fail:
            raise RuntimeError("killed")
        with transaction.atomic():
            job.progress(5, {name: {"done": True}})
        log.append(name)
    return name, phase


@pytest.mark.django_db(transaction=True)
def test_a_run_is_done_only_after_its_last_phase_and_resumes_past_the_finished_ones():
    log = []
    job = Job.claim(kind="loans.settlement", business_date=DAY)
    with pytest.raises(RuntimeError):
        job_execute(job, [_phase(log, "kernel"), _phase(log, "leftovers", fail=True)],
                    action="loans.settlement_batch")
    run = JobRun.objects.get(kind="loans.settlement")
    assert run.status == JobStatus.FAILED and run.checkpoint["phases_done"] == ["kernel"]
    assert not AuditEntry.objects.exists()  # not done: no entry yet

    job = Job.claim(kind="loans.settlement", business_date=DAY)
    job_execute(job, [_phase(log, "kernel"), _phase(log, "leftovers")], action="loans.settlement_batch",
                summary=lambda job: ({"rows": job.run.progress_done}, {"posted.interest": "2 笔 3.00"}))
    assert log == ["kernel", "leftovers"]  # the finished phase was not run again
    run.refresh_from_db()
    assert run.status == JobStatus.DONE and run.progress_done == 10 and run.result == {"rows": 10}
    assert run.checkpoint["kernel"] == {"done": True} and run.checkpoint["leftovers"] == {"done": True}
    entry, = AuditEntry.objects.filter(action="loans.settlement_batch")
    assert entry.object_id == str(run.pk) and entry.after == {
        "business_date": "2026-12-20", "scope": "all", "rows": "10", "posted.interest": "2 笔 3.00"}
    assert action_label(entry.action) == "批量结息"

    job_execute(Job.claim(kind="loans.settlement", business_date=DAY), [_phase(log, "kernel")],
                action="loans.settlement_batch")
    assert log == ["kernel", "leftovers"] and AuditEntry.objects.count() == 1  # done: nothing again


@pytest.mark.django_db
def test_a_checkpoint_section_is_merged_not_replaced():
    job = Job.claim(kind="classify", business_date=DAY)
    job.start(total=3)
    job.progress(1, {"kernel": {"0": 1}, "size": 4})
    job.progress(2, {"kernel": {"4": 2}})
    job.run.refresh_from_db()
    assert job.run.checkpoint == {"kernel": {"0": 1, "4": 2}, "size": 4} and job.run.progress_done == 3


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_run_worked_by_another_session_is_refused_and_chunks_on_other_connections_record_progress():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("advisory locks and psycopg connections are PostgreSQL's")
    job = Job.claim(kind="loans.settlement", business_date=DAY)
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        other.autocommit = True
        other.execute("SELECT pg_advisory_lock(7001, %s)", [job.run.pk])
        with pytest.raises(JobBusy, match="正在另一进程中运行"):
            Job.claim(kind="loans.settlement", business_date=DAY).start()
        other.execute("SELECT pg_advisory_unlock(7001, %s)", [job.run.pk])
        assert job.start(total=10)
        other.autocommit = False
        with other.transaction():
            job.progress(4, {"kernel": {"0": {"rows": 4}}, "note": "x"}, conn=other)
        with other.transaction():
            job.progress(3, {"kernel": {"8": {"rows": 3}}}, conn=other)
        with pytest.raises(RuntimeError), other.transaction():  # a chunk rolled back records nothing
            job.progress(99, {"kernel": {"16": {"rows": 99}}}, conn=other)
            raise RuntimeError("killed")
    finally:
        other.close()
    job.refresh()
    assert job.run.progress_done == 7
    assert job.run.checkpoint == {"kernel": {"0": {"rows": 4}, "8": {"rows": 3}}, "note": "x"}
    job.finish(action=None)
    assert JobRun.objects.get(pk=job.run.pk).status == JobStatus.DONE
