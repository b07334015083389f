"""The 扣款明细表 at scale: one CSV per channel run, written by PostgreSQL's COPY … (FORMAT csv).

Same lines as ``loans.deduction.services.deduction_prepare`` (seed [001] 三; DOMAIN.md §4 Channels
and Overdue): every live account owing on the 20th — due and overdue principal and interest, plus
penalties charged and accrued to the day — less waiting credit; in the columns of the
layouts the caller passes (``loans.deduction.layouts``: Alipay, or the agent-bank version for
counties served by one). The
loans engineer writes the .xlsx for normal sizes; past Excel's 1,048,576 rows it is this CSV
(UTF-8 with a BOM so Excel opens it in Chinese).

Penalty accrued to the day: for each overdue account, its unpaid principal and interest items by
due day are read from the postings, each accrues from the later of its due day and the account's
last penalty charge (a payment or a waiver charges and restarts the engine's accrual) to the
deduction day, and :func:`xuedai.batch.penalty_kernel.penalty_by_account` sums them exactly and rounds
罚息 and 复利 separately — the engine's running ``Accrual`` (``core.engine._Contract``). The result is
also cached on the account (``penalty_accrued`` / ``penalty_accrued_on``), as
``loans.services.penalty_accrue`` does. Early-repayment lines are left to the scalar service.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from xuedai.batch import io, partitions
from xuedai.batch.exact import MULT_SCALE, NO_DATE, RATE_SCALE, to_date
from xuedai.batch.io import LIVE, Timings
from xuedai.batch.penalty_kernel import penalty_by_account, split_at
from xuedai.batch.rate_kernel import stretches_by_rate

PRINCIPAL_KINDS = ("principal", "pay_principal", "pay_overdue_principal", "defer_principal")
INTEREST_KINDS = ("interest", "pay_interest", "pay_overdue_interest", "waive_interest")
RESET_KINDS = ("pay_penalty", "pay_compound", "pay_overdue_interest", "pay_overdue_principal",
               "pay_interest", "pay_principal", "penalty", "compound", "waive_penalty")
OWING = f"""
    FROM loans_loanaccount a JOIN origination_contract c ON c.id = a.contract_id
    WHERE c.state IN {LIVE} AND a.opened_on < %(on)s
      AND (a.principal_due > 0 OR a.interest_due > 0 OR a.penalty_due > 0)
