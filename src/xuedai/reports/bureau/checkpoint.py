"""The monthly checkpoint of the credit-bureau figures (reports_creditcheckpoint): each account's
month-end sums, so that a month's file reads only that month's postings plus the month before's
checkpoint, instead of the whole ledger (bench/RESULTS.md "征信报送 file").

Why it is exact. A month's figures (:mod:`.figures`) are sums of the postings whose effective day
(a reversal's: the reversed posting's, DOMAIN.md §4) is on or before the month's last day, plus the
month's own flows. So checkpoint(M) = checkpoint(M − 1) + the postings effective in M, for every
account whose earlier postings are the ones checkpoint(M − 1) saw. The accounts for which that does
not hold are read from their whole history instead (through the account index):

- an account with a posting recorded after the previous file's posting mark but effective on or
  before the previous month's end (a deduction returned back-dated, a transit-grace replay): the
  same postings that make the correction records (:mod:`.export`);
- an account in scope that the previous checkpoint does not hold (new to the branch's scope).

Every account in scope gets its ``due_on`` NULL row (balance, penalty, the month's flows), even at
zero, so "not in the previous checkpoint" means exactly "new to the scope". Rows per due day are kept
only while that day still owes principal or interest: the figures read principal and interest by due
day (oldest unpaid day, the epidemic-year hold) and everything else only as sums over the account,
so moving the balance and penalty of the other due days onto the NULL row changes no figure.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from .figures import figures_from, kinds_cte, moves_sql, params, roomy_sort, scope_accounts_sql, sums_sql
from .models import CreditCheckpoint, CreditFile

_SUMS = ("balance", "penalty", "principal", "interest", "due_amount", "paid_amount", "waived_amount", "moves")
_CLOSING = ("balance", "penalty", "principal", "interest")


def _month_before(month: dt.date) -> dt.date:
    return (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def previous_checkpoint(file: CreditFile) -> CreditFile | None:
    """The organisation's file of the month before ``file``'s whose checkpoint is still kept."""
    before = _month_before(file.month)
    for candidate in CreditFile.objects.filter(
        organisation_id=file.organisation_id, month=before, done=True
    ).order_by("-sequence"):
        if CreditCheckpoint.objects.filter(file_id=candidate.pk).exists():
            return candidate
    return None


def _compact(per_due: str) -> str:
    """The checkpoint rows of ``per_due`` (sums by account and due day) for the accounts in ``acc``:
    one NULL-day row per account, and the due days still owing principal or interest."""
    owing = (
        "SELECT %(file)s AS file_id, d.account_id, d.due_on, 0 AS balance, 0 AS penalty, d.principal, "
        "d.interest, 0 AS due_amount, 0 AS paid_amount, 0 AS waived_amount, 0 AS moves "
        f"FROM {per_due} d WHERE d.due_on IS NOT NULL AND (d.principal <> 0 OR d.interest <> 0) "
        "AND d.account_id IN (SELECT id FROM acc)"
    )
    undated = ", ".join(
        f"COALESCE(SUM(CASE WHEN d.due_on IS NULL THEN d.{c} ELSE 0 END), 0)"
        for c in ("principal", "interest")
    )
    totals = ", ".join(
        f"COALESCE(SUM(d.{c}), 0)" for c in ("due_amount", "paid_amount", "waived_amount", "moves")
    )
    per_account = (
        "SELECT %(file)s, acc.id, NULL, COALESCE(SUM(d.balance), 0), COALESCE(SUM(d.penalty), 0), "
        f"{undated}, {totals} FROM acc LEFT JOIN {per_due} d ON d.account_id = acc.id GROUP BY acc.id"
    )
    return f"{owing}\nUNION ALL\n{per_account}"


def _whole_sql(scope: str) -> str:
    """The checkpoint of the month from the whole ledger (the first file, or after a gap)."""
    return f"""
WITH acc AS ({scope}),
{kinds_cte()},
moves AS ({moves_sql(only="")}
),
per_due AS ({sums_sql("moves m")}
)
{_compact("per_due")}"""


def _incremental_sql(scope: str) -> str:
    """The checkpoint of the month from the previous one and the month's own postings."""
    prev_closing = ", ".join(_CLOSING)
    zero_flows = ", ".join(f"0 AS {c}" for c in _SUMS if c not in _CLOSING)
    regroup = ", ".join(f"SUM(x.{c}) AS {c}" for c in _SUMS)

    def in_whole(alias: str) -> str:
        return f"SELECT 1 FROM whole w WHERE w.id = {alias}.account_id"

    return f"""
WITH acc AS ({scope}),
{kinds_cte()},
prev AS (SELECT * FROM reports_creditcheckpoint WHERE file_id = %(prev)s),
whole AS (
  SELECT p.account_id AS id FROM loans_posting p LEFT JOIN loans_posting r ON r.id = p.reverses_id
  WHERE p.id > %(prev_mark)s AND COALESCE(r.business_date, p.business_date) <= %(prev_end)s
    AND p.account_id IN (SELECT id FROM acc)
  UNION
  SELECT acc.id FROM acc WHERE NOT EXISTS (SELECT 1 FROM prev WHERE prev.account_id = acc.id)
),
month_moves AS ({moves_sql(only="", since="%(prev_end)s", until="%(end)s")}
),
whole_moves AS ({moves_sql(only="AND p.account_id IN (SELECT id FROM whole)")}
),
per_due AS (
  SELECT x.account_id, x.due_on, {regroup} FROM (
    SELECT prev.account_id, prev.due_on, {prev_closing}, {zero_flows} FROM prev
    WHERE NOT EXISTS ({in_whole("prev")})
    UNION ALL
    {sums_sql(f"(SELECT * FROM month_moves mm WHERE NOT EXISTS ({in_whole('mm')})) m")}
    UNION ALL
    {sums_sql("whole_moves m")}
  ) x GROUP BY x.account_id, x.due_on
)
{_compact("per_due")}"""


def checkpoint_build(file: CreditFile, *, start: dt.date, end: dt.date, path: str) -> CreditFile | None:
    """Write ``file``'s checkpoint of the month [start, end] for the contracts under ``path``;
    returns the previous file whose checkpoint it started from (None: read the whole ledger)."""
    previous = previous_checkpoint(file)
    names = "file_id, account_id, due_on, " + ", ".join(_SUMS)
    scope = scope_accounts_sql()
    body = _whole_sql(scope) if previous is None else _incremental_sql(scope)
    extra = {"path": path, "file": file.pk}
    if previous is not None:
        extra.update(prev=previous.pk, prev_mark=previous.posting_mark, prev_end=start - dt.timedelta(days=1))
    with connection.cursor() as cursor:
        roomy_sort(cursor)
        cursor.execute(
            f"INSERT INTO reports_creditcheckpoint ({names}) SELECT * FROM ({body}) s",
            params(start, end, **extra),
        )
    return previous


def checkpoint_figures_sql() -> str:
    """The month's figures (the columns of figures.COLUMNS) from ``%(file)s``'s checkpoint."""
    rows = "(SELECT * FROM reports_creditcheckpoint WHERE file_id = %(file)s)"
    return "WITH " + figures_from(rows, accounts_filter="")


def checkpoint_prune(file: CreditFile) -> int:
    """Drop the organisation's checkpoints of months before ``file``'s: a month needs only the one
    before it, and the newest file's is that one from now on."""
    older = CreditFile.objects.filter(organisation_id=file.organisation_id, month__lt=file.month)
    deleted, _ = CreditCheckpoint.objects.filter(file_id__in=older.values("id")).delete()
    return deleted
