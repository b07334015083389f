"""The 贴息资金汇总表 of a quarter and the pre-settlement (预结息) list before 20 Dec — set-based.

DOMAIN.md §4 (Subsidy split, Rounding), §6; seed [003] 资金管理办法 第二十一条, [002] (5)(1).

The contracts' columns are read in one statement (PostgreSQL: a binary COPY straight into NumPy,
``batch.io.copy_out``; SQLite: one cursor), the subsidy of each contract is computed by the batch
kernels' exact integer arithmetic — ``principal × rate × weight / 360`` rounded half-up once per
contract (``batch.exact.mul_div_round``, the kernel twin of ``core.money.round_fen``), the weight by
the PBOC rule (``batch.dates.pboc_weight``: whole years count 360) — and summed per university or
county (the fund organisation: 生源地 → the signing county, campus → the university) and project
year (the contract's academic year). Never an ORM object per contract.

The quarter's figure is the subsidy *accrued* in the quarter (days of the quarter before the self-pay
start); the pre-settlement list is what the 20 Dec settlement will post as 贴息: from the last
settlement (or disbursement) to 20 Dec or the self-pay start, whichever is first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db import connection

from xuedai.batch import exact
from xuedai.batch.dates import pboc_weight
from xuedai.batch.exact import NO_DATE, NORMAL_DIVISOR
from xuedai.core.money import ZERO
from xuedai.core.riskfund import split
from xuedai.orgs.models import Organisation
from xuedai.policies import working_days

ONE_DAY = dt.timedelta(days=1)


def quarter_span(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of quarter 1–4."""
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - ONE_DAY
    return start, end


def summary_due(year: int, quarter: int) -> dt.date:
    """Within 10 working days after the quarter end (DOMAIN.md §6, §8)."""
    return working_days.add_working_days(quarter_span(year, quarter)[1], 10)


def presettlement_due(year: int) -> dt.date:
    """30 working days before 20 Dec ([003] 第二十一条: 结息日前30个工作日预结息)."""
    settlement = dt.date(year, 12, 20)
    known = working_days.overrides(settlement - dt.timedelta(days=90), settlement)
    day, left = settlement, 30
    while left > 0:
        day -= ONE_DAY
        if working_days.is_working_day(day, known):
            left -= 1
    return day


# Contracts that may carry a subsidy on [start, end): an account, a state-subsidised product, paid
# out before the end, self-pay not started before the start, principal outstanding.
_WHERE = """
  FROM loans_loanaccount a JOIN origination_contract c ON c.id = a.contract_id
 WHERE c.product <> 'commercial' AND a.opened_on < %(end)s
   AND (c.self_pay_from IS NULL OR c.self_pay_from > %(start)s) AND a.principal_outstanding > 0
"""
_ORG = "CASE WHEN c.product = 'home_county' THEN c.county_id ELSE c.university_id END"


def _read(start: dt.date, end: dt.date, org_ids: list[int] | None) -> dict[str, np.ndarray]:
    where = _WHERE
    params: dict = {"start": start, "end": end}
    if org_ids is not None:
        where += (
            f" AND {_ORG} = ANY(%(orgs)s)"
            if connection.vendor == "postgresql"
            else f" AND {_ORG} IN ({','.join(str(int(i)) for i in org_ids) or 'NULL'})"
        )
        params["orgs"] = list(org_ids)
    names = (
        "id",
        "org",
        "year",
        "borrower",
        "principal",
        "rate",
        "opened",
        "last_settled",
        "self_pay",
        "policy",
    )
    if connection.vendor == "postgresql":
        from xuedai.batch import io

        columns = [
            io.Column("id", "c.id"),
            io.Column("org", f"COALESCE({_ORG}, 0)::int8"),
            io.Column("year", "c.academic_year::int8"),
            io.Column("borrower", "c.borrower_id::int8"),
            io.Column("principal", io.fen_sql("a.principal_outstanding")),
            io.Column("rate", "(c.annual_rate * 10000000)::int8"),
            io.Column("opened", io.day_sql("a.opened_on"), 4),
            io.Column("last_settled", io.day_sql("a.last_settled_on"), 4),
            io.Column("self_pay", io.day_sql("c.self_pay_from"), 4),
            io.Column("policy", "c.policy_version_id::int8"),
        ]
        connection.ensure_connection()
        return io.copy_out(connection.connection, columns, where, params)
    sql = (
        f"SELECT c.id, COALESCE({_ORG}, 0), c.academic_year, c.borrower_id, a.principal_outstanding, "
        f"c.annual_rate, a.opened_on, a.last_settled_on, c.self_pay_from, c.policy_version_id {where}"
    )
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    cols = list(zip(*rows, strict=True)) if rows else [() for _ in names]

    def as_date(v):
        return v if v is None or isinstance(v, dt.date) else dt.date.fromisoformat(str(v))

    return {
        "id": np.array(cols[0], dtype=np.int64),
        "org": np.array(cols[1], dtype=np.int64),
        "year": np.array(cols[2], dtype=np.int64),
        "borrower": np.array(cols[3], dtype=np.int64),
        "principal": np.array([exact.fen(Decimal(str(v))) for v in cols[4]], dtype=np.int64),
        "rate": np.array([exact.rate_units(Decimal(str(v))) for v in cols[5]], dtype=np.int64),
        "opened": exact.days(as_date(v) for v in cols[6]),
        "last_settled": exact.days(as_date(v) for v in cols[7]),
        "self_pay": exact.days(as_date(v) for v in cols[8]),
        "policy": np.array(cols[9], dtype=np.int64),
    }


