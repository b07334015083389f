import datetime as dt

import pytest

from xuedai.jobs.models import JobRun, JobStatus
from xuedai.jobs.runner import batch_run

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
