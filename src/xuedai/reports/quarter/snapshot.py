"""Take a quarter end's snapshot once, set-based (DOMAIN.md §6; seed [004] 第七、九条).

After the loans classification batch has graded every live contract at the quarter end, a few
statements build the quarter as it will be reported — never an ORM object per contract:

1. the quarter's contracts — every record of the day (``loans_graderecord``) and the live accounts a
   sparse run left unrecorded (正常 and unchanged) — each with the unit (the university for a campus
   loan, the signing county otherwise) and the project year (the contract's academic year). The
   snapshot is sparse: a row (``QuarterGrade``) only for a contract not 正常, or owing anything
   overdue, or with a designation in force, or not 正常 at the previous quarter end; every other
   contract — 正常, nothing to adjust, no move — goes into one ``QuarterNormalLine`` per unit and
   project year (contracts, distinct borrowers, balance, and the members with their balances), one
   GROUP BY instead of a row each (≈ 94 % of a portfolio: 16.6 s of inserts at 10⁶, see
   bench/RESULTS.md). A row whose borrower is also in its line is marked, so a table counts that
   borrower once (``lines`` module doc);
2. the overdue principal and interest on the day: the account's cached amounts less the effects
   of the postings dated after the quarter end (``loans.models.kinds.EFFECTS``; a reversal counts
   negated) — the ledger's sum up to the day — only for the contracts with an unpaid due date, the
   others owe nothing overdue;
3. relief hold *(policy, 2022–2024 notices)*: a loan whose principal was deferred under a relief
   programme is not downgraded while the deferral runs (the programme's year, and the next year up
   to its 30 Sep quarter end — the deferred principal falls due on the next 20 Dec): its grade stays
   at the previous quarter's (正常 when it has none, or when it was in a line);
4. the hand-set grades (``GradeDesignation`` not withdrawn on the day): the worse of it and the
   grade so far, 关注 first, then 损失 — a designation never improves a grade;
5. the moves against the previous snapshot, each with its reason (from its row, or 正常 from its line).

Nothing is recomputed later: a line keeps its members' balances of the day, so a posting or a
settlement after the quarter end changes no stored figure.

Worked example (tests/reports/test_quarter_snapshot.py): a seed-rule contract whose 20 Dec 2019
amounts are unpaid is 可疑 on 30 Jun 2020; deferred under the 2020 programme it stays 正常 (its grade
on 31 Mar 2020 was 正常), and the move list of 30 Jun is empty for it.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from xuedai.audit.services import audit_record
from xuedai.batch.runs import CLASSIFICATION
from xuedai.core.classification import Grade
from xuedai.jobs.models import JobRun, JobStatus
from xuedai.loans.batches import is_quarter_end
from xuedai.loans.models.kinds import EFFECTS
from xuedai.origination.models import LIVE_STATES

from .models import DesignationReason, MoveReason, QuarterSnapshot

SPECIAL_MENTION, LOSS = Grade.SPECIAL_MENTION.rank, Grade.LOSS.rank


class SnapshotError(ValueError):
    """A snapshot that cannot be taken, with the reason in Chinese."""


def _rank_sql(column: str) -> str:
    return "CASE " + column + " " + " ".join(f"WHEN '{g.value}' THEN {g.rank}" for g in Grade) + " END"


def _effect_sql(balance: str) -> str:
    """Σ sign × amount of the postings' effect on one cached balance (a reversal negated)."""
    cases = " ".join(
        f"WHEN '{kind}' THEN {effects[balance]}" for kind, effects in EFFECTS.items() if balance in effects
    )
    return (
        f"SUM((CASE WHEN p.reverses_id IS NULL THEN 1 ELSE -1 END) * "
        f"(CASE COALESCE(r.kind, p.kind) {cases} ELSE 0 END) * p.amount)"
    )


_UNIT = """CASE WHEN c.product = 'campus' THEN COALESCE(c.university_id, c.county_id)
                ELSE COALESCE(c.county_id, c.university_id) END"""
_LIVE_STATES = ", ".join(f"'{state}'" for state in sorted(LIVE_STATES))
_LIVE = f"c.state IN ({_LIVE_STATES}) AND a.opened_on <= %(on)s"
# A record of the day that is 正常 with nothing overdue: such a contract needs no row of its own.
_CLEAN = f"g.grade = '{Grade.NORMAL.value}' AND g.days_overdue = 0 AND g.oldest_unpaid_due IS NULL"
# The quarter's contracts: every record of the day (a dense run writes one per account), and the live
# accounts a sparse run left unrecorded (``batch.classify_io.classify_chunk``: 正常 and unchanged).
_QUARTER_ACCOUNTS = f"""
      FROM loans_loanaccount a JOIN origination_contract c ON c.id = a.contract_id
      LEFT JOIN loans_graderecord g ON g.account_id = a.contract_id AND g.as_of = %(on)s
     WHERE (g.id IS NOT NULL OR ({_LIVE}))"""