def subsidy_kernel(principal: np.ndarray, rate: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Fen of 贴息 per contract on [start, end): principal × rate × weight / 360, rounded once."""
    weight = pboc_weight(start, end)
    return exact.mul_div_round(principal, rate * weight, NORMAL_DIVISOR)


@dataclass
class SummaryRow:
    organisation: Organisation | None
    organisation_id: int
    project_year: int
    borrowers: int
    contracts: int
    principal: Decimal
    rate_min: Decimal
    rate_max: Decimal
    subsidy: Decimal
    central: Decimal = ZERO
    local: Decimal = ZERO


def _group(cols: dict[str, np.ndarray], subsidy: np.ndarray) -> list[SummaryRow]:
    if len(cols["id"]) == 0:
        return []
    key = cols["org"] * 10000 + cols["year"]
    order = np.lexsort((cols["borrower"], key))
    k, b = key[order], cols["borrower"][order]
    groups, first = np.unique(k, return_index=True)
    new_borrower = np.ones(len(k), dtype=bool)
    new_borrower[1:] = (k[1:] != k[:-1]) | (b[1:] != b[:-1])
    borrowers = np.add.reduceat(new_borrower.astype(np.int64), first)
    contracts = np.diff(np.append(first, len(k)))
    principal = np.add.reduceat(cols["principal"][order], first)
    rate_min = np.minimum.reduceat(cols["rate"][order], first)
    rate_max = np.maximum.reduceat(cols["rate"][order], first)
    total = np.add.reduceat(subsidy[order], first)
    orgs = Organisation.objects.in_bulk([int(g) // 10000 for g in groups])
    shares = _central_shares(key, cols["policy"], subsidy)
    rows = []
    for i, g in enumerate(groups):
        org_id = int(g) // 10000
        central = shares.get(int(g), ZERO)
        rows.append(
            SummaryRow(
                orgs.get(org_id),
                org_id,
                int(g) % 10000,
                int(borrowers[i]),
                int(contracts[i]),
                exact.yuan(principal[i]),
                Decimal(int(rate_min[i])).scaleb(-7),
                Decimal(int(rate_max[i])).scaleb(-7),
                exact.yuan(total[i]),
                central,
                exact.yuan(total[i]) - central,
            )
        )
    rows.sort(key=lambda r: (r.organisation.name if r.organisation else "", r.project_year))
    return rows


def _central_shares(key: np.ndarray, policy: np.ndarray, subsidy: np.ndarray) -> dict[int, Decimal]:
    """The central finance's part of each group's subsidy: per policy version in the group, its
    total split central : local once (core.riskfund.split — the parts add up to the total)."""
    from .models import SubsidyShare

    central_of = dict(SubsidyShare.objects.values_list("policy_version_id", "central_share"))
    if not central_of:
        return {}
    pairs, inverse = np.unique(np.stack([key, policy]), axis=1, return_inverse=True)
    totals = np.zeros(pairs.shape[1], dtype=np.int64)
    np.add.at(totals, inverse.ravel(), subsidy)
    result: dict[int, Decimal] = {}
    for j in range(pairs.shape[1]):
        share = central_of.get(int(pairs[1, j]))
        if share is None:
            continue
        central, _local = split(exact.yuan(totals[j]), (share, 1 - share))
        result[int(pairs[0, j])] = result.get(int(pairs[0, j]), ZERO) + central
    return result


def quarter_summary(year: int, quarter: int, org_ids: list[int] | None = None) -> list[SummaryRow]:
    """贴息资金汇总表: the subsidy accrued in the quarter, per university / county and project year."""
    start, last = quarter_span(year, quarter)
    end = last + ONE_DAY
    cols = _read(start, end, org_ids)
    begin = np.maximum(cols["opened"], exact.day(start))
    stop = np.minimum(cols["self_pay"], exact.day(end))  # NO_DATE (no self-pay yet) is far ahead
    subsidy = subsidy_kernel(cols["principal"], cols["rate"], begin, np.maximum(stop, begin))
    keep = subsidy > 0
    return _group({k: v[keep] for k, v in cols.items()}, subsidy[keep])


def presettlement(year: int, org_ids: list[int] | None = None) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Per contract: the 贴息 the 20 Dec ``year`` settlement will post (预结息)."""
    settlement = dt.date(year, 12, 20)
    cols = _read(dt.date(year - 1, 12, 20), settlement, org_ids)
    last = np.where(cols["last_settled"] == NO_DATE, cols["opened"], cols["last_settled"])
    begin = np.maximum(cols["opened"], last)
    stop = np.minimum(cols["self_pay"], exact.day(settlement))
    subsidy = subsidy_kernel(cols["principal"], cols["rate"], begin, np.maximum(stop, begin))
    keep = subsidy > 0
    cols = {k: v[keep] for k, v in cols.items()}
    cols["begin"], cols["stop"] = begin[keep], np.maximum(stop, begin)[keep]
    return cols, subsidy[keep]


def presettlement_summary(year: int, org_ids: list[int] | None = None) -> list[SummaryRow]:
    cols, subsidy = presettlement(year, org_ids)
    return _group(cols, subsidy)
