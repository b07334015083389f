"""The numbers of the quarter's tables, each one GROUP BY over the snapshot (seed [004] 第九条, 第十四条).

- 资产质量分类认定表 (:func:`quality_figures`): per grade the borrowers and the balance (and the
  contracts); 不良 = 次级 + 可疑 + 损失; the overdue borrowers, overdue interest and overdue principal;
  the grades set by hand or held by relief, with their reasons; the moves since the previous quarter.
- 逾期情况统计表 (:func:`overdue_statistics`): the overdue contracts by days overdue, per band.
- summaries (:func:`unit_summary`): the same headline per unit and project year, for the province
  centre and the bank branch.

A borrower is counted once per grade (distinct borrowers); the 合计 line counts each borrower once,
so with two contracts in different grades it is less than the sum of the lines — as people count.
Figures are plain JSON (amounts as strings of yuan to the fen) so a submitted version keeps them.

The snapshot is sparse (``snapshot`` step 1): each GROUP BY runs over the per-contract rows and adds
the unit's and project year's 正常 line (``lines``) to the 正常 and 合计 figures — the line owes nothing
overdue and holds no adjustment, so the other figures are the rows' alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When

from xuedai.core.money import round_fen

from .lines import distinct_borrowers, line_totals, lines_of
from .models import ADJUSTMENT_LABELS, GRADE_LABELS, GradeMove, MoveReason, QuarterGrade, QuarterSnapshot

NON_PERFORMING_FROM = 2  # 次级
# 逾期天数 bands of the 逾期情况统计表: the 2023 rule's thresholds (90 / 270 / 360) and the seed's
# 6-month mark (≈180), so both rules' boundaries fall between bands.
BANDS = (
    (1, 30, "1–30天"),
    (31, 90, "31–90天"),
    (91, 180, "91–180天"),
    (181, 270, "181–270天"),
    (271, 360, "271–360天"),
    (361, None, "360天以上"),
)


def yuan(value) -> str:
    return str(round_fen(Decimal(value or 0)))


def project_label(year: int) -> str:
    """>>> project_label(2006)
    '2006年度助学贷款项目（2006—2007学年）'
    """
    return f"{year}年度助学贷款项目（{year}—{year + 1}学年）"


def grades_of(
    snapshot: QuarterSnapshot, unit_ids: Iterable[int] | None = None, project_year: int | None = None
) -> QuerySet[QuarterGrade]:
    qs = QuarterGrade.objects.filter(snapshot=snapshot)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    if project_year is not None:
        qs = qs.filter(project_year=project_year)
    return qs


def _headline(qs: QuerySet[QuarterGrade], lines=None) -> dict:
    """Borrowers, contracts and balance of the rows, and of the 正常 lines when given."""
    row = qs.aggregate(contracts=Count("id"), balance=Sum("principal_outstanding"))
    in_lines, line_balance = line_totals(lines) if lines is not None else (0, Decimal(0))
    borrowers = (
        distinct_borrowers(qs, lines)
        if lines is not None
        else qs.aggregate(n=Count("borrower_id", distinct=True))["n"]
    )
    return {
        "borrowers": borrowers,
        "contracts": row["contracts"] + in_lines,
        "balance": yuan(Decimal(row["balance"] or 0) + line_balance),
    }


def quality_figures(snapshot: QuarterSnapshot, unit_id: int, project_year: int) -> dict:
    """One 认定表's figures (module doc); the worked example is in tests/reports/test_quarter_tables.py."""
    qs = grades_of(snapshot, [unit_id], project_year)
    lines = lines_of(snapshot, [unit_id], project_year)
    by_rank = {
        r["rank"]: r
        for r in qs.values("rank").annotate(
            borrowers=Count("borrower_id", distinct=True),
            contracts=Count("id"),
            balance=Sum("principal_outstanding"),
        )
    }
    grades = [
        {
            "grade": label,
            "borrowers": by_rank.get(rank, {}).get("borrowers", 0),
            "contracts": by_rank.get(rank, {}).get("contracts", 0),
            "balance": yuan(by_rank.get(rank, {}).get("balance")),
        }
        for rank, label in enumerate(GRADE_LABELS)
    ]
    grades[0] = {"grade": GRADE_LABELS[0], **_headline(qs.filter(rank=0), lines)}
    overdue = qs.filter(days_overdue__gt=0).aggregate(
        borrowers=Count("borrower_id", distinct=True),
        contracts=Count("id"),
        principal=Sum("principal_overdue"),
        interest=Sum("interest_overdue"),
    )
    adjustments = [
        {
            "reason": ADJUSTMENT_LABELS.get(r["reason"], r["reason"]),
            "grade": GRADE_LABELS[r["rank"]],
            "contracts": r["n"],
        }
        for r in qs.exclude(reason="")
        .values("reason", "rank")
        .annotate(n=Count("id"))
        .order_by("rank", "reason")
    ]
    moves = [
        {
            "from": GRADE_LABELS[m["from_rank"]],
            "to": GRADE_LABELS[m["to_rank"]],
            "reason": MoveReason(m["reason"]).label,
            "contracts": m["n"],
        }
        for m in GradeMove.objects.filter(snapshot=snapshot, unit_id=unit_id, project_year=project_year)
        .values("from_rank", "to_rank", "reason")
        .annotate(n=Count("id"))
        .order_by("from_rank", "to_rank", "reason")
    ]
    return {
        "as_of": snapshot.as_of.isoformat(),
        "project_year": project_year,
        "grades": grades,
        "total": _headline(qs, lines),
        "non_performing": _headline(qs.filter(rank__gte=NON_PERFORMING_FROM)),
        "overdue": {
            "borrowers": overdue["borrowers"],
            "contracts": overdue["contracts"],
            "principal": yuan(overdue["principal"]),
            "interest": yuan(overdue["interest"]),
        },
        "adjustments": adjustments,
        "moves": moves,
    }


