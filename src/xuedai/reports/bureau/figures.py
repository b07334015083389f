"""One period's repayment figures per contract, straight from the ledger in one SQL statement
(SQLite and PostgreSQL alike): the credit-bureau month (:mod:`.export`) and the bank's quarterly
repayment report to a university (:mod:`xuedai.reports.bank.repayment`) both read it.

Everything is derived from ``loans_posting`` as of the period's last day, never from the cached
balances: a reversal counts against the kind, due day and business day of the posting it reverses
(as loans.services.ledger does), so a reversal made later — or a payment replayed back-dated after
its transit grace — changes the figures of the month it belongs to, which is what makes a
correction record (DOMAIN.md §4 Channels, §6 Default consequences).

Not reportable (the 2022 policy, DOMAIN.md §1 Relief programmes): interest and penalty waived under
a relief programme are not debts and are shown apart (``waived_amount``); and for a borrower under
the 2022 programme (the epidemic year: ``EPIDEMIC_RELIEF_YEAR``), principal and interest that fell
due in 2022 and are still unpaid are held out of the overdue figures (``held_overdue``) — the
notice's rule that such overdue does not go on the borrower's credit record.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection

from xuedai.loans.models import EFFECTS, PAY_KINDS, Kind

EPIDEMIC_RELIEF_YEAR = 2022

COLUMNS = (
    "contract_id",
    "contract_no",
    "id_number",
    "name",
    "product",
    "disbursed_on",
    "maturity_date",
    "amount",
    "balance",
    "due_amount",
    "paid_amount",
    "overdue_principal",
    "overdue_interest",
    "overdue_days",
    "waived_amount",
    "held_overdue",
)
MONEY_COLUMNS = frozenset(COLUMNS[7:13] + COLUMNS[14:])


def _quoted(kinds) -> str:
    return "(" + ", ".join(f"'{k}'" for k in sorted(kinds)) + ")"


def _signed(balance: str) -> str:
    """SUM-able expression: the posting's effect on ``balance`` (kinds.EFFECTS, reversals netted)."""
    cases = " ".join(
        f"WHEN '{kind}' THEN {effect[balance]} * n.amount"
        for kind, effect in EFFECTS.items()
        if balance in effect
    )
    return f"CASE n.kind {cases} ELSE 0 END"


