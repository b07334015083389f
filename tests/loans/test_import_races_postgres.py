"""Fifty clients at once on PostgreSQL (tests/harness/races.py): the same result file re-uploaded,
different result files for one run, repayments and early-repayment clicks for one borrower —
0 double posts, 0 server errors, one application, a Chinese message for every client.

``bench/bench_import_races.py`` runs the same with a larger portfolio and repeated rounds.
"""

import pytest
from django.db import connection

from tests.harness.races import bad_count, build, run_clients

# transaction=True: the clients commit on connections of their own. No serialized_rollback: the
# transactional tests before this one have flushed the tables (and recreated content types, which a
# restore would then insert twice); the harness makes the one policy version it needs itself.
pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_fifty_clients_at_once(province, media, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    world = build(province, per_county=3, folder=tmp_path)
    counts = run_clients(world, clients=50)
    assert counts["clients"] == 50 and counts["lines"] == 6
    assert bad_count(counts) == 0, counts
    assert counts["lines_paid"] == 6 and counts["early_applications"] == 1
    assert counts["repayments_posted"] == 5
