"""loans.due_prefetch: one probe says which of a borrower's five relations hold rows; those are read,
the others answer "none" without a statement — and the answer is what plain reads give."""

import datetime as dt
from decimal import Decimal

import pytest

from xuedai.loans.amount_due import borrower_due, live_contracts
from xuedai.loans.due_prefetch import present_relations
from xuedai.loans.models import EarlyRepaymentApplication, RateChange
from xuedai.origination.models import Contract

from .ledger_world import disbursed

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def two_contracts(world):
    borrower = world.graduate(contracts=0)
    first, account = disbursed(world, borrower)
    second, _ = disbursed(world, borrower, academic_year=2023, amount="8000.00")
    return borrower, first, account, second


def _plain(*contracts) -> list[Contract]:
    """The contracts read with nothing prefetched: every relation read through the database."""
    return list(Contract.objects.filter(pk__in=[c.pk for c in contracts]).order_by("academic_year", "pk"))


def test_a_borrower_with_no_history_reads_only_the_probe(two_contracts):
    borrower, first, _, second = two_contracts
    assert present_relations([first.pk, second.pk]) == set()
    assert borrower_due(borrower, TODAY) == borrower_due(borrower, TODAY, _plain(first, second))


def test_rows_in_some_relations_are_read_and_give_the_plain_answer(two_contracts, django_assert_num_queries):
    borrower, first, account, second = two_contracts
    RateChange.objects.create(contract=second, effective_from=dt.date(2026, 1, 1),
                              annual_rate=Decimal("0.0300"), reason="notice",
                              rule_version=second.policy_version)
    EarlyRepaymentApplication.objects.create(account=account, applied_on=dt.date(2026, 11, 2),
                                             deduct_on=dt.date(2026, 12, 20), principal=Decimal("1000.00"))
    assert present_relations([first.pk, second.pk]) == {"rate_changes", "account__early_repayments"}
    contracts = live_contracts(borrower, TODAY)
    assert [r.annual_rate for r in contracts[1].rate_changes.all()] == [Decimal("0.03000")]
    assert list(contracts[0].rate_changes.all()) == []
    with django_assert_num_queries(1):  # the ledger alone: accounts, versions and relations are in
        fast = borrower_due(borrower, TODAY, contracts)
    assert fast == borrower_due(borrower, TODAY, _plain(first, second))