def _days_between(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"({later}::date - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def figures_sql(*, accounts: str) -> str:
    """The statement; ``accounts`` is a SELECT of contract ids (the scope, the candidates).
    Parameters: start, end (the period), held_from, held_to (the epidemic year)."""
    due_kinds = _quoted(k for k, e in EFFECTS.items() if "principal_due" in e or "interest_due" in e)
    end = "%(end)s"
    return f"""
WITH acc AS ({accounts}),
net AS (
  SELECT p.account_id,
         CASE WHEN p.kind = 'reversal' THEN r.business_date ELSE p.business_date END AS day,
         CASE WHEN p.kind = 'reversal' THEN r.kind ELSE p.kind END AS kind,
         CASE WHEN p.kind = 'reversal' THEN r.due_on ELSE p.due_on END AS due_on,
         CASE WHEN p.kind = 'reversal' THEN -p.amount ELSE p.amount END AS amount
  FROM loans_posting p
  JOIN loans_loanaccount a ON a.contract_id = p.account_id
  LEFT JOIN loans_posting r ON r.id = p.reverses_id
  WHERE p.account_id IN (SELECT id FROM acc) AND a.opened_on <= {end}
),
held_accounts AS (
  SELECT DISTINCT ra.account_id FROM loans_reliefapplication ra
  JOIN loans_reliefprogramme g ON g.id = ra.programme_id
  WHERE g.year = {EPIDEMIC_RELIEF_YEAR}
),
dues AS (
  SELECT n.account_id, n.due_on,
         SUM({_signed("principal_due")}) AS principal,
         SUM({_signed("interest_due")}) AS interest,
         MAX(CASE WHEN h.account_id IS NOT NULL AND n.due_on BETWEEN %(held_from)s AND %(held_to)s
                  THEN 1 ELSE 0 END) AS held
  FROM net n LEFT JOIN held_accounts h ON h.account_id = n.account_id
  WHERE n.day <= {end} AND n.due_on IS NOT NULL AND n.kind IN {due_kinds}
  GROUP BY n.account_id, n.due_on
),
overdue AS (
  SELECT account_id,
         SUM(CASE WHEN held = 0 THEN principal ELSE 0 END) AS principal,
         SUM(CASE WHEN held = 0 THEN interest ELSE 0 END) AS interest,
         SUM(CASE WHEN held = 1 THEN principal + interest ELSE 0 END) AS held_amount,
         MIN(CASE WHEN held = 0 AND ROUND(principal + interest, 2) > 0 THEN due_on END) AS oldest_due
  FROM dues GROUP BY account_id
),
flows AS (
  SELECT n.account_id,
         SUM(CASE WHEN n.day <= {end} THEN {_signed("principal_outstanding")} ELSE 0 END) AS balance,
         SUM(CASE WHEN n.day <= {end} THEN {_signed("penalty_due")} ELSE 0 END) AS penalty,
         SUM(CASE WHEN n.day BETWEEN %(start)s AND {end} AND n.kind IN ('{Kind.PRINCIPAL}', '{Kind.INTEREST}')
                  THEN n.amount ELSE 0 END) AS due_amount,
         SUM(CASE WHEN n.day BETWEEN %(start)s AND {end} AND n.kind IN {_quoted(PAY_KINDS)}
                  THEN n.amount ELSE 0 END) AS paid_amount,
         SUM(CASE WHEN n.day BETWEEN %(start)s AND {end}
                   AND n.kind IN ('{Kind.WAIVE_INTEREST}', '{Kind.WAIVE_PENALTY}')
                  THEN n.amount ELSE 0 END) AS waived_amount,
         SUM(CASE WHEN n.day BETWEEN %(start)s AND {end} THEN 1 ELSE 0 END) AS moves
  FROM net n GROUP BY n.account_id
)
SELECT c.id AS contract_id, c.contract_no, b.id_number, b.name, c.product, c.disbursed_on, c.maturity_date,
       c.amount, ROUND(f.balance, 2) AS balance, ROUND(f.due_amount, 2) AS due_amount,
       ROUND(f.paid_amount, 2) AS paid_amount,
       ROUND(COALESCE(o.principal, 0), 2) AS overdue_principal,
       ROUND(COALESCE(o.interest, 0) + f.penalty, 2) AS overdue_interest,
       CASE WHEN o.oldest_due IS NULL THEN 0 ELSE {_days_between(end, "o.oldest_due")} END AS overdue_days,
       ROUND(f.waived_amount, 2) AS waived_amount, ROUND(COALESCE(o.held_amount, 0), 2) AS held_overdue
FROM flows f
JOIN origination_contract c ON c.id = f.account_id
JOIN borrowers_borrower b ON b.id = c.borrower_id
LEFT JOIN overdue o ON o.account_id = f.account_id
WHERE ROUND(f.balance, 2) <> 0 OR ROUND(f.penalty, 2) <> 0 OR f.moves > 0
   OR ROUND(COALESCE(o.principal, 0) + COALESCE(o.interest, 0) + COALESCE(o.held_amount, 0), 2) <> 0
"""


def scope_accounts_sql() -> str:
    """Contract ids whose county, university or department lies under the organisation path
    ``%(path)s`` (orgs.scope: a subtree is one prefix match)."""
    under = "SELECT id FROM orgs_organisation WHERE path LIKE %(path)s"
    return (
        f"SELECT c.id FROM origination_contract c WHERE c.county_id IN ({under}) "
        f"OR c.university_id IN ({under}) OR c.department_id IN ({under})"
    )


def params(start: dt.date, end: dt.date, **extra) -> dict:
    return {
        "start": start,
        "end": end,
        "held_from": dt.date(EPIDEMIC_RELIEF_YEAR, 1, 1),
        "held_to": dt.date(EPIDEMIC_RELIEF_YEAR, 12, 31),
        **extra,
    }


def period_figures(
    *, start: dt.date, end: dt.date, path: str, university_id: int | None = None
) -> list[dict]:
    """The figures of [start, end] for the contracts under ``path`` (optionally one university's),
    as dicts with Decimal money, ordered by contract number."""
    accounts = scope_accounts_sql()
    extra: dict = {"path": f"{path}%"}
    if university_id is not None:
        accounts = (
            f"SELECT id FROM ({accounts}) s WHERE id IN "
            "(SELECT id FROM origination_contract WHERE university_id = %(university)s)"
        )
        extra["university"] = university_id
    sql = f"SELECT * FROM ({figures_sql(accounts=accounts)}) t ORDER BY contract_no"
    with connection.cursor() as cursor:
        cursor.execute(sql, params(start, end, **extra))
        rows = cursor.fetchall()
    return [_typed(dict(zip(COLUMNS, row, strict=True))) for row in rows]


def _typed(row: dict) -> dict:
    for key in MONEY_COLUMNS:
        row[key] = Decimal(row[key] or 0).quantize(Decimal("0.01"))
    for key in ("disbursed_on", "maturity_date"):
        if isinstance(row[key], str):
            row[key] = dt.date.fromisoformat(row[key])
    row["overdue_days"] = int(row["overdue_days"] or 0)
    return row
