"""The 20 Dec settlement of every risk-compensation fund in repayment ([003] 资金管理办法 第二十六–
二十八条; DOMAIN.md §6; the waterfall itself is ``core.riskfund``).

Set-based: one grouped query over the loan accounts gives each fund's total loans, defaulted
principal and interest and whether repayment has started; one over the fund postings the money paid
in; one over the day's range of repayment postings what was recovered. The waterfall then runs once
per fund (hundreds of funds, not millions of contracts), and its movement is posted to the fund's
ledger: the cover paid to (or returned by) the bank and the reward paid to (or returned by) the
university. The 5 : 4 : 1 shares and the part above 20 % are settled between the parties directly
and recorded on the settlement (and its 确认书), not on the fund.

Definitions (policy choices, named here so a reviewer can change them in one place):

- total loans (贷款总额): the principal disbursed on every contract of the fund with an account
  opened on or before the settlement day (the same base the accruals are drawn on);
- defaulted principal and interest (违约贷款本息): principal and borrower interest due and unpaid
  on accounts overdue *before* the settlement day (an amount due today is not overdue yet);
- the rate: each policy version's rate weighted by its loans (Σ rate × loans ÷ loans), so a fund
  with 2007 contracts at 14 % and 2021 contracts at 5 % covers each at its own rate;
- recovered (收回): payments of overdue principal and interest since the last settlement — shown
  on the settlement; the cumulative waterfall already returns them in reverse order.
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
from xuedai.core.riskfund import Parts, movement, waterfall
from xuedai.loans.models import Kind, LoanAccount, Posting
from xuedai.policies.products import Product

from ..models import PARTS, FundKind, FundPosting, Settlement
from .accruals import fund_accounts_open
from .errors import FundsError
from .ledger import fund_post

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
    """Per fund organisation: contracts, total loans, Σ rate × loans, defaulted, in repayment."""
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


def recovered_since(after: dt.date | None, on: dt.date) -> dict[int, Decimal]:
    qs = Posting.objects.filter(
        business_date__lte=on, kind__in=[Kind.PAY_OVERDUE_PRINCIPAL, Kind.PAY_OVERDUE_INTEREST]
    )
    if after is not None:
        qs = qs.filter(business_date__gt=after)
    rows = qs.annotate(fund_org=POSTING_FUND_ORG).values("fund_org").annotate(total=Sum("amount"))
    return {r["fund_org"]: r["total"] for r in rows}


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
    settlements, postings = [], []
    for org_id in sorted(positions):
        f, account = positions[org_id], accounts[org_id]
        rate = f["weighted"] / f["loans"] if f["loans"] else ZERO
        w = waterfall(
            total_loans=f["loans"],
            defaulted=f["defaulted"],
            fund_held=fund_in.get(account.pk, ZERO),
            rate=rate,
        )
        moved = movement(_parts_of(previous.get(account.pk)), w.parts)
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
    for s in settlements:
        cover = s.move_from_fund - s.move_shortfall  # what the fund itself paid out this year
        postings.append(_posting(s, cover, FundKind.COVER_PAID, FundKind.COVER_RETURNED, on))
        postings.append(_posting(s, s.move_reward, FundKind.REWARD_PAID, FundKind.REWARD_RETURNED, on))
    fund_post([p for p in postings if p is not None])
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


def _posting(
    s: Settlement, amount: Decimal, out_kind: str, back_kind: str, on: dt.date
) -> FundPosting | None:
    if amount == 0:
        return None
    return FundPosting(
        account_id=s.account_id,
        business_date=on,
        kind=out_kind if amount > 0 else back_kind,
        amount=abs(amount),
        settlement=s,
        memo=f"{on:%Y}年结算",
    )