def _band_case() -> Case:
    whens = [
        When(Q(days_overdue__gte=lo) & (Q(days_overdue__lte=hi) if hi else Q()), then=Value(i))
        for i, (lo, hi, _) in enumerate(BANDS)
    ]
    return Case(*whens, default=Value(-1), output_field=IntegerField())


def overdue_statistics(
    snapshot: QuarterSnapshot, unit_ids: Iterable[int] | None = None, project_year: int | None = None
) -> dict:
    """逾期情况统计表: per band of days overdue the borrowers, contracts, overdue principal, overdue
    interest and the balance of those contracts; a 合计 line (borrowers counted once)."""
    qs = grades_of(snapshot, unit_ids, project_year).filter(days_overdue__gt=0)
    by_band = {
        r["band"]: r
        for r in qs.annotate(band=_band_case())
        .values("band")
        .annotate(
            borrowers=Count("borrower_id", distinct=True),
            contracts=Count("id"),
            principal=Sum("principal_overdue"),
            interest=Sum("interest_overdue"),
            balance=Sum("principal_outstanding"),
        )
    }
    rows = []
    for i, (_, _, label) in enumerate(BANDS):
        r = by_band.get(i, {})
        rows.append(
            {
                "band": label,
                "borrowers": r.get("borrowers", 0),
                "contracts": r.get("contracts", 0),
                "principal": yuan(r.get("principal")),
                "interest": yuan(r.get("interest")),
                "balance": yuan(r.get("balance")),
            }
        )
    total = qs.aggregate(
        borrowers=Count("borrower_id", distinct=True),
        contracts=Count("id"),
        principal=Sum("principal_overdue"),
        interest=Sum("interest_overdue"),
        balance=Sum("principal_outstanding"),
    )
    all_rows = _headline(
        grades_of(snapshot, unit_ids, project_year), lines_of(snapshot, unit_ids, project_year)
    )
    return {
        "rows": rows,
        "total": {
            "band": "合计",
            "borrowers": total["borrowers"],
            "contracts": total["contracts"],
            "principal": yuan(total["principal"]),
            "interest": yuan(total["interest"]),
            "balance": yuan(total["balance"]),
        },
        "all_borrowers": all_rows["borrowers"],
        "all_balance": all_rows["balance"],
    }


