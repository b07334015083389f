"""The 20 Dec settlement's read of the accounts on PostgreSQL: one binary COPY of five int64
columns per account (fund organisation, policy version, loan amount, defaulted principal and
interest, whether self-pay has started), grouped in NumPy — the same figures as the ORM's GROUP BY
(``settlement.fund_positions_orm``; tests/funds/test_positions.py compares them), without the
database building a Decimal aggregate per group. Amounts stay integer fen until the end, so the
sums are exact; the rate is each policy version's Decimal, applied to the fen sum of its loans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from django.db import connection

from xuedai.batch import io
from xuedai.policies.models import PolicyVersion

_ORG = "CASE WHEN c.product = 'home_county' THEN c.county_id ELSE c.university_id END"
_FROM = """
  FROM loans_loanaccount a JOIN origination_contract c ON c.id = a.contract_id
 WHERE a.opened_on <= %(on)s AND c.product <> 'commercial'
"""
CENT = Decimal("0.01")


def positions_copy(on: dt.date) -> dict[int, dict]:
    columns = [
        io.Column("org", f"COALESCE({_ORG}, 0)::int8"),
        io.Column("policy", "c.policy_version_id::int8"),
        io.Column("loans", io.fen_sql("c.amount")),
        io.Column("defaulted", io.fen_sql(
            "CASE WHEN a.oldest_unpaid_due < %(on)s THEN a.principal_due + a.interest_due ELSE 0 END")),
        io.Column("started", "(CASE WHEN c.self_pay_from <= %(on)s THEN 1 ELSE 0 END)::int8"),
    ]
    connection.ensure_connection()
    cols = io.copy_out(connection.connection, columns, _FROM, {"on": on})
    org, policy = cols["org"], cols["policy"]
    keep = org != 0
    if not keep.any():
        return {}
    org, policy = org[keep], policy[keep]
    loans, defaulted, started = cols["loans"][keep], cols["defaulted"][keep], cols["started"][keep]
    # Group by (org, policy): sort once, then reduce each run of equal keys.
    order = np.lexsort((policy, org))
    org, policy = org[order], policy[order]
    edge = np.flatnonzero(np.r_[True, (org[1:] != org[:-1]) | (policy[1:] != policy[:-1])])
    counts = np.diff(np.r_[edge, len(org)])
    sums = {name: np.add.reduceat(values[order], edge) for name, values in
            (("loans", loans), ("defaulted", defaulted))}
    any_started = np.maximum.reduceat(started[order], edge)
    rates = dict(PolicyVersion.objects.filter(pk__in=np.unique(policy).tolist())
                 .values_list("pk", "risk_fund_rate"))
    funds: dict[int, dict] = {}
    for k, start in enumerate(edge):
        org_id = int(org[start])
        f = funds.setdefault(org_id, {"n": 0, "loans": Decimal(0) * CENT, "weighted": Decimal(0),
                                      "defaulted": Decimal(0) * CENT, "started": 0})
        group_loans = Decimal(int(sums["loans"][k])) * CENT
        f["n"] += int(counts[k])
        f["loans"] += group_loans
        f["weighted"] += group_loans * rates[int(policy[start])]
        f["defaulted"] += Decimal(int(sums["defaulted"][k])) * CENT
        f["started"] = max(f["started"], int(any_started[k]))
    return funds