_NO_ROW_YET = """NOT EXISTS (SELECT 1 FROM reports_quartergrade q
                             WHERE q.snapshot_id = %(snapshot)s AND q.contract_id = a.contract_id)"""
_COLUMNS = """(snapshot_id, contract_id, borrower_id, product, unit_id, county_id, university_id,
         project_year, rule, computed_rank, rank, reason, oldest_unpaid_due, days_overdue,
         principal_outstanding, principal_overdue, interest_overdue, borrower_in_line)"""

def _by_key(table: str, alias: str, condition: str) -> str:
    """Join the rows of a few percent of the portfolio by key. PostgreSQL's planner, counting every
    page as a disk read, prefers a hash join that scans all 10⁷ contracts or accounts (5 s) to 4 × 10⁵
    index probes (0.6 s): on PostgreSQL a LATERAL subquery kept apart by OFFSET 0 makes the probe
    the only plan. SQLite probes by key anyway."""
    if connection.vendor == "postgresql":
        return f"CROSS JOIN LATERAL (SELECT * FROM {table} {alias} WHERE {condition} OFFSET 0) AS {alias}"
    return f"JOIN {table} {alias} ON {condition}"


# 逾期利息 is the interest due and unpaid (欠息), without penalty and compound interest: [003 资金办法
# 第六条] defines default as 欠息 or 逾期本金, and 第二十八条 names 所欠本息 and 罚息 apart; the
# 认定表's 逾期利息额 [004 第九条] follows it (docs/quarter-end-zh.md).
# The amounts on the day (step 2) are today's cached balances less what the postings dated after the
# day did to them — the cache is the ledger's sum by construction (``loans.models.kinds``: nothing
# else moves a balance; ``xuedai reconcile`` checks it) — so only the postings after the quarter end
# of the overdue contracts are read, not their whole history (17.6 s at 10⁷, bench/RESULTS.md).
_LATER_EFFECTS = f"""
    SELECT p.account_id, {_effect_sql("principal_due")} AS principal,
           {_effect_sql("interest_due")} AS interest
      FROM loans_posting p
      LEFT JOIN loans_posting r ON r.id = p.reverses_id
     WHERE p.business_date > %(on)s
       AND p.account_id IN (SELECT d.account_id FROM loans_graderecord d
                             WHERE d.as_of = %(on)s AND d.oldest_unpaid_due IS NOT NULL)
     GROUP BY p.account_id"""


def insert_grades_sql() -> str:
    """Step 1a: a row for each record of the day that is not 正常-and-clean, with its overdue amounts
    (step 2) — the account's cached amounts less what the postings dated after the day did to them."""
    return f"""
    INSERT INTO reports_quartergrade {_COLUMNS}
    WITH later AS MATERIALIZED ({_LATER_EFFECTS})
    SELECT %(snapshot)s, g.account_id, c.borrower_id, c.product, {_UNIT},
           c.county_id, c.university_id, c.academic_year, g.rule,
           {_rank_sql("g.grade")}, {_rank_sql("g.grade")}, '', g.oldest_unpaid_due, g.days_overdue,
           g.principal_outstanding,
           CASE WHEN g.oldest_unpaid_due IS NULL THEN 0 ELSE a.principal_due - COALESCE(l.principal, 0) END,
           CASE WHEN g.oldest_unpaid_due IS NULL THEN 0 ELSE a.interest_due - COALESCE(l.interest, 0) END,
           FALSE
      FROM loans_graderecord g {_by_key("origination_contract", "c", "c.id = g.account_id")}
           {_by_key("loans_loanaccount", "a", "a.contract_id = g.account_id")}
      LEFT JOIN later l ON l.account_id = g.account_id
     WHERE g.as_of = %(on)s AND NOT ({_CLEAN})
"""


