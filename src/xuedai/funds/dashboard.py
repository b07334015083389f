"""The state's money per university or county, for the dashboards (ECharts): the subsidy still
receivable, each fund's balance and its last 20 Dec settlement (DOMAIN.md §6). Within the viewer's
scope; every bar carries the URL of the page behind it (the drilldown), which the same scope
guards (a foreign organisation is a 404). A GROUP BY each, whatever the number of contracts."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse

from xuedai.loans.models import LoanAccount
from xuedai.orgs.models import Organisation, User

from . import selectors
from .services.settlement import ACCOUNT_FUND_ORG

UNITS_SHOWN = 30


def _yuan(value) -> float:
    """For the chart only (ECharts draws floats); tables beside it show the Decimal."""
    return float(value or 0)


def receivable_by_unit(user: User) -> dict:
    ids = selectors.org_ids_in_scope(user)
    qs = LoanAccount.objects.filter(subsidy_receivable__gt=0).annotate(fund_org=ACCOUNT_FUND_ORG)
    if ids is not None:
        qs = qs.filter(fund_org__in=ids)
    grouped = qs.values("fund_org").annotate(total=Sum("subsidy_receivable")).order_by("-total")
    rows = list(grouped[:UNITS_SHOWN])
    names = dict(Organisation.objects.filter(pk__in=[r["fund_org"] for r in rows]).values_list("pk", "name"))
    base = reverse("funds:receivable")
    return {
        "id": "chart-subsidy-receivable",
        "labels": [names.get(r["fund_org"], "—") for r in rows],
        "values": [_yuan(r["total"]) for r in rows],
        "amounts": [r["total"] for r in rows],
        "urls": [f"{base}?org={r['fund_org']}" for r in rows],
    }


FUND_SERIES = (
    ("补偿金余额", "balance"),
    ("本次补偿金补偿", "cover"),
    ("本次5:4:1分担", "shares"),
    ("本次20%以上高校承担", "above"),
    ("本次奖励性返还", "reward"),
)


def _shares(s) -> Decimal:
    """The 5 : 4 : 1 parts the settlement moved, together."""
    return s.move_university_share + s.move_bank_share + s.move_province_share if s else Decimal(0)


def funds_by_unit(user: User) -> dict:
    """Each fund's balance and what its last settlement moved, the largest funds first."""
    accounts = list(selectors.fund_accounts(user).order_by("-balance", "organisation__name")[:UNITS_SHOWN])
    day = selectors.settlement_days(user)[:1]
    last = {s.account_id: s for s in selectors.settlements(user, day[0])} if day else {}
    rows = []
    for a in accounts:
        s = last.get(a.pk)
        rows.append({
            "label": a.organisation.name,
            "balance": a.balance,
            "cover": s.move_from_fund if s else Decimal(0),
            "shares": _shares(s),
            "above": s.move_above_cap if s else Decimal(0),
            "reward": s.move_reward if s else Decimal(0),
            "url": reverse("funds:settlement", args=[s.pk]) if s else reverse("funds:account", args=[a.pk]),
        })
    return {
        "id": "chart-fund-balance",
        "settled_on": day[0].isoformat() if day else "",
        "labels": [r["label"] for r in rows],
        "series": [{"name": name, "values": [_yuan(r[key]) for r in rows]} for name, key in FUND_SERIES],
        "urls": [r["url"] for r in rows],
        "rows": rows,
    }


def money_charts(user: User) -> dict:
    return {"receivable": receivable_by_unit(user), "funds": funds_by_unit(user)}


def chart_data(charts: dict) -> dict:
    """What goes into the page's json_script: no Decimals, no table rows."""
    return {
        "receivable": {k: v for k, v in charts["receivable"].items() if k != "amounts"},
        "funds": {k: v for k, v in charts["funds"].items() if k != "rows"},
    }


def money_context(user: User) -> dict:
    """For ``funds/_money_charts.html``: the tables beside the charts and the charts' data."""
    charts = money_charts(user)
    r = charts["receivable"]
    return {
        "receivable_rows": list(zip(r["labels"], r["amounts"], r["urls"], strict=True)),
        "funds": charts["funds"],
        "data": chart_data(charts),
    }