"""
# One partition of a distributed run (:mod:`.distributed`): its id range on both sides of the join
# (PostgreSQL does not carry a range across it), then its province (:data:`.partitions.FILTER`).
PARTITION = (" AND a.contract_id > %(lo)s AND a.contract_id <= %(hi)s AND c.id > %(lo)s AND c.id <= %(hi)s"
             + partitions.FILTER)


def _sql_list(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def accrued_penalties(conn, on: int, *, where: str = "", params: Mapping | None = None,
                      ) -> tuple[np.ndarray, np.ndarray, Timings]:
    """(account ids, penalty + compound accrued to ``on`` in fen) of the accounts overdue on ``on``;
    ``where`` (with its ``params``) narrows the accounts, e.g. to one partition."""
    timings = Timings()
    params = {**(params or {}), "on": to_date(on)}
    started = time.perf_counter()
    accounts = io.copy_out(conn, [
        io.Column("id", "a.contract_id"),
        io.Column("rate", f"(c.annual_rate * {RATE_SCALE})::int8"),
        io.Column("multiplier", f"(p.penalty_multiplier * {MULT_SCALE})::int8"),
        io.Column("misuse_multiplier", f"(p.misuse_penalty_multiplier * {MULT_SCALE})::int8"),
    ], f"{OWING.replace('WHERE', 'JOIN policies_policyversion p ON p.id = c.policy_version_id WHERE')}"
       f" AND a.oldest_unpaid_due < %(on)s{where} ORDER BY 1", params)
    if len(accounts["id"]) == 0:
        return accounts["id"], accounts["id"], timings
    io.temp_table(conn, "batch_overdue", {"id": accounts["id"]})
    kind = "COALESCE(r.kind, p.kind)"
    sign = (f"(CASE WHEN p.kind = 'reversal' THEN -1 ELSE 1 END) * "
            f"(CASE WHEN {kind} IN ('principal', 'interest') THEN 1 ELSE -1 END)")
    items = io.copy_out(conn, [
        io.Column("id", "p.account_id"),
        io.Column("due", io.day_sql("COALESCE(r.due_on, p.due_on)"), 4),
        io.Column("is_principal", f"({kind} IN {_sql_list(PRINCIPAL_KINDS)})::int4", 4),
        io.Column("unpaid", f"(SUM({sign} * p.amount) * 100)::int8"),
    ], f"""FROM loans_posting p JOIN batch_overdue o ON o.id = p.account_id
           LEFT JOIN loans_posting r ON r.id = p.reverses_id
          WHERE {kind} IN {_sql_list(PRINCIPAL_KINDS + INTEREST_KINDS)}
          GROUP BY 1, 2, 3 HAVING SUM({sign} * p.amount) > 0""")
    resets = io.copy_out(conn, [
        io.Column("id", "p.account_id"),
        io.Column("day", io.day_sql("MAX(p.business_date)"), 4),
    ], f"""FROM loans_posting p JOIN batch_overdue o ON o.id = p.account_id
          WHERE p.kind IN {_sql_list(RESET_KINDS)} GROUP BY 1""")
    # The accounts' rate schedules (loans.RateChange): the penalty rate follows the rate in force.
    changes = io.copy_out(conn, [
        io.Column("id", "r.contract_id"),
        io.Column("day", io.day_sql("r.effective_from"), 4),
        io.Column("rate", f"(r.annual_rate * {RATE_SCALE})::int8"),
    ], """FROM loans_ratechange r JOIN batch_overdue o ON o.id = r.contract_id
          WHERE r.effective_from < %(on)s ORDER BY 1, 2""", params)
    # Misuse flags (loans_termschange kind misuse): the misuse multiplier from that day on.
    misuse = io.copy_out(conn, [
        io.Column("id", "t.contract_id"),
        io.Column("day", io.day_sql("MIN(t.starts_on)"), 4),
    ], """FROM loans_termschange t JOIN batch_overdue o ON o.id = t.contract_id
          WHERE t.kind = 'misuse' AND t.starts_on IS NOT NULL GROUP BY 1 ORDER BY 1""")
    timings.read_s = time.perf_counter() - started
    started = time.perf_counter()
    ids = accounts["id"]  # sorted (ORDER BY 1): rows are found by binary search
    row = np.searchsorted(ids, items["id"])
    last_reset = np.zeros(len(ids), dtype=np.int64)
    last_reset[np.searchsorted(ids, resets["id"])] = resets["day"]
    start = np.maximum(items["due"], last_reset[row])
    # Each item's stretch cut where its account's rate changes (rate_kernel.stretches_by_rate).
    piece, rate, start, end = stretches_by_rate(items["id"], start, on, accounts["rate"][row], changes["id"],
                                                changes["day"], changes["rate"])
    row, unpaid, is_principal_piece = row[piece], items["unpaid"][piece], items["is_principal"][piece]
    flagged = np.full(len(ids), NO_DATE, dtype=np.int64)
    flagged[np.searchsorted(ids, misuse["id"])] = misuse["day"]
    cut, start, end, late = split_at(start, end, flagged[row])
    row, rate, unpaid, is_principal_piece = row[cut], rate[cut], unpaid[cut], is_principal_piece[cut]
    mult = np.where(late, accounts["misuse_multiplier"][row], accounts["multiplier"][row])
    total = np.zeros(len(ids), dtype=np.int64)
    for is_principal in (1, 0):  # 罚息 and 复利 round separately (engine: penalty, compound)
        sel = is_principal_piece == is_principal
        total += penalty_by_account(row[sel], len(ids), unpaid[sel], rate[sel], start[sel], end[sel],
                                    mult[sel])
    timings.compute_s = time.perf_counter() - started
    timings.rows = len(ids)
    return ids, total, timings


def _text(expression: str) -> str:
    """A text column as the CSV must carry it: a leading ' before = + - @ tab CR, so a borrower
    named "=cmd|…" stays text in Excel (the escape xuedai.documents.cells.escape_csv_text writes)."""
    return (f"CASE WHEN left({expression}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) "
            f"THEN chr(39) || {expression} ELSE {expression} END")


def _expressions() -> dict[str, str]:
    penalty = "(a.penalty_due + COALESCE(t.accrued, 0)::numeric / 100)"
    amount = f"GREATEST(a.principal_due + a.interest_due + {penalty} - a.credit, 0)"
    return {
        "seq": "row_number() OVER (ORDER BY a.contract_id)", "contract_no": _text("c.contract_no"),
        "name": _text("b.name"), "id_number": _text("b.id_number"),
        "channel_account": _text("a.channel_account"),
        "county": _text("COALESCE(k.name, '')"), "agent_bank": _text("COALESCE(ab.name, '')"),
        "kind": "CASE WHEN a.oldest_unpaid_due < %(on)s THEN '逾期还款' ELSE '到期还款' END",
        "principal": "a.principal_due", "interest": "a.interest_due",
        "penalty": f"{penalty}::numeric(14, 2)", "amount": f"{amount}::numeric(14, 2)",
        "result": "''", "paid": "''", "reason": "''", "_amount": amount,
    }


def write_file(conn, on: int, path: Path, layout, *, agent_bank_id: int | None = None, where: str = "",
               params: Mapping | None = None, part: bool = False) -> int:
    """Write one channel run's file (Alipay: counties without an agent bank) in ``layout`` (its
    ``keys`` and ``headers``: ``loans.deduction.layouts``); returns its lines.

    ``part=True`` writes one partition's share of it (``where``: :data:`PARTITION`) for
    :mod:`.deduct_parts` to merge: no BOM, no header, no 序号 (numbered only once merged), each line
    led by its contract id (the merge's order)."""
    expr = _expressions()
    keys = list(layout.keys)
    if part:
        if "seq" in keys[1:]:
            raise ValueError("分区文件要求“序号”为第一列 / seq must be the layout's first column")
        keys = ["_id", *(k for k in keys if k != "seq")]
        expr["_id"] = "a.contract_id"
    select = ", ".join(expr[key] for key in keys)
    bank = "k.agent_bank_id = %(bank)s" if agent_bank_id else "k.agent_bank_id IS NULL"
    query = f"""
        SELECT {select}
          {OWING.replace('WHERE', '''JOIN borrowers_borrower b ON b.id = c.borrower_id
          LEFT JOIN orgs_organisation k ON k.id = c.county_id
          LEFT JOIN orgs_organisation ab ON ab.id = k.agent_bank_id
          LEFT JOIN batch_penalty t ON t.id = a.contract_id WHERE''')}
           AND {bank} AND {expr['_amount']} > 0{where}
         ORDER BY a.contract_id"""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = 0
    with path.open("wb") as handle, conn.cursor() as cur:
        if not part:
            handle.write("\ufeff".encode())  # BOM: Excel reads the file as UTF-8 (Chinese headers)
        with cur.copy(f"COPY ({query}) TO STDOUT (FORMAT csv, HEADER false)",
                      {**(params or {}), "on": to_date(on), "bank": agent_bank_id}) as copy:
            if not part:
                handle.write((",".join(layout.headers) + "\n").encode())
            for block in copy:
                handle.write(block)
                lines += bytes(block).count(b"\n")
    return lines


def channel_banks(conn, counties: list[int] | None = None) -> list[int | None]:
    """The channel runs of a deduction day: Alipay (None), then each agent bank by id — of the
    counties given (one partition's province), or of every county."""
    only = " AND id = ANY(%s)" if counties is not None else ""
    with conn.cursor() as cur:
        cur.execute("SELECT DISTINCT agent_bank_id FROM orgs_organisation "
                    f"WHERE agent_bank_id IS NOT NULL{only}", [counties] if counties is not None else [])
        return [None, *sorted(r[0] for r in cur.fetchall())]


def file_name(day, bank: int | None) -> str:
    """The name of a channel run's file on the deduction day ``day`` (a date)."""
    return f"{day:%Y%m%d}-{'扣款明细表' if bank is None else f'批量扣款信息表(代理行版)-{bank}'}.csv"


def penalty_table(conn, ids: np.ndarray, accrued: np.ndarray) -> None:
    """``batch_penalty``: the accrued fen by account, which the files and the cache read."""
    io.temp_table(conn, "batch_penalty", {"id": ids, "accrued": accrued})


def penalty_cache(conn, on: int, ids: np.ndarray) -> None:
    """The accounts' cache ``penalty_accrued`` / ``penalty_accrued_on`` set from ``batch_penalty``
    (``ids``: its accounts, sorted) in the caller's transaction."""
    if len(ids) == 0:
        return
    # The id range: the accounts are read by primary key, not by a scan of the whole table.
    io.execute(conn, """
        UPDATE loans_loanaccount a SET penalty_accrued = t.accrued::numeric / 100,
               penalty_accrued_on = %(on)s, updated_at = now()
          FROM batch_penalty t WHERE a.contract_id = t.id
           AND a.contract_id >= %(first)s AND a.contract_id <= %(last)s""",
               {"on": to_date(on), "first": int(ids.min()), "last": int(ids.max())})


def deduction_files(conn, on: int, directory: Path, layouts) -> tuple[list[tuple[Path, Path]], Timings]:
    """Every channel run's 扣款明细表 for the deduction day ``on`` (caller's transaction), in
    ``layouts["alipay"]`` / ``layouts["agent_bank"]``.

    Each file is written under a temporary name beside its own: returns (final path, written path)
    pairs, and the caller renames them once its transaction has committed — so a file under its
    final name is always whole and always matches the committed penalty cache."""
    ids, accrued, timings = accrued_penalties(conn, on)
    started = time.perf_counter()
    penalty_table(conn, ids, accrued)
    penalty_cache(conn, on, ids)
    written, lines = [], 0
    for bank in channel_banks(conn):
        path = directory / file_name(to_date(on), bank)
        part = path.with_name(f".{path.name}.part")
        count = write_file(conn, on, part, layouts["agent_bank" if bank else "alipay"], agent_bank_id=bank)
        if count:
            written.append((path, part))
            lines += count
        else:
            part.unlink()
    timings.write_s = time.perf_counter() - started
    timings.rows, timings.postings = lines, len(ids)
    return written, timings