# Step 1b: a row for a 正常 contract whose reported grade may differ from 正常 or from the previous
# quarter's: a designation in force (it raises the grade, step 4), or a grade other than 正常 at the
# previous quarter end (its move back is listed, step 5). Both sets are small.
INSERT_KEPT = f"""
    INSERT INTO reports_quartergrade {_COLUMNS}
    SELECT %(snapshot)s, a.contract_id, c.borrower_id, c.product, {_UNIT},
           c.county_id, c.university_id, c.academic_year, COALESCE(g.rule, ''), 0, 0, '', NULL, 0,
           COALESCE(g.principal_outstanding, a.principal_outstanding), 0, 0, FALSE
    {_QUARTER_ACCOUNTS}
       AND a.contract_id IN (SELECT d.contract_id FROM reports_gradedesignation d
                              WHERE d.designated_on <= %(on)s
                                AND (d.withdrawn_on IS NULL OR d.withdrawn_on > %(on)s)
                             UNION
                             SELECT p.contract_id FROM reports_quartergrade p
                              WHERE p.snapshot_id = %(previous)s AND p.rank <> 0)
       AND {_NO_ROW_YET}
"""


def _list_sql(column: str) -> str:
    """The group's values as one comma-separated text (same row order for every list of a group)."""
    if connection.vendor == "postgresql":
        return f"string_agg({column}::text, ',')"
    return f"group_concat({column}, ',')"


_LINE_COLUMNS = ("snapshot_id, unit_id, project_year, contracts, borrowers, balance, member_ids, "
                 "member_balances")


def lines_select_sql() -> str:
    """Step 1c: every other contract — 正常 and unchanged — into one line per unit and project year."""
    return f"""
    SELECT %(snapshot)s AS snapshot_id, n.unit_id, n.project_year, COUNT(*) AS contracts,
           COUNT(DISTINCT n.borrower_id) AS borrowers, SUM(n.balance) AS balance,
           {_list_sql("n.contract_id")} AS member_ids, {_list_sql("n.balance")} AS member_balances
      FROM (SELECT {_UNIT} AS unit_id, c.academic_year AS project_year, c.borrower_id, a.contract_id,
                   COALESCE(g.principal_outstanding, a.principal_outstanding) AS balance
            {_QUARTER_ACCOUNTS} AND {_NO_ROW_YET}) AS n
     GROUP BY n.unit_id, n.project_year
"""


def insert_lines(cur, params: dict) -> int:
    """Step 1c, written; returns the lines. On PostgreSQL the GROUP BY over the whole portfolio runs as
    a parallel query — an INSERT … SELECT never does (19 s instead of 34 s at 10⁷, bench/RESULTS.md):
    the lines go to a temporary table first (CREATE TABLE AS may run in parallel), then across."""
    if connection.vendor != "postgresql":
        cur.execute(f"INSERT INTO reports_quarternormalline ({_LINE_COLUMNS}) {lines_select_sql()}", params)
        return cur.rowcount
    # The members' lists (≈ 150 MB of text at 10⁷) are compressed as they are stored: pglz took 12 s
    # of the step, lz4 (PostgreSQL ≥ 14, when built with it) under one.
    cur.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
    if cur.fetchone()[0]:
        cur.execute("SET LOCAL default_toast_compression = 'lz4'")
    cur.execute(f"CREATE TEMPORARY TABLE snapshot_lines ON COMMIT DROP AS {lines_select_sql()}", params)
    cur.execute(f"INSERT INTO reports_quarternormalline ({_LINE_COLUMNS}) "
                f"SELECT {_LINE_COLUMNS} FROM snapshot_lines")
    lines = cur.rowcount
    cur.execute("DROP TABLE snapshot_lines")
    return lines


def borrower_in_line_sql() -> str:
    """Step 1d: a row whose borrower has another contract in the line of its unit and project year (the
    figures then count that borrower once, ``lines`` module doc). The borrower's other contracts of
    the year first, by the (borrower, academic year) index — nearly always none — and only those are
    checked for being in a line (a join over the whole portfolio took 6 s at 10⁶)."""
    others = _by_key("origination_contract", "c", "c.borrower_id = q.borrower_id "
                     "AND c.academic_year = q.project_year AND c.id <> q.contract_id")
    return f"""
    WITH others AS MATERIALIZED (
        SELECT q.id AS row_id, q.unit_id, c.id AS contract_id
          FROM reports_quartergrade q {others}
         WHERE q.snapshot_id = %(snapshot)s)
    UPDATE reports_quartergrade SET borrower_in_line = TRUE
     WHERE snapshot_id = %(snapshot)s
       AND id IN (SELECT o.row_id FROM others o
                    JOIN origination_contract c ON c.id = o.contract_id
                    JOIN loans_loanaccount a ON a.contract_id = c.id
                    LEFT JOIN loans_graderecord g ON g.account_id = c.id AND g.as_of = %(on)s
                   WHERE COALESCE({_UNIT}, 0) = COALESCE(o.unit_id, 0)
                     AND (g.id IS NOT NULL OR ({_LIVE}))
                     AND NOT EXISTS (SELECT 1 FROM reports_quartergrade s
                                      WHERE s.snapshot_id = %(snapshot)s AND s.contract_id = c.id))
"""


