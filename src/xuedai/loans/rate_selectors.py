"""Reads for the repricing page: which contracts a national (or provincial) cut reprices.

DOMAIN.md §1 interest rate: a later notice whose rate applies to existing contracts (the 2023 cut to
LPR − 60 bp) reaches every live contract signed under an earlier version of its product in its
region, on the day its reset rule says (``loans.rate_schedule.notices_reaching``), at the rate its
rule gives on that day. A contract is repriced when the rate it carries the day before differs.
Scoped to the acting user like every loans read (``selectors.account_scope_q``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from xuedai.policies.models import PolicyVersion
from xuedai.policies.repricing import notice_reaching_day

from .models import LoanAccount, RateChange
from .rate_schedule import reset_rule, rule_rate
from .selectors import account_scope_q

LIVE = ("disbursed", "repaying", "overdue")


def notices() -> QuerySet[PolicyVersion]:
    """The versions whose rate applies to existing contracts, newest first."""
    return PolicyVersion.objects.filter(rate_applies_to_existing=True).order_by("-effective_from", "product")


def reaching_day(notice: PolicyVersion) -> dt.date:
    """The day ``notice`` reaches existing contracts (``policies.repricing``, the one source)."""
    return notice_reaching_day(notice, reset_rule(notice)[1])


@dataclass(frozen=True)
class Repricing:
    notice: PolicyVersion
    on: dt.date  # the day the notice reaches existing contracts
    new_rate: Decimal | None  # None: no LPR published by then
    lpr_published_on: dt.date | None
    accounts: QuerySet[LoanAccount]  # repriced, annotated with old_rate and registered
    by_county: list[dict]
    total: dict


def repricing(user, notice: PolicyVersion) -> Repricing:
    on = reaching_day(notice)
    rate = rule_rate(notice, on)
    new_rate, lpr = (rate[0], rate[1]) if rate else (None, None)
    before = (
        RateChange.objects.filter(contract=OuterRef("contract"), effective_from__lt=on)
        .order_by("-effective_from")
        .values("annual_rate")[:1]
    )
    region = Q()
    if notice.region_code:  # a provincial notice reaches its own province only
        region = Q(contract__county__region_code__startswith=notice.region_code) | Q(
            contract__county__isnull=True, contract__university__region_code__startswith=notice.region_code
        )
    accounts = (
        LoanAccount.objects.filter(account_scope_q(user))
        .filter(region)
        .filter(
            contract__state__in=LIVE,
            contract__product=notice.product,
            contract__policy_version__effective_from__lt=notice.effective_from,
            contract__disbursed_on__lt=on,
            contract__maturity_date__gt=on,
        )
        .annotate(
            old_rate=Coalesce(Subquery(before), F("contract__annual_rate")),
            registered=Exists(RateChange.objects.filter(contract=OuterRef("contract"), effective_from=on)),
        )
    )
    if new_rate is None:
        accounts = accounts.none()
    else:
        accounts = accounts.exclude(old_rate=new_rate)
    # A year's interest the cut takes off the outstanding principal (an indication for the page).
    cut = Value(new_rate or Decimal(0), output_field=DecimalField(max_digits=7, decimal_places=5))
    saving = ExpressionWrapper(
        F("principal_outstanding") * (F("old_rate") - cut),
        output_field=DecimalField(max_digits=20, decimal_places=7),
    )
    by_county = list(
        accounts.values("contract__county__name")
        .annotate(
            contracts=Count("pk"),
            outstanding=Sum("principal_outstanding"),
            saving=Sum(saving),
            registered_count=Count("pk", filter=Q(registered=True)),
        )
        .order_by("contract__county__name")
    )
    total = accounts.aggregate(
        contracts=Count("pk"),
        outstanding=Sum("principal_outstanding"),
        saving=Sum(saving),
        registered_count=Count("pk", filter=Q(registered=True)),
    )
    return Repricing(notice, on, new_rate, lpr, accounts, by_county, total)