def unit_summary(snapshot: QuarterSnapshot, unit_ids: Iterable[int] | None = None) -> list[dict]:
    """Per unit and project year: borrowers and balance per grade, 不良, overdue (one GROUP BY)."""
    ranks = {f"b{r}": Count("borrower_id", distinct=True, filter=Q(rank=r)) for r in range(5)}
    balances = {f"s{r}": Sum("principal_outstanding", filter=Q(rank=r)) for r in range(5)}
    outside = Q(borrower_in_line=False)  # the line counts the others (``lines`` module doc)
    rows = (
        grades_of(snapshot, unit_ids)
        .values("unit_id", "project_year")
        .annotate(
            **ranks,
            **balances,
            b0_outside=Count("borrower_id", distinct=True, filter=Q(rank=0) & outside),
            borrowers_outside=Count("borrower_id", distinct=True, filter=outside),
            balance=Sum("principal_outstanding"),
            npl=Sum("principal_outstanding", filter=Q(rank__gte=NON_PERFORMING_FROM)),
            overdue_borrowers=Count("borrower_id", distinct=True, filter=Q(days_overdue__gt=0)),
            principal_overdue=Sum("principal_overdue"),
            interest_overdue=Sum("interest_overdue"),
        )
    )
    merged = {(r["unit_id"], r["project_year"]): r for r in rows}
    empty = {
        "b0_outside": 0,
        "borrowers_outside": 0,
        "overdue_borrowers": 0,
        "npl": None,
        "principal_overdue": None,
        "interest_overdue": None,
        **{f"b{i}": 0 for i in range(5)},
        **{f"s{i}": None for i in range(5)},
    }
    for line in lines_of(snapshot, unit_ids).values("unit_id", "project_year", "borrowers", "balance"):
        r = merged.setdefault((line["unit_id"], line["project_year"]), {**empty, **line, "balance": 0})
        r["b0"] = r["b0_outside"] + line["borrowers"]
        r["s0"] = Decimal(r.get("s0") or 0) + line["balance"]
        r["balance"] = Decimal(r["balance"] or 0) + line["balance"]
        r["line_borrowers"] = line["borrowers"]
    out = []
    for key in sorted(merged, key=lambda k: (k[0] is None, k[0] or 0, k[1])):
        r = merged[key]
        r["borrowers"] = r["borrowers_outside"] + r.get("line_borrowers", 0)
        balance = Decimal(r["balance"] or 0)
        npl = Decimal(r["npl"] or 0)
        out.append(
            {
                "unit_id": r["unit_id"],
                "project_year": r["project_year"],
                "grades": [{"borrowers": r[f"b{i}"], "balance": yuan(r[f"s{i}"])} for i in range(5)],
                "borrowers": r["borrowers"],
                "balance": yuan(balance),
                "npl": yuan(npl),
                # 不良率 by balance, as a fraction rounded to 4 places (shown as a percentage).
                "npl_ratio": str((npl / balance).quantize(Decimal("0.0001"))) if balance else "0",
                "overdue_borrowers": r["overdue_borrowers"],
                "principal_overdue": yuan(r["principal_overdue"]),
                "interest_overdue": yuan(r["interest_overdue"]),
            }
        )
    return out


def overdue_statistics_all(snapshot: QuarterSnapshot) -> dict[tuple[int, int], list[dict]]:
    """Every unit's and project year's 逾期情况统计表 in one GROUP BY (the quarter-end set at scale):
    (unit, project year) → the bands that hold overdue contracts."""
    out: dict[tuple[int, int], list[dict]] = {}
    rows = (
        grades_of(snapshot)
        .filter(days_overdue__gt=0)
        .annotate(band=_band_case())
        .values("unit_id", "project_year", "band")
        .annotate(
            borrowers=Count("borrower_id", distinct=True),
            contracts=Count("id"),
            principal=Sum("principal_overdue"),
            interest=Sum("interest_overdue"),
            balance=Sum("principal_outstanding"),
        )
    )
    for r in rows:
        out.setdefault((r["unit_id"], r["project_year"]), []).append(
            {
                "band": BANDS[r["band"]][2],
                "borrowers": r["borrowers"],
                "contracts": r["contracts"],
                "principal": yuan(r["principal"]),
                "interest": yuan(r["interest"]),
                "balance": yuan(r["balance"]),
            }
        )
    return out
