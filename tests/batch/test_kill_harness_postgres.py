"""The kill harness (``bench/kill_batches.py``) in small: every batch killed with SIGKILL at phase
boundaries and at a random moment, re-run to completion, compared with an uninterrupted run on an
identical copy of the database — 0 duplicate, 0 missing, 0 differing, ``reconcile`` 0."""

import sys
from pathlib import Path

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_every_batch_survives_kills_at_its_boundaries_and_at_random_moments():
    if connection.vendor != "postgresql":
        pytest.skip("the harness copies PostgreSQL databases")
    sys.path.insert(0, str(BENCH))
    import kill_batches

    lines: list[str] = []
    tallies = kill_batches.run_harness(accounts=60, random_kills=1, max_boundaries=3, min_kills=4, seed=7,
                                       out=lines.append)
    assert set(tallies) == set(kill_batches.SCENARIOS)
    for name, tally in tallies.items():
        assert tally.boundaries >= 3, name  # the batch reported its commits (start, chunks, phases, done)
        assert tally.kills_boundary == 3 and tally.kills >= 4, name
        assert tally.bad() == 0, "\n".join(lines)
