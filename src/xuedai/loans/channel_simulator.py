"""A stand-in for the channels in demo and tests: Alipay and an agent bank answering a deduction file.

It reads the file we sent (扣款明细表 or 批量扣款信息表(代理行版)), decides each row with a seeded
RNG and writes the channel's result file in the same layout with the result columns filled — the
format :func:`deduction.results.deduction_import` reads. What users meet (DOMAIN.md §9): most
deductions succeed; some fail on a frozen account (账户冻结) or a short balance (余额不足), often
short by only a few yuan. Borrowers already overdue fail more often. An agent bank takes what the
borrower brought, so a short balance there is a partial payment rather than a failure.

The decision for a row depends only on (seed, business date, contract number): re-running the same
day gives the same answers, which is what a resumed simulation needs.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from .deduction import files
from .deduction.layouts import AGENT_BANK, LAYOUTS
from .models import Channel, DeductionRun

FROZEN, SHORT = "账户冻结", "余额不足"


def decide(rng: random.Random, amount: Decimal, overdue: bool, *,
           partial_allowed: bool) -> tuple[str, Decimal, str]:
    """(result, paid, reason) for one row."""
    draw = rng.random()
    fail_rate = 0.45 if overdue else 0.12
    if draw >= fail_rate:
        return "成功", amount, ""
    if draw < fail_rate * 0.25:
        return "失败", Decimal("0.00"), FROZEN
    short = Decimal(rng.randint(1, 900)) / 100 if draw < fail_rate * 0.6 else (amount * Decimal("0.5"))
    short = min(short.quantize(Decimal("0.01")), amount)
    if partial_allowed and amount - short > 0:
        return "成功", amount - short, f"部分还款，差{short}元"
    return "失败", Decimal("0.00"), f"{SHORT}（差{short}元）"


def channel_answer(*, run: DeductionRun, seed: int = 2024) -> Path:
    """Write the channel's result file for ``run`` and return its path."""
    source = Path(settings.MEDIA_ROOT) / run.request_file
    layout = LAYOUTS[run.layout_name]
    agent = run.channel == Channel.AGENT_BANK

    rows = list(files.read_rows(source, run.layout_name))
    answered = []
    for row in rows:
        rng = random.Random(f"{seed}:{run.business_date}:{row['contract_no']}")
        overdue = row["kind"] in ("逾期还款",)
        result, paid, reason = decide(rng, row["amount"], overdue, partial_allowed=agent)
        answered.append({**row, "result": result, "paid": paid, "reason": reason})
    stem = source.with_name(f"{source.stem}-{'代理行' if run.layout_name == AGENT_BANK else '支付宝'}回盘")
    target = files.output_path(stem, len(rows))
    files.write_rows(target, layout, answered, count=len(rows))
    return target
