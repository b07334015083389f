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


def _kinds_values() -> str:
    """Each posting kind's effect as numbers (kinds.EFFECTS), plus what the period's columns count:
    a charge falling due (principal, the borrower's interest), a payment, a relief waiver. Joined on
    the kind, so the statement multiplies instead of testing twenty cases per posting."""
    rows = []
    for kind, effect in EFFECTS.items():
        if kind == Kind.REVERSAL:
            continue  # a reversal takes the reversed posting's kind, negated (moves below)
        rows.append(
            f"('{kind}', {effect.get('principal_outstanding', 0)}, {effect.get('principal_due', 0)}, "
            f"{effect.get('interest_due', 0)}, {effect.get('penalty_due', 0)}, "
            f"{int(kind in (Kind.PRINCIPAL, Kind.INTEREST))}, {int(kind in PAY_KINDS)}, "
            f"{int(kind in (Kind.WAIVE_INTEREST, Kind.WAIVE_PENALTY))})"
        )
    return ", ".join(rows)


def _days_between(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"({later}::date - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def _fen(amount: str) -> str:
    """An amount in whole fen, for integer sums (PostgreSQL sums int8 many times faster than numeric,
    and its aggregate state is a tenth of the size)."""
    if connection.vendor == "postgresql":
        return f"({amount} * 100)::int8"
    return f"CAST(ROUND({amount} * 100) AS INTEGER)"


def moves_sql(*, only: str, since: str | None = None, until: str | None = None) -> str:
    """Each posting as (account, effective day, kind, due day, ± fen): a reversal takes the kind,
    due day and business day of the posting it reverses, negated (as loans.services.ledger does).
    ``only``: an extra condition on the account (``AND p.account_id …``) or "". ``since`` /
    ``until``: only the postings whose effective day is after / not after those days (a month on top
    of a checkpoint)."""
    after = (f"AND p.business_date > {since} " if since else "") + (
        f"AND p.business_date <= {until}" if until else ""
    )
    after_reversed = after.replace("p.business_date", "r.business_date")
    return f"""
  SELECT p.account_id, p.business_date AS day, p.kind, p.due_on, {_fen("p.amount")} AS fen
  FROM loans_posting p WHERE p.kind <> 'reversal' {after} {only}
  UNION ALL
  SELECT p.account_id, r.business_date, r.kind, r.due_on, -{_fen("p.amount")}
  FROM loans_posting p JOIN loans_posting r ON r.id = p.reverses_id
  WHERE p.kind = 'reversal' AND p.reverses_id IS NOT NULL {after_reversed} {only}"""


def sums_sql(moves: str) -> str:
    """The (account, due day) sums of ``moves`` (a relation with the columns of :func:`moves_sql`
    named ``m``): closing figures as of the period's end, flows within the period."""
    end, start = "%(end)s", "%(start)s"
    in_period = f"m.day >= {start} AND m.day <= {end}"
    return f"""
  SELECT m.account_id, m.due_on,
         SUM(CASE WHEN m.day <= {end} THEN m.fen * k.outstanding ELSE 0 END) AS balance,
         SUM(CASE WHEN m.day <= {end} THEN m.fen * k.penalty ELSE 0 END) AS penalty,
         SUM(CASE WHEN m.day <= {end} THEN m.fen * k.principal ELSE 0 END) AS principal,
         SUM(CASE WHEN m.day <= {end} THEN m.fen * k.interest ELSE 0 END) AS interest,
         SUM(CASE WHEN {in_period} THEN m.fen * k.charge ELSE 0 END) AS due_amount,
         SUM(CASE WHEN {in_period} THEN m.fen * k.pay ELSE 0 END) AS paid_amount,
         SUM(CASE WHEN {in_period} THEN m.fen * k.waive ELSE 0 END) AS waived_amount,
         SUM(CASE WHEN {in_period} THEN 1 ELSE 0 END) AS moves
  FROM {moves} JOIN kinds k ON k.kind = m.kind
  GROUP BY m.account_id, m.due_on"""


def kinds_cte() -> str:
    columns = "kind, outstanding, principal, interest, penalty, charge, pay, waive"
    return f"kinds ({columns}) AS (VALUES {_kinds_values()})"


def figures_from(per_due: str, *, accounts_filter: str) -> str:
    """The figures' SELECT (the columns of :data:`COLUMNS`) over ``per_due``, a relation of
    (account, due day) sums as :func:`sums_sql` makes them — from the whole ledger or from a
    checkpoint. Only sums over an account reach the result, except principal and interest, which are
    read by due day: the oldest unpaid due day, and which dues are held (the epidemic year)."""
    end = "%(end)s"

    def yuan(fen: str) -> str:
        return f"ROUND(({fen}) / 100.0, 2)"

    return f"""
held_accounts AS (
  SELECT DISTINCT ra.account_id FROM loans_reliefapplication ra
  JOIN loans_reliefprogramme g ON g.id = ra.programme_id
  WHERE g.year = {EPIDEMIC_RELIEF_YEAR}
),
dues AS (
  SELECT d.*, CASE WHEN d.due_on IS NULL THEN 0
                   WHEN h.account_id IS NOT NULL AND d.due_on BETWEEN %(held_from)s AND %(held_to)s THEN 2
                   ELSE 1 END AS owing  -- 0 no due day, 1 reportable, 2 held (epidemic year)
  FROM {per_due} d LEFT JOIN held_accounts h ON h.account_id = d.account_id
),
f AS (
  SELECT account_id, SUM(balance) AS balance, SUM(penalty) AS penalty, SUM(due_amount) AS due_amount,
         SUM(paid_amount) AS paid_amount, SUM(waived_amount) AS waived_amount, SUM(moves) AS moves,
         SUM(CASE WHEN owing = 1 THEN principal ELSE 0 END) AS overdue_principal,
         SUM(CASE WHEN owing = 1 THEN interest ELSE 0 END) AS overdue_interest,
         SUM(CASE WHEN owing = 2 THEN principal + interest ELSE 0 END) AS held_overdue,
         MIN(CASE WHEN owing = 1 AND principal + interest > 0 THEN due_on END) AS oldest_due
  FROM dues GROUP BY account_id
)
SELECT c.id AS contract_id, c.contract_no, b.id_number, b.name, c.product, c.disbursed_on, c.maturity_date,
       c.amount, {yuan("f.balance")} AS balance, {yuan("f.due_amount")} AS due_amount,
       {yuan("f.paid_amount")} AS paid_amount, {yuan("f.overdue_principal")} AS overdue_principal,
       {yuan("f.overdue_interest + f.penalty")} AS overdue_interest,
       CASE WHEN f.oldest_due IS NULL THEN 0 ELSE {_days_between(end, "f.oldest_due")} END AS overdue_days,
       {yuan("f.waived_amount")} AS waived_amount, {yuan("f.held_overdue")} AS held_overdue
FROM f
JOIN loans_loanaccount a ON a.contract_id = f.account_id
JOIN origination_contract c ON c.id = f.account_id
JOIN borrowers_borrower b ON b.id = c.borrower_id
WHERE a.opened_on <= {end} {accounts_filter}
  AND (f.balance <> 0 OR f.penalty <> 0 OR f.moves > 0
       OR f.overdue_principal + f.overdue_interest + f.held_overdue <> 0)
"""


def figures_sql(*, accounts: str, narrow: bool = True) -> str:
    """The statement over the whole ledger; ``accounts`` is a SELECT of contract ids named ``id``
    (the scope, the candidates). Parameters: start, end (the period), held_from, held_to (the
    epidemic year). ``narrow``: few accounts (the correction candidates, one university) — their
    postings are found through the account index; otherwise (a whole branch) the ledger is read in
    one sequential scan and the scope applied at the end, which is cheaper than an index probe per
    account. A monthly file reads a checkpoint instead (:mod:`.checkpoint`).

    One pass over the accounts' postings: reversals are the few rows joined to what they reverse
    (never a join of the whole ledger to itself); sums by (account, due day) first — the unpaid
    amount of each due day gives the oldest unpaid one — then by account."""
    only = "AND p.account_id IN (SELECT id FROM acc)" if narrow else ""
    return f"""
WITH acc AS ({accounts}),
{kinds_cte()},
moves AS ({moves_sql(only=only)}
),
per_due AS ({sums_sql("moves m")}
),
{figures_from("per_due", accounts_filter="AND f.account_id IN (SELECT id FROM acc)")}"""


def roomy_sort(cursor) -> None:
    """On PostgreSQL, room for the per-(account, due day) aggregate in memory for this transaction
    (the default 4 MB spills a million accounts' groups to disk)."""
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL work_mem = '256MB'")


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
        roomy_sort(cursor)
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
