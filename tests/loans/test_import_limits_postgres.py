"""On PostgreSQL an import waits for its run at most LOCK_WAIT_S and runs no statement longer than
STATEMENT_TIMEOUT_S; either way the operator gets a Chinese message and nothing is saved."""

import threading

import pytest
from django.db import connection, transaction

from tests.harness.deduction import DAY, import_fingerprint, result_file, settled_accounts
from tests.web.helpers import any_policy_version
from xuedai.loans.deduction import results
from xuedai.loans.deduction.services import ImportError_, deduction_import, deduction_prepare
from xuedai.loans.models import Channel, DeductionRun

# transaction=True: the lock is held by a second connection (no serialized_rollback: see
# test_import_races_postgres).
pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def run(province, settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("lock and statement timeouts are PostgreSQL's")
    settings.MEDIA_ROOT = tmp_path / "media"
    any_policy_version()
    settled_accounts(province, 1)
    return {r.channel: r for r in deduction_prepare(on=DAY)}[Channel.ALIPAY]


def test_an_import_that_cannot_get_its_run_is_told_another_is_running(run, tmp_path, monkeypatch):
    monkeypatch.setattr(results, "LOCK_WAIT_S", 1)
    locked, release = threading.Event(), threading.Event()

    def holder():
        with transaction.atomic():
            DeductionRun.objects.select_for_update().get(pk=run.pk)
            locked.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    locked.wait(10)
    before = import_fingerprint()
    try:
        with pytest.raises(ImportError_) as error:
            deduction_import(actor=None, run=run, path=result_file(run, tmp_path / "r"))
    finally:
        release.set()
        thread.join()
    assert "正在导入另一份回盘文件" in error.value.errors[0]
    assert import_fingerprint() == before


def test_a_statement_past_its_timeout_rolls_the_import_back(run, tmp_path, monkeypatch):
    monkeypatch.setattr(results, "STATEMENT_TIMEOUT_S", 1)
    real = results._back_dated

    def slow(*args):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(3)")
        return real(*args)

    monkeypatch.setattr(results, "_back_dated", slow)
    before = import_fingerprint()
    with pytest.raises(ImportError_) as error:
        deduction_import(actor=None, run=run, path=result_file(run, tmp_path / "r"))
    assert "导入超时" in error.value.errors[0]
    assert import_fingerprint() == before