def previous_members_sql() -> str:
    """The contracts of the previous quarter's lines (one row each)."""
    if connection.vendor == "postgresql":
        return """SELECT unnest(string_to_array(l.member_ids, ','))::bigint AS contract_id
                    FROM reports_quarternormalline l WHERE l.snapshot_id = %(previous)s"""
    return """SELECT CAST(j.value AS INTEGER) AS contract_id
                FROM reports_quarternormalline l, json_each('[' || l.member_ids || ']') j
               WHERE l.snapshot_id = %(previous)s"""


_PREVIOUS_RANK = """COALESCE((SELECT p.rank FROM reports_quartergrade p
                               WHERE p.snapshot_id = %(previous)s
                                 AND p.contract_id = reports_quartergrade.contract_id),
                             0)"""

RELIEF_HOLD = """
    UPDATE reports_quartergrade SET rank = {previous_rank}, reason = 'relief_hold'
     WHERE snapshot_id = %(snapshot)s
       AND contract_id IN (SELECT ra.account_id FROM loans_reliefapplication ra
                             JOIN loans_reliefprogramme rp ON rp.id = ra.programme_id
                            WHERE ra.defer_principal AND ra.applied_on <= %(on)s AND rp.year IN ({years}))
       AND rank > {previous_rank}
"""

_ACTIVE = """d.contract_id = reports_quartergrade.contract_id AND d.rank = %(rank)s
             AND d.designated_on <= %(on)s AND (d.withdrawn_on IS NULL OR d.withdrawn_on > %(on)s)"""

DESIGNATIONS = f"""
    UPDATE reports_quartergrade
       SET rank = %(rank)s,
           reason = (SELECT d.reason FROM reports_gradedesignation d WHERE {_ACTIVE}
                      ORDER BY d.id DESC LIMIT 1)
     WHERE snapshot_id = %(snapshot)s AND rank < %(rank)s
       AND EXISTS (SELECT 1 FROM reports_gradedesignation d WHERE {_ACTIVE})
"""

_DESIGNATION_CODES = ", ".join(f"'{r.value}'" for r in DesignationReason)
_NOTE = (
    "CASE q.reason "
    + " ".join(f"WHEN '{r.value}' THEN '{r.label}'" for r in DesignationReason)
    + " ELSE '' END"
)

MOVES = f"""
    INSERT INTO reports_grademove
        (snapshot_id, contract_id, unit_id, project_year, from_rank, to_rank, reason, note, actor_id,
         created_at)
    SELECT %(snapshot)s, q.contract_id, q.unit_id, q.project_year, p.rank, q.rank,
           CASE WHEN q.reason IN ({_DESIGNATION_CODES}) THEN '{MoveReason.DESIGNATED}'
                WHEN q.reason = 'relief_hold' THEN '{MoveReason.RELIEF_HOLD}'
                WHEN q.rank > p.rank THEN '{MoveReason.WORSE}' ELSE '{MoveReason.BETTER}' END,
           {_NOTE}, NULL, %(now)s
      FROM reports_quartergrade q
      JOIN reports_quartergrade p ON p.snapshot_id = %(previous)s AND p.contract_id = q.contract_id
     WHERE q.snapshot_id = %(snapshot)s AND q.rank <> p.rank
"""


def moves_from_line_sql() -> str:
    """Step 5 for a contract that was in a line of the previous quarter (正常): moved if not 正常 now."""
    return f"""
    INSERT INTO reports_grademove
        (snapshot_id, contract_id, unit_id, project_year, from_rank, to_rank, reason, note, actor_id,
         created_at)
    SELECT %(snapshot)s, q.contract_id, q.unit_id, q.project_year, 0, q.rank,
           CASE WHEN q.reason IN ({_DESIGNATION_CODES}) THEN '{MoveReason.DESIGNATED}'
                WHEN q.reason = 'relief_hold' THEN '{MoveReason.RELIEF_HOLD}'
                ELSE '{MoveReason.WORSE}' END,
           {_NOTE}, NULL, %(now)s
      FROM reports_quartergrade q
      JOIN ({previous_members_sql()}) AS m ON m.contract_id = q.contract_id
     WHERE q.snapshot_id = %(snapshot)s AND q.rank <> 0
"""


