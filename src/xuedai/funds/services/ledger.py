"""The fund's own append-only ledger: post, and keep the cached balance in step (models doc)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import F

from ..models import FUND_EFFECT, SHARE_EFFECT, FundAccount, FundPosting, ShareAccount, SharePosting


def fund_post(postings: list[FundPosting]) -> None:
    """Write ``postings`` (amounts > 0; zero ones dropped) and move each account's cached balance by
    their effect, one UPDATE per account touched (accounts are per organisation: hundreds, not
    millions)."""
    postings = [p for p in postings if p.amount > 0]
    FundPosting.objects.bulk_create(postings)
    moved: dict[int, Decimal] = defaultdict(Decimal)
    for p in postings:
        moved[p.account_id] += FUND_EFFECT[p.kind] * p.amount
    for account_id in sorted(moved):  # primary-key order: no deadlock between two writers
        FundAccount.objects.filter(pk=account_id).update(balance=F("balance") + moved[account_id])


def fund_balance_from_postings(account_id: int, through: dt.date | None = None) -> Decimal:
    """The balance derived from the postings alone (the truth the cache mirrors)."""
    qs = FundPosting.objects.filter(account_id=account_id)
    if through is not None:
        qs = qs.filter(business_date__lte=through)
    return sum((FUND_EFFECT[kind] * amount for kind, amount in qs.values_list("kind", "amount")), Decimal(0))


def share_post(postings: list[SharePosting]) -> None:
    """The parties' side of a settlement, kept like :func:`fund_post`: write, then move each share
    account's cached balance in primary-key order."""
    postings = [p for p in postings if p.amount > 0]
    SharePosting.objects.bulk_create(postings)
    moved: dict[int, Decimal] = defaultdict(Decimal)
    for p in postings:
        moved[p.account_id] += SHARE_EFFECT[p.kind] * p.amount
    for account_id in sorted(moved):
        ShareAccount.objects.filter(pk=account_id).update(balance=F("balance") + moved[account_id])


def share_balance_from_postings(account_id: int) -> Decimal:
    qs = SharePosting.objects.filter(account_id=account_id).values_list("kind", "amount")
    return sum((SHARE_EFFECT[kind] * amount for kind, amount in qs), Decimal(0))
