"""Reads of the funds app, scoped to the acting user (ARCHITECTURE principle 4): a fund, a summary
row, a settlement is seen by the users whose organisation's subtree holds the fund's organisation
(a university its own; a province its counties and universities; the branch its province)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, When
from django.db.models.functions import Least
from django.http import Http404

from xuedai.core.money import ZERO
from xuedai.loans.models import Kind, Posting
from xuedai.orgs.models import Organisation, User
from xuedai.orgs.scope import sees_everything, subtree_ids
from xuedai.policies.models import PolicyVersion
from xuedai.policies.products import Product

from .models import (
    FUND_EFFECT,
    PART_LABELS,
    SHARE_EFFECT,
    Accrual,
    FundAccount,
    Settlement,
    ShareAccount,
    SubsidyPayment,
)


def academic_year_span(year: int) -> tuple[dt.date, dt.date]:
    """The academic year ending 31 Aug ``year``: 1 Sep year−1 … 31 Aug year ([003] 第二十四条)."""
    return dt.date(year - 1, 9, 1), dt.date(year, 8, 31)


def org_ids_in_scope(user: User) -> list[int] | None:
    """None: everything (head office, superuser)."""
    if sees_everything(user):
        return None
    if user.organisation_id is None:
        return []
    return subtree_ids(user.organisation)


def _scoped(qs: QuerySet, user: User, path: str) -> QuerySet:
    ids = org_ids_in_scope(user)
    return qs if ids is None else qs.filter(**{f"{path}__in": ids})


# The fund a contract's disbursements feed: 生源地 loans the signing county's, campus loans the
# university's ([003] 第二十五条 分校核算); commercial loans have no state fund.
FUND_ORG = Case(
    When(account__contract__product=Product.HOME_COUNTY, then=F("account__contract__county_id")),
    default=F("account__contract__university_id"),
    output_field=IntegerField(),
)


@dataclass
class DisbursementRow:
    """One line of the 实际发放汇总表: a fund's organisation under one policy version."""

    organisation_id: int
    policy_version_id: int
    product: str
    contracts: int = 0
    tuition: Decimal = ZERO
    accommodation: Decimal = ZERO
    living: Decimal = ZERO
    organisation: Organisation | None = field(default=None, repr=False)
    policy_version: PolicyVersion | None = field(default=None, repr=False)

    @property
    def total(self) -> Decimal:
        return self.tuition + self.accommodation + self.living


def disbursement_summary(
    user: User | None, year: int, *, through: dt.date | None = None
) -> list[DisbursementRow]:
    """实际发放汇总表: disbursements of the academic year per fund organisation and policy version,
    as tuition, accommodation and living (DOMAIN.md §3.2: tuition and accommodation go to the
    university, the rest to the student). Read from the ledger's disbursement postings, set-based:
    two grouped queries, whatever the number of contracts."""
    start, end = academic_year_span(year)
    if through is not None:
        end = min(end, through)
    base = (
        Posting.objects.filter(business_date__gte=start, business_date__lte=end)
        .exclude(account__contract__product=Product.COMMERCIAL)
        .annotate(fund_org=FUND_ORG)
    )
    if user is not None:
        ids = org_ids_in_scope(user)
        if ids is not None:
            base = base.filter(fund_org__in=ids)
    keys = ("fund_org", "account__contract__policy_version_id", "account__contract__product")
    rows: dict[tuple, DisbursementRow] = {}

    def row(r) -> DisbursementRow:
        key = tuple(r[k] for k in keys)
        if key not in rows:
            rows[key] = DisbursementRow(organisation_id=key[0], policy_version_id=key[1], product=key[2])
        return rows[key]

    # Tuition first out of the university's part, then accommodation (the receipt's two figures).
    to_university = (
        base.filter(kind=Kind.DISBURSE_UNIVERSITY)
        .values(*keys)
        .annotate(total=Sum("amount"), tuition=Sum(Least(F("account__contract__tuition"), F("amount"))))
    )
    for r in to_university:
        line = row(r)
        line.tuition += r["tuition"] or ZERO
        line.accommodation += (r["total"] or ZERO) - (r["tuition"] or ZERO)
    to_student = base.filter(kind=Kind.DISBURSE_STUDENT).values(*keys).annotate(total=Sum("amount"))
    for r in to_student:
        row(r).living += r["total"] or ZERO
    # A contract paid in two postings (university and student) counts once.
    counted = (
        base.filter(kind__in=[Kind.DISBURSE_UNIVERSITY, Kind.DISBURSE_STUDENT])
        .values(*keys)
        .annotate(n=Count("account_id", distinct=True))
    )
    for r in counted:
        row(r).contracts = r["n"]
    orgs = Organisation.objects.in_bulk({r.organisation_id for r in rows.values() if r.organisation_id})
    result = sorted(
        rows.values(),
        key=lambda r: (
            orgs[r.organisation_id].name if r.organisation_id in orgs else "",
            r.policy_version_id,
        ),
    )
    versions = PolicyVersion.objects.in_bulk({r.policy_version_id for r in result})
    for r in result:
        r.organisation = orgs.get(r.organisation_id)
        r.policy_version = versions.get(r.policy_version_id)
    return [r for r in result if r.organisation_id is not None]