def relief_years(on: dt.date) -> tuple[int, ...]:
    """Programme years whose deferral still runs at the quarter end ``on`` (module doc, step 3).

    >>> relief_years(dt.date(2023, 9, 30)), relief_years(dt.date(2023, 12, 31))
    ((2023, 2022), (2023,))
    """
    return (on.year, on.year - 1) if on.month < 12 else (on.year,)


def classification_done(on: dt.date) -> bool:
    return JobRun.objects.filter(
        kind=CLASSIFICATION, business_date=on, scope_key="all", status=JobStatus.DONE
    ).exists()


def snapshot_refusal(on: dt.date) -> str | None:
    """Why the snapshot of ``on`` cannot be taken (in Chinese), or None."""
    if not is_quarter_end(on):
        return f"分类时点必须是季末(3月31日、6月30日、9月30日、12月31日)：{on:%Y-%m-%d} 不是。"
    if QuarterSnapshot.objects.filter(as_of=on).exists():
        return f"{on:%Y年%m月%d日}的季末分类快照已生成，不再重新计算；调整请逐笔人工认定并填写原因。"
    if not classification_done(on):
        return f"{on:%Y年%m月%d日}的季末五级分类批处理尚未完成，请先在批处理页运行。"
    return None


@transaction.atomic(durable=True)
def quarter_snapshot_take(*, actor, on: dt.date) -> QuarterSnapshot:
    """The quarter end ``on`` as it will be reported; refused when taken already (never silently
    recomputed), off a quarter end, or before the classification batch of the day is done."""
    if refusal := snapshot_refusal(on):
        raise SnapshotError(refusal)
    snapshot = QuarterSnapshot.objects.create(as_of=on, taken_by=actor)
    previous = (
        QuarterSnapshot.objects.filter(as_of__lt=on).order_by("-as_of").values_list("pk", flat=True).first()
    )
    years = relief_years(on)
    params = {
        "snapshot": snapshot.pk,
        "on": on,
        "previous": previous or 0,
        "now": timezone.now(),
        **{f"year{i}": year for i, year in enumerate(years)},
    }
    relief_hold = RELIEF_HOLD.format(
        previous_rank=_PREVIOUS_RANK, years=", ".join(f"%(year{i})s" for i in range(len(years)))
    )
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # The classification batch has just written the day's records: without their statistics
            # the planner probes them once per contract (20 s instead of 0.5 s at 10⁶).
            cur.execute("ANALYZE loans_graderecord")
        cur.execute(insert_grades_sql(), params)
        rows = cur.rowcount
        cur.execute(INSERT_KEPT, params)
        rows += cur.rowcount
        if connection.vendor == "postgresql":
            # Rows the planner has no statistics for yet: without them it loops the anti-join of
            # the lines and the ledger join below once per row (minutes instead of seconds at 10⁶).
            cur.execute("ANALYZE reports_quartergrade")
        lines = insert_lines(cur, params)
        cur.execute(
            "SELECT COALESCE(SUM(contracts), 0) FROM reports_quarternormalline WHERE snapshot_id = %s",
            [snapshot.pk],
        )
        in_lines = int(cur.fetchone()[0])
        snapshot.contracts = rows + in_lines
        cur.execute(borrower_in_line_sql(), params)
        cur.execute(relief_hold, params)
        held = cur.rowcount
        designated = 0
        for rank in (SPECIAL_MENTION, LOSS):  # 损失 last: it wins over a 关注 on the same contract
            cur.execute(DESIGNATIONS, {**params, "rank": rank})
            designated += cur.rowcount
        cur.execute(MOVES, params)
        moves = cur.rowcount
        cur.execute(moves_from_line_sql(), params)
        moves += cur.rowcount
    snapshot.save(update_fields=["contracts"])
    audit_record(
        actor=actor,
        action="reports.quarter_snapshot_take",
        obj=snapshot,
        after={
            "as_of": on,
            "contracts": snapshot.contracts,
            "rows": rows,
            "normal_lines": lines,
            "in_lines": in_lines,
            "relief_hold": held,
            "designated": designated,
            "moves": moves,
            "previous": previous,
        },
    )
    return snapshot


__all__ = [
    "SnapshotError",
    "classification_done",
    "quarter_snapshot_take",
    "relief_years",
    "snapshot_refusal",
]
