"""Posting the rate changes the policy versions and the LPR history give live contracts.

DOMAIN.md §1 interest rate (the 2023 cut reached existing borrowers; LPR-linked rates reset) and §4
(a rate change breaks the interest stretch). :func:`rate_changes_post` writes, set-based, every
change due by a day: per (signing version, province) group and per candidate day of
``loans.rate_schedule.breakpoints``, one ``INSERT … SELECT`` of the group's contracts whose rate in
force the day before differs — never an ORM object per contract. Candidate days run in order in one
transaction, so each sees the rows the earlier ones wrote.

A change dated before a posting the engine computed (a settlement, or a penalty charged by a
payment, after the change's day) would rewrite what was charged at the old rate; such contracts are
not changed but counted (``late``) so the page can say so — the ledger stays append-only, and a
correction would be a posting, not a silent new rate. So the registration runs on the change's day
before that day's postings (the page, or the daily run on 1 January and on a notice's day).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from xuedai.audit.services import audit_bulk
from xuedai.policies.models import PolicyVersion

from ..models import OUTSIDE_ENGINE, RateChange
from ..rate_schedule import Breakpoint, breakpoints

LIVE = "('disbursed', 'repaying', 'overdue')"  # origination.models.LIVE_STATES

# The province whose versions govern a contract: policies.selectors.contract_region_code in SQL
# (the signing county for home-county loans, the university for campus loans).
PROVINCE_SQL = """substr(CASE WHEN c.product = 'campus'
    THEN COALESCE(NULLIF(u.region_code, ''), NULLIF(k.region_code, ''), '')
    ELSE COALESCE(NULLIF(k.region_code, ''), NULLIF(u.region_code, ''),
                  CASE WHEN c.product = 'home_county' THEN b.household_region_code ELSE '' END) END, 1, 2)"""
CONTRACTS_SQL = f"""
    FROM origination_contract c
    JOIN loans_loanaccount a ON a.contract_id = c.id
    JOIN borrowers_borrower b ON b.id = c.borrower_id
    LEFT JOIN orgs_organisation k ON k.id = c.county_id
    LEFT JOIN orgs_organisation u ON u.id = c.university_id
    WHERE c.state IN {LIVE} AND c.disbursed_on IS NOT NULL"""
# The rate a contract carries the day before %(on)s: its latest change before, else the signing rate.
RATE_BEFORE_SQL = """COALESCE((SELECT r.annual_rate FROM loans_ratechange r
                               WHERE r.contract_id = c.id AND r.effective_from < %(on)s
                               ORDER BY r.effective_from DESC LIMIT 1), c.annual_rate)"""
GROUP_SQL = f"c.policy_version_id = %(version)s AND {PROVINCE_SQL} = %(province)s"
# Contracts a breakpoint reaches: alive across the day, nothing recorded from it on.
REACHED_SQL = f"""{CONTRACTS_SQL} AND {GROUP_SQL}
      AND c.disbursed_on < %(on)s AND c.maturity_date > %(on)s
      AND NOT EXISTS (SELECT 1 FROM loans_ratechange x WHERE x.contract_id = c.id
                                                        AND x.effective_from >= %(on)s)
      AND CAST(%(rate)s AS NUMERIC) <> {RATE_BEFORE_SQL}"""
# Nothing the engine computed after the day: a settlement or a penalty charged by a payment after it
# ran at the old rate, and rewriting it would break the append-only ledger (disbursements and the
# state's subsidy payments do not depend on the rate).
_RATE_FREE = ", ".join(f"'{k}'" for k in sorted(OUTSIDE_ENGINE))
NOT_SETTLED_SQL = f"""NOT EXISTS (SELECT 1 FROM loans_posting p WHERE p.account_id = c.id
                                    AND p.business_date > %(on)s AND p.kind NOT IN ({_RATE_FREE}))"""


@dataclass
class RatePostResult:
    changes: int = 0  # rows written
    contracts: set[int] = field(default_factory=set)  # contracts repriced
    late: set[int] = field(default_factory=set)  # would change, but already settled past the day
    by_day: dict[dt.date, int] = field(default_factory=dict)


def groups(province: str | None = None) -> list[tuple[int, str, dt.date]]:
    """(signing version id, province, earliest disbursement) of the live contracts."""
    where = f" AND {PROVINCE_SQL} = %(province)s" if province is not None else ""
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT c.policy_version_id, {PROVINCE_SQL}, MIN(c.disbursed_on) {CONTRACTS_SQL}{where}"
            " GROUP BY 1, 2 ORDER BY 1, 2",
            {"province": province},
        )
        return [
            (v, p or "", d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)))
            for v, p, d in cur.fetchall()
        ]


def _params(version_id: int, province: str, point: Breakpoint) -> dict:
    return {
        "version": version_id,
        "province": province,
        "on": point.on,
        "rate": str(point.annual_rate),
        "reason": point.reason,
        "rule": point.rule.pk,
        "lpr": point.lpr_published_on,
    }


def _post_point(cur, params: dict, now, result: RatePostResult) -> None:
    cur.execute(f"SELECT c.id {REACHED_SQL} AND NOT {NOT_SETTLED_SQL}", params)
    result.late.update(row[0] for row in cur.fetchall())
    cur.execute(
        f"""
        INSERT INTO loans_ratechange (contract_id, effective_from, annual_rate, reason, rule_version_id,
                                      lpr_published_on, recorded_at)
        SELECT c.id, %(on)s, CAST(%(rate)s AS NUMERIC), %(reason)s, %(rule)s, %(lpr)s, %(now)s
        {REACHED_SQL} AND {NOT_SETTLED_SQL}
        RETURNING contract_id""",
        {**params, "now": now},
    )
    ids = [row[0] for row in cur.fetchall()]
    result.changes += len(ids)
    result.contracts.update(ids)
    if ids:
        result.by_day[params["on"]] = result.by_day.get(params["on"], 0) + len(ids)


@transaction.atomic(durable=True)
def rate_changes_post(*, actor, until: dt.date, province: str | None = None) -> RatePostResult:
    """Write every rate change due by ``until`` (the business date: a future LPR is not known yet)
    for the live contracts (of ``province``, 2 digits, if given); idempotent — a re-run finds
    nothing new. One audit entry for the whole run."""
    result = RatePostResult()
    now = timezone.now()
    versions = {v.pk: v for v in PolicyVersion.objects.all()}
    with connection.cursor() as cur:
        for version_id, group_province, first_disbursed in groups(province):
            for point in breakpoints(versions[version_id], group_province, first_disbursed, until):
                _post_point(cur, _params(version_id, group_province, point), now, result)
    if result.changes:
        ids = RateChange.objects.filter(recorded_at=now).values_list("pk", flat=True)
        audit_bulk(
            actor=actor,
            action="loans.rate_changes_post",
            model=RateChange,
            ids=ids,
            what=f"{len(result.contracts)}份合同利率调整",
            after={
                "until": until,
                "province": province or "全部",
                "changes": result.changes,
                "contracts": len(result.contracts),
                "late": len(result.late),
                "by_day": {d.isoformat(): n for d, n in sorted(result.by_day.items())},
            },
        )
    return result