def fund_accounts(user: User) -> QuerySet[FundAccount]:
    return _scoped(FundAccount.objects.select_related("organisation"), user, "organisation_id").order_by(
        "organisation__name"
    )


def fund_account_get(user: User, pk: int) -> FundAccount:
    try:
        return fund_accounts(user).get(pk=pk)
    except FundAccount.DoesNotExist:
        raise Http404("没有这个补偿金账户") from None


def accruals(user: User, year: int | None = None) -> QuerySet[Accrual]:
    qs = _scoped(
        Accrual.objects.select_related("account__organisation", "policy_version"),
        user,
        "account__organisation_id",
    )
    return qs if year is None else qs.filter(academic_year=year)


def accrual_get(user: User, pk: int) -> Accrual:
    try:
        return accruals(user).get(pk=pk)
    except Accrual.DoesNotExist:
        raise Http404("没有这条补偿金申请") from None


def settlements(user: User, on: dt.date | None = None) -> QuerySet[Settlement]:
    qs = _scoped(Settlement.objects.select_related("account__organisation"), user, "account__organisation_id")
    return qs if on is None else qs.filter(settled_on=on)


def settlement_get(user: User, pk: int) -> Settlement:
    try:
        return settlements(user).get(pk=pk)
    except Settlement.DoesNotExist:
        raise Http404("没有这次结算") from None


def settlement_days(user: User) -> list[dt.date]:
    return list(settlements(user).order_by("-settled_on").values_list("settled_on", flat=True).distinct())


def share_accounts(user: User) -> QuerySet[ShareAccount]:
    """The parties' share accounts whose organisation is in the user's subtree (a university its
    own, a province its office's and its universities', the branch all of its province)."""
    return _scoped(ShareAccount.objects.select_related("organisation"), user, "organisation_id").order_by(
        "party", "organisation__name"
    )


@dataclass
class PostingLine:
    """One posting of a settlement as the 确认书 lists it: whose account, what, how much (signed:
    + into the account / borne, − out of it / returned)."""

    account: str
    kind: str
    part: str
    amount: Decimal
    memo: str = ""


def settlement_posting_lines(s: Settlement) -> list[PostingLine]:
    """Every posting of one settlement, the fund's first, then the parties' (DOMAIN.md §6)."""
    fund_name = f"风险补偿金专户（{s.account.organisation.name}）"
    lines = [
        PostingLine(fund_name, p.get_kind_display(), PART_LABELS.get(p.part or "", ""),
                    FUND_EFFECT[p.kind] * p.amount, p.memo)
        for p in s.postings.order_by("pk")
    ]
    for p in s.share_postings.select_related("account__organisation").order_by("pk"):
        lines.append(PostingLine(f"{p.account.get_party_display()}（{p.account.organisation.name}）",
                                 p.get_kind_display(), PART_LABELS.get(p.part, ""),
                                 SHARE_EFFECT[p.kind] * p.amount))
    return lines


def subsidy_payments(user: User) -> QuerySet[SubsidyPayment]:
    """Transfers are the province office's record; a user sees those with a line in their scope."""
    ids = org_ids_in_scope(user)
    qs = SubsidyPayment.objects.select_related("recorded_by")
    if ids is None:
        return qs
    return qs.filter(
        Q(payment_lines__contract__university_id__in=ids) | Q(payment_lines__contract__county_id__in=ids)
    ).distinct()


def dashboard_figures(user: User) -> dict:
    """The state's money on the home pages (the dashboards): fund balances, accruals waiting
    for the bank, the last settlement, and the subsidy still receivable — a few aggregates each."""
    from django.db.models import Sum as _Sum

    from xuedai.loans.models import LoanAccount

    from .models import AccrualStatus

    ids = org_ids_in_scope(user)
    funds = fund_accounts(user)
    waiting = accruals(user).filter(status=AccrualStatus.REQUESTED)
    last_day = settlements(user).order_by("-settled_on").values_list("settled_on", flat=True).first()
    last = settlements(user, last_day).aggregate(defaulted=_Sum("defaulted"), cover=_Sum("move_from_fund"),
                                                 reward=_Sum("move_reward")) if last_day else {}
    owed = LoanAccount.objects.filter(subsidy_receivable__gt=0)
    if ids is not None:
        owed = owed.filter(Q(contract__county_id__in=ids) | Q(contract__university_id__in=ids))
    return {
        "fund_balance": funds.aggregate(total=_Sum("balance"))["total"] or ZERO,
        "accruals_waiting": waiting.count(),
        "accruals_waiting_total": waiting.aggregate(total=_Sum("total"))["total"] or ZERO,
        "last_settlement": last_day,
        "last_defaulted": last.get("defaulted") or ZERO,
        "last_cover": last.get("cover") or ZERO,
        "last_reward": last.get("reward") or ZERO,
        "subsidy_receivable": owed.aggregate(total=_Sum("subsidy_receivable"))["total"] or ZERO,
    }
