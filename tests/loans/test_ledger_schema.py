"""The database itself keeps the ledger append-only (ARCHITECTURE principle 2)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

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


def test_only_the_demo_wipe_gets_past_the_triggers(account):
    from xuedai.loans.maintenance import ledger_purge_allowed

    _post(account)
    with ledger_purge_allowed(connection), connection.cursor() as cursor:
        cursor.execute("DELETE FROM loans_posting")
    assert not Posting.objects.exists()
    posting = _post(account)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM loans_posting WHERE id = %s", [posting.pk])
