"""The borrower's statement of rate periods: each rate, from when to when, and why.

DOMAIN.md §1 interest rate and §9 (borrowers not knowing what is due): when a notice or an LPR
reset changes the rate, the statement says from which day, to what, and on what basis, and each
interest line says which rates its period ran at (``loans.explain``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from xuedai.core.rates import split_by_rate

from .models.rates import RateChangeReason
from .terms import rate_changes


def _pct(rate: Decimal) -> str:
    return f"{rate * 100:.4f}".rstrip("0").rstrip(".") + "%"


def rate_history(contract) -> list[dict]:
    """One row per rate period since disbursement: ``start``, ``end`` (None: current), ``rate`` and
    ``why`` — the signing rate, then each recorded change that moved the rate."""
    if contract.disbursed_on is None:
        return []
    rows = [
        {
            "start": contract.disbursed_on,
            "end": None,
            "rate": contract.annual_rate,
            "why": "借款合同签订时的执行年利率",
        }
    ]
    changes = sorted(contract.rate_changes.all(), key=lambda r: r.effective_from) if contract.pk else []
    for change in changes:
        if change.annual_rate == rows[-1]["rate"]:
            continue
        rows[-1]["end"] = change.effective_from
        rule = change.rule_version
        if change.reason == RateChangeReason.NOTICE:
            why = f"按「{rule.name}」，利率调整适用于存量合同"
        else:
            why = "5年期以上LPR调整，按合同约定重新定价"
        if change.lpr_published_on and rule.lpr_spread_bp is not None:
            why += f"（{change.lpr_published_on:%Y-%m-%d}公布的LPR减{rule.lpr_spread_bp}个基点）"
        rows.append({"start": change.effective_from, "end": None, "rate": change.annual_rate, "why": why})
    return rows


def period_rates_text(contract, start: dt.date, end: dt.date) -> str:
    """ "年利率3.15%", or, when the rate changed inside ``[start, end)``, each piece with its dates —
    the interest of the whole period is computed piece by piece and rounded once."""
    pieces = split_by_rate(start, end, contract.annual_rate, rate_changes(contract))
    if len(pieces) <= 1:
        rate = pieces[0][2] if pieces else contract.annual_rate
        return f"年利率{_pct(rate)}"
    parts = "，".join(f"{a:%Y-%m-%d}至{b:%Y-%m-%d}年利率{_pct(r)}" for a, b, r in pieces)
    return f"期间利率调整，分段计息：{parts}，合计后四舍五入到分"
