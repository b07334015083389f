"""三年预测表: the balance per grade at each of the next three year ends, forecast from the current
grades, the repayments falling due and the roll rates measured from the history [004 第九条 (二)].

How (printed on the table):

1. **Roll rates** — for each pair of consecutive snapshots of the last year (up to four pairs), the
   unit's and project year's contracts present in both are counted by (grade before → grade after);
   row i of the quarterly matrix P is those counts over the contracts that were in grade i. A grade
   with no history keeps its contracts (P[i][i] = 1): with no earlier quarter at all the forecast is
   "grades unchanged", and the table says so. The annual matrix is P⁴ (four quarters).
2. **Repayments falling due** — each 正常 and 关注 contract repays its outstanding principal evenly over
   the settlement years left to its maturity (the 20 Dec settlements from the quarter end's year on),
   a straight-line stand-in for its plan; 次级, 可疑 and 损失 are assumed to repay nothing (the
   conservative reading the seed asks for: "从严控制风险、提前暴露风险").
3. **Each year** — the balance vector b becomes (b − the year's repayments by grade) · P⁴.

Worked example (tests/reports/test_forecast.py): on 30 Jun 2020, with 31 Mar → 30 Jun as the history,
次级 rolls to 可疑 (both of its contracts did) and the other grades stay; 正常 6000 and 关注 4500 repay a
third a year to maturity in Dec 2022, so 正常 is 4000, 2000, 0 and 不良 stays 18000.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from xuedai.core.money import round_fen

from .figures import yuan
from .lines import chunks, line_of, members
from .models import GRADE_LABELS, QuarterGrade, QuarterSnapshot

PERFORMING = (0, 1)  # 正常, 关注
YEARS = 3
ONE, ZERO = Decimal(1), Decimal(0)
Matrix = list[list[Decimal]]


def _identity() -> Matrix:
    return [[ONE if i == j else ZERO for j in range(5)] for i in range(5)]


def _multiply(a: Matrix, b: Matrix) -> Matrix:
    return [[sum((a[i][k] * b[k][j] for k in range(5)), ZERO) for j in range(5)] for i in range(5)]


def _ranks(snapshot: QuarterSnapshot, unit_id: int, project_year: int) -> dict[int, int]:
    """Each contract of the unit's project year in the quarter → its grade (a line's members: 正常)."""
    ranks = {contract_id: 0 for contract_id, _ in members(line_of(snapshot, unit_id, project_year))}
    rows = QuarterGrade.objects.filter(snapshot=snapshot, unit_id=unit_id, project_year=project_year)
    ranks.update(rows.values_list("contract_id", "rank"))
    return ranks


def roll_rates(snapshot: QuarterSnapshot, unit_id: int, project_year: int) -> tuple[Matrix, int]:
    """The quarterly matrix P and how many quarter pairs measured it (module doc, step 1)."""
    history = list(
        QuarterSnapshot.objects.filter(
            as_of__lte=snapshot.as_of, as_of__gt=snapshot.as_of - dt.timedelta(days=366)
        ).order_by("as_of")
    )
    counts = [[0] * 5 for _ in range(5)]
    pairs = 0
    for before, after in itertools.pairwise(history):
        ranks = _ranks(before, unit_id, project_year)
        for contract_id, rank in _ranks(after, unit_id, project_year).items():
            if contract_id in ranks:
                counts[ranks[contract_id]][rank] += 1
        pairs += 1
    matrix = _identity()
    for i, row in enumerate(counts):
        if total := sum(row):
            matrix[i] = [Decimal(n) / total for n in row]
    return matrix, pairs


def _settlements_left(as_of: dt.date, maturity: dt.date) -> int:
    """20 Dec settlements from the quarter end on, up to maturity (at least one)."""
    first = as_of.year if as_of <= dt.date(as_of.year, 12, 20) else as_of.year + 1
    return max(1, maturity.year - first + 1)


def scheduled(snapshot: QuarterSnapshot, unit_id: int, project_year: int) -> list[list[Decimal]]:
    """Principal falling due in each of the next three years, per grade (module doc, step 2)."""
    from xuedai.origination.models import Contract

    rows = list(
        QuarterGrade.objects.filter(
            snapshot=snapshot, unit_id=unit_id, project_year=project_year, rank__in=PERFORMING
        ).values_list("contract_id", "rank", "principal_outstanding")
    )
    line = line_of(snapshot, unit_id, project_year)
    rows += [(contract_id, 0, balance) for contract_id, balance in members(line)]
    maturity: dict = {}
    for chunk in chunks([r[0] for r in rows]):
        maturity.update(Contract.objects.filter(pk__in=chunk).values_list("pk", "maturity_date"))
    due = [[ZERO] * 5 for _ in range(YEARS)]
    for contract_id, rank, outstanding in rows:
        left = _settlements_left(snapshot.as_of, maturity[contract_id])
        for year in range(min(YEARS, left)):
            due[year][rank] += outstanding / left
    return due


def three_year_forecast(snapshot: QuarterSnapshot, unit_id: int, project_year: int) -> dict:
    quarterly, pairs = roll_rates(snapshot, unit_id, project_year)
    annual = _identity()
    for _ in range(4):
        annual = _multiply(annual, quarterly)
    balance = [ZERO] * 5
    for rank, amount in QuarterGrade.objects.filter(
        snapshot=snapshot, unit_id=unit_id, project_year=project_year
    ).values_list("rank", "principal_outstanding"):
        balance[rank] += amount
    if line := line_of(snapshot, unit_id, project_year):
        balance[0] += line.balance
    lines = [_line(f"{snapshot.as_of:%Y年%m月%d日}（当前）", balance)]
    for year, due in enumerate(scheduled(snapshot, unit_id, project_year), start=1):
        remaining = [max(ZERO, balance[i] - due[i]) for i in range(5)]
        balance = [sum((remaining[i] * annual[i][j] for i in range(5)), ZERO) for j in range(5)]
        lines.append(_line(f"{snapshot.as_of.year + year}年{snapshot.as_of:%m月%d日}", balance))
    return {
        "lines": lines,
        "pairs": pairs,
        "grades": list(GRADE_LABELS),
        "annual": [[str(v.quantize(Decimal("0.0001"))) for v in row] for row in annual],
        "method": METHOD
        if pairs
        else METHOD + "本单位本项目在近一年内没有可比的上季度分类，按当前分类不变预测。",
    }


def _line(label: str, balance: list[Decimal]) -> dict:
    rounded = [round_fen(b) for b in balance]
    total = sum(rounded, ZERO)
    npl = sum(rounded[2:], ZERO)
    return {
        "label": label,
        "balances": [yuan(b) for b in rounded],
        "total": yuan(total),
        "npl": yuan(npl),
        "npl_ratio": str((npl / total).quantize(Decimal("0.0001"))) if total else "0",
    }


METHOD = (
    "预测方法：以近一年各季度间同一合同的分类迁徙计算季度迁徙率（无历史的类别视为不变），四个季度连乘得年度迁徙率；"
    "正常、关注类贷款按剩余期限等额摊还本金，次级、可疑、损失类假定不还款；逐年先扣减当年到期还款，再按年度迁徙率迁移。"
)
