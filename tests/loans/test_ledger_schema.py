"""The database itself keeps the ledger append-only (ARCHITECTURE principle 2)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from xuedai.jobs.models import JobRun
from xuedai.loans.models import Kind, LoanAccount, Posting


@pytest.fixture
def account(contract):
    return LoanAccount.objects.create(contract=contract, opened_on=dt.date(2018, 9, 1))


def _post(account, amount="100.00", **kw):
    return Posting.objects.create(account=account, business_date=dt.date(2018, 9, 1),
                                  kind=Kind.DISBURSE_STUDENT, amount=Decimal(amount), **kw)


def test_update_refused_by_the_database(account):
    posting = _post(account)
    with pytest.raises(DatabaseError), transaction.atomic():
        Posting.objects.filter(pk=posting.pk).update(amount=Decimal("1.00"))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE loans_posting SET kind = 'credit_in' WHERE id = %s", [posting.pk])
    posting.refresh_from_db()
    assert posting.amount == Decimal("100.00")


def test_delete_refused_by_the_database(account):
    posting = _post(account)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM loans_posting WHERE id = %s", [posting.pk])
    assert Posting.objects.filter(pk=posting.pk).exists()


@pytest.mark.parametrize("amount", ["0.00", "-5.00"])
def test_amount_must_be_positive(account, amount):
    with pytest.raises(IntegrityError), transaction.atomic():
        _post(account, amount)


def test_a_posting_is_reversed_at_most_once(account):
    posting = _post(account)
    Posting.objects.create(account=account, business_date=dt.date(2018, 9, 2), kind=Kind.REVERSAL,
                           amount=posting.amount, reverses=posting)
    with pytest.raises(IntegrityError), transaction.atomic():
        Posting.objects.create(account=account, business_date=dt.date(2018, 9, 2), kind=Kind.REVERSAL,
                               amount=posting.amount, reverses=posting)


def _insert_posting(account_id, job_run_id=None, reverses_id=None):
    """A raw INSERT, as a bulk writer would issue it (no ORM checks in front of the database)."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO loans_posting (account_id, business_date, kind, amount, job_run_id, "
                       "reverses_id, memo, created_at) VALUES (%s, %s, 'interest', 1, %s, %s, '', %s)",
                       [account_id, dt.date(2018, 12, 20), job_run_id, reverses_id,
                        dt.datetime(2018, 12, 20, tzinfo=dt.UTC)])


def test_a_posting_must_name_an_existing_account_job_run_and_reversed_posting(account):
    # Migration 0004: per-statement checks in place of foreign keys, refused at the INSERT itself.
    job = JobRun.objects.create(kind="test.job", business_date=dt.date(2018, 12, 20))
    posting = _post(account)
    _insert_posting(account.pk, job.pk, None)  # all references exist: accepted
    for bad in [(account.pk + 1000, None, None), (account.pk, job.pk + 1000, None),
                (account.pk, None, posting.pk + 1000)]:
        with pytest.raises(IntegrityError), transaction.atomic():
            _insert_posting(*bad)
    assert Posting.objects.count() == 2


def test_accounts_are_never_deleted_and_posted_job_runs_stay(account):
    job = JobRun.objects.create(kind="test.job", business_date=dt.date(2018, 12, 20))
    idle = JobRun.objects.create(kind="test.idle", business_date=dt.date(2018, 12, 20))
    _post(account, job_run=job)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM loans_loanaccount WHERE contract_id = %s", [account.pk])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE loans_loanaccount SET contract_id = contract_id + 1000 WHERE contract_id = %s",
                       [account.pk])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM jobs_jobrun WHERE id = %s", [job.pk])
    idle.delete()  # a job run nothing was posted under goes as before
    assert LoanAccount.objects.filter(pk=account.pk).exists() and JobRun.objects.filter(pk=job.pk).exists()


def test_only_the_demo_wipe_gets_past_the_triggers(account):
    from xuedai.loans.maintenance import ledger_purge_allowed

    _post(account)
    with ledger_purge_allowed(connection), connection.cursor() as cursor:
        cursor.execute("DELETE FROM loans_posting")
        cursor.execute("DELETE FROM loans_loanaccount")
    assert not Posting.objects.exists() and not LoanAccount.objects.exists()
    account = LoanAccount.objects.create(contract=account.contract, opened_on=dt.date(2018, 9, 1))
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM loans_loanaccount WHERE contract_id = %s", [account.pk])
    posting = _post(account)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM loans_posting WHERE id = %s", [posting.pk])
