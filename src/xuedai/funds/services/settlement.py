"""The 20 Dec settlement of every risk-compensation fund in repayment ([003] 资金管理办法 第二十六–
二十八条; DOMAIN.md §6; the waterfall itself is ``core.riskfund``).

Set-based: one grouped query over the loan accounts gives each fund's total loans, defaulted
principal and interest and whether repayment has started; one over the fund postings the money paid
in; one over the year's repayments of overdue amounts what was recovered. The waterfall then runs once
per fund (hundreds of funds, not millions of contracts), and every part of its movement is posted
(``settlement_postings``): the cover paid to (or returned by) the bank and the reward to the
university on the fund's ledger; the 5 : 4 : 1 shares, the part above 20 % and any cover the fund
owed but did not hold on the parties' share accounts; a recovery into the fund and back out in
reverse order ([003] 第二十八条).

Definitions (policy choices, named here so a reviewer can change them in one place):

- total loans (贷款总额): the principal disbursed on every contract of the fund with an account
  opened on or before the settlement day (the same base the accruals are drawn on);
- defaulted principal and interest (违约贷款本息): principal and borrower interest due and unpaid
  on accounts overdue *before* the settlement day (an amount due today is not overdue yet);
- the rate: each policy version's rate weighted by its loans (Σ rate × loans ÷ loans), so a fund
  with 2007 contracts at 14 % and 2021 contracts at 5 % covers each at its own rate;
- recovered (收回): what borrowers paid back since the last settlement on the defaults it
  compensated (per account, at most what was overdue then: ``recovered_since``), taken into the
  fund and returned in reverse order against the last settlement's limits
  (``core.riskfund.settlement_steps``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, Count, DecimalField, F, IntegerField, Max, Q, Sum, Value, When

from xuedai import businessdate
from xuedai.audit.services import audit_bulk
from xuedai.core.money import ZERO
from xuedai.core.riskfund import Parts, Steps, settlement_steps, waterfall
from xuedai.loans.models import EFFECTS, Kind, LoanAccount, Posting
from xuedai.policies.products import Product

from ..models import PARTS, FundKind, FundPosting, Settlement
from .accruals import fund_accounts_open
from .errors import FundsError
from .ledger import fund_post, share_post
from .parties import share_accounts_open
from .settlement_postings import settlement_postings

ACCOUNT_FUND_ORG = Case(
    When(contract__product=Product.HOME_COUNTY, then=F("contract__county_id")),
    default=F("contract__university_id"),
    output_field=IntegerField(),
)
POSTING_FUND_ORG = Case(
    When(account__contract__product=Product.HOME_COUNTY, then=F("account__contract__county_id")),
    default=F("account__contract__university_id"),
    output_field=IntegerField(),
)
MONEY = DecimalField(max_digits=18, decimal_places=2)


def fund_positions(on: dt.date) -> dict[int, dict]:
    """Per fund organisation: contracts, total loans, Σ rate × loans, defaulted, in repayment — one
    GROUP BY over the accounts, which PostgreSQL runs with parallel workers and answers in ~100 rows.
    A binary COPY of the accounts' columns grouped in NumPy was measured slower at 1 M accounts
    (5.4–7.6 s against 2.2 s: the COPY serialises every row on one backend; bench/RESULTS.md)."""
    overdue = Q(oldest_unpaid_due__lt=on)
    rows = (
        LoanAccount.objects.filter(opened_on__lte=on)
        .exclude(contract__product=Product.COMMERCIAL)
        .annotate(fund_org=ACCOUNT_FUND_ORG)
        .values("fund_org", "contract__policy_version__risk_fund_rate")
        .annotate(
            n=Count("contract_id"),
            loans=Sum("contract__amount"),
            defaulted=Sum(
                Case(
                    When(overdue, then=F("principal_due") + F("interest_due")),
                    default=Value(ZERO),
                    output_field=MONEY,
                )
            ),
            started=Max(
                Case(
                    When(contract__self_pay_from__lte=on, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            ),
        )
    )
    funds: dict[int, dict] = defaultdict(
        lambda: {"n": 0, "loans": ZERO, "weighted": ZERO, "defaulted": ZERO, "started": 0}
    )
    for r in rows:
        if r["fund_org"] is None:
            continue
        f = funds[r["fund_org"]]
        f["n"] += r["n"]
        f["loans"] += r["loans"] or ZERO
        f["weighted"] += (r["loans"] or ZERO) * r["contract__policy_version__risk_fund_rate"]
        f["defaulted"] += r["defaulted"] or ZERO
        f["started"] = max(f["started"], r["started"])
    return dict(funds)


PAY_OVERDUE = (Kind.PAY_OVERDUE_PRINCIPAL, Kind.PAY_OVERDUE_INTEREST)
# The kinds that move principal or interest due, with their sign (loans.models.EFFECTS).
DUE_SIGNS = {
    kind: effect.get("principal_due", 0) + effect.get("interest_due", 0)
    for kind, effect in EFFECTS.items()
    if effect.get("principal_due") or effect.get("interest_due")
}


def recovered_since(after: dt.date | None, on: dt.date) -> dict[int, Decimal]:
    """Per fund organisation: what borrowers paid back after the last settlement (``after``) on
    the defaults that settlement compensated ([003] 第二十八条) — per account, its payments of
    overdue principal and interest in (after, on], at most what it had overdue on ``after`` (its
    principal and interest due from postings before that day). A payment on an amount that fell
    due later was never compensated and returns nothing. Grouped queries over the accounts that
    paid overdue amounts in the year, in chunks (a reversal is left out of "overdue on ``after``")."""
    if after is None:
        return {}
    # The payers first (a range read of the year's postings), then their postings through the
    # account index in chunks: one grouped statement over all postings with the payers as a
    # semi-join made PostgreSQL scan the whole ledger (5.8 s at 1 M accounts, none paying).
    payers = sorted(set(
        Posting.objects.filter(business_date__gt=after, business_date__lte=on, kind__in=PAY_OVERDUE)
        .values_list("account_id", flat=True)
    ))
    out: dict[int, Decimal] = defaultdict(Decimal)
    for start in range(0, len(payers), RECOVERY_CHUNK):
        _recovered_of(payers[start : start + RECOVERY_CHUNK], after, on, out)
    return dict(out)


RECOVERY_CHUNK = 5_000  # bound parameters per statement stay under the drivers' limits


def _recovered_of(account_ids: list[int], after: dt.date, on: dt.date, out: dict[int, Decimal]) -> None:
    rows = (
        Posting.objects.filter(account_id__in=account_ids, business_date__lte=on, kind__in=list(DUE_SIGNS))
        .values("account_id")
        .annotate(
            fund_org=Max(POSTING_FUND_ORG),
            paid=Sum(Case(When(business_date__gt=after, kind__in=PAY_OVERDUE, then=F("amount")),
                          default=Value(ZERO), output_field=MONEY)),
            overdue=Sum(Case(*[When(business_date__lt=after, kind=kind, then=F("amount") * Value(sign))
                               for kind, sign in DUE_SIGNS.items()],
                             default=Value(ZERO), output_field=MONEY)),
        )
    )
    for r in rows:
        taken = min(r["paid"] or ZERO, max(r["overdue"] or ZERO, ZERO))
        if taken > 0 and r["fund_org"] is not None:
            out[r["fund_org"]] += taken


def _limits_of(settlement: Settlement | None) -> tuple[Decimal, Decimal] | None:
    """The limits a past settlement drew; None for one from before they were stored."""
    if settlement is None or (settlement.cap_limit == 0 and settlement.total_loans):
        return None
    return settlement.fund_limit, settlement.cap_limit


def _parts_of(settlement: Settlement | None, prefix: str = "cum_") -> Parts | None:
    if settlement is None:
        return None
    return Parts(**{name: getattr(settlement, prefix + name) for name in PARTS})


@transaction.atomic(durable=True)
def settlement_run(*, actor, on: dt.date | None = None, job_run=None) -> list[Settlement]:
    """Settle every fund whose loans have entered repayment, once per settlement day."""
    on = on or businessdate.today()
    if (on.month, on.day) != (12, 20):
        raise FundsError(f"风险补偿金每年12月20日结算，{on:%Y年%m月%d日}不是结算日")
    if Settlement.objects.filter(settled_on=on).exists():
        raise FundsError(f"{on:%Y年%m月%d日}的风险补偿金已结算")
    positions = {org: f for org, f in fund_positions(on).items() if f["started"]}
    if not positions:
        raise FundsError("没有进入还款期的贷款，无需结算")
    accounts = fund_accounts_open(set(positions), on)
    account_ids = [a.pk for a in accounts.values()]
    fund_in = dict(
        FundPosting.objects.filter(
            account_id__in=account_ids,
            business_date__lte=on,
            kind__in=[FundKind.ACCRUAL_FINANCE, FundKind.ACCRUAL_UNIVERSITY],
        )
        .values("account_id")
        .annotate(total=Sum("amount"))
        .values_list("account_id", "total")
    )
    previous: dict[int, Settlement] = {}
    for s in Settlement.objects.filter(account_id__in=account_ids, settled_on__lt=on).order_by("settled_on"):
        previous[s.account_id] = s  # the latest wins
    last_day = max((s.settled_on for s in previous.values()), default=None)
    recovered = recovered_since(last_day, on)
    shares = share_accounts_open(set(positions), on)
    settlements: list[Settlement] = []
    steps: dict[int, Steps] = {}
    for org_id in sorted(positions):
        f, account = positions[org_id], accounts[org_id]
        rate = f["weighted"] / f["loans"] if f["loans"] else ZERO
        w = waterfall(
            total_loans=f["loans"],
            defaulted=f["defaulted"],
            fund_held=fund_in.get(account.pk, ZERO),
            rate=rate,
        )
        before = previous.get(account.pk)
        step = settlement_steps(
            previous=_parts_of(before),
            previous_defaulted=before.defaulted if before else ZERO,
            previous_fund_held=before.fund_in if before else ZERO,
            previous_limits=_limits_of(before),
            recovered=recovered.get(org_id, ZERO),
            current=w.parts,
        )
        steps[account.pk] = step
        moved = step.movement
        s = Settlement(
            account=account,
            settled_on=on,
            contracts=f["n"],
            total_loans=w.total_loans,
            defaulted=w.defaulted,
            recovered=recovered.get(org_id, ZERO),
            fund_in=w.fund_held,
            rate=rate.quantize(Decimal("0.0001")),
            band=w.band,
            fund_limit=w.fund_limit,
            cap_limit=w.cap_limit,
            recovery_taken=step.recovered,
            job_run=job_run,
            **{f"cum_{n}": getattr(w.parts, n) for n in PARTS},
            **{f"move_{n}": getattr(moved, n) for n in PARTS},
        )
        settlements.append(s)
    Settlement.objects.bulk_create(settlements)
    settlements = list(
        Settlement.objects.filter(settled_on=on)
        .select_related("account__organisation")
        .order_by("account_id")
    )
    org_of = {a.pk: org for org, a in accounts.items()}
    fund_postings, share_postings = [], []
    for s in settlements:
        fund_part, share_part = settlement_postings(s, steps[s.account_id], shares[org_of[s.account_id]], on)
        fund_postings += fund_part
        share_postings += share_part
    fund_post(fund_postings)
    share_post(share_postings)
    audit_bulk(
        actor=actor,
        action="funds.settlement_run",
        model=Settlement,
        ids=[s.pk for s in settlements],
        what=f"{on:%Y年}风险补偿金结算 {len(settlements)} 个账户",
        after={
            "on": on.isoformat(),
            "defaulted": str(sum(s.defaulted for s in settlements)),
            "cover": str(sum(s.move_from_fund for s in settlements)),
            "reward": str(sum(s.move_reward for s in settlements)),
        },
    )
    return settlements

