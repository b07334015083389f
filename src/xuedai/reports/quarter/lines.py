"""Reading the sparse snapshot: its per-contract rows plus the 正常-and-unchanged lines.

A quarter's contracts are the :class:`QuarterGrade` rows and the members of the
:class:`QuarterNormalLine` of each unit and project year (``snapshot`` module doc). The figures add a
line to their GROUP BY over the rows; what needs the contracts one by one (a unit's 专户报告, working
paper, forecast, the designation of a contract in the open quarter) expands that one line's members.

Borrowers are counted once per table: a line's ``borrowers`` are distinct among its members, and a
row whose borrower also has a member there carries ``borrower_in_line``, so for one unit and project
year the distinct borrowers are ``line.borrowers`` + the rows' borrowers not in the line. Over several
lines (a whole province) a borrower may sit in two of them, so there the members are expanded.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from .models import QuarterGrade, QuarterNormalLine, QuarterSnapshot

ZERO = Decimal(0)


def lines_of(
    snapshot: QuarterSnapshot | None,
    unit_ids: Iterable[int] | None = None,
    project_year: int | None = None,
) -> QuerySet[QuarterNormalLine]:
    qs = (
        QuarterNormalLine.objects.all()
        if snapshot is None
        else QuarterNormalLine.objects.filter(snapshot=snapshot)
    )
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    if project_year is not None:
        qs = qs.filter(project_year=project_year)
    return qs


def line_of(snapshot: QuarterSnapshot, unit_id: int, project_year: int) -> QuarterNormalLine | None:
    return QuarterNormalLine.objects.filter(
        snapshot=snapshot, unit_id=unit_id, project_year=project_year
    ).first()


def members(line: QuarterNormalLine | None) -> list[tuple[int, Decimal]]:
    """(contract id, balance on the day) of each member."""
    if line is None or not line.member_ids:
        return []
    ids = line.member_ids.split(",")
    balances = line.member_balances.split(",")
    assert len(ids) == len(balances), "a line's ids and balances are written position by position"
    return [(int(i), Decimal(b).quantize(Decimal("0.01"))) for i, b in zip(ids, balances, strict=True)]


CHUNK = 5000  # ids per IN list: under SQLite's limit of bound parameters


def chunks(ids: list[int]) -> list[list[int]]:
    return [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)] or [[]]


def member_ids(lines: Iterable[QuarterNormalLine]) -> list[int]:
    return [contract_id for line in lines for contract_id, _ in members(line)]


def contract_ids(snapshot: QuarterSnapshot, unit_id: int, project_year: int) -> list[int]:
    """Every contract of the unit's project year in the quarter: the rows' and the line's."""
    rows = QuarterGrade.objects.filter(snapshot=snapshot, unit_id=unit_id, project_year=project_year)
    return list(rows.values_list("contract_id", flat=True)) + member_ids(
        lines_of(snapshot, [unit_id], project_year)
    )


def holds(snapshot: QuarterSnapshot, contract_id: int, unit_id: int, project_year: int) -> bool:
    """Whether the contract is in the quarter under that unit and project year."""
    if QuarterGrade.objects.filter(
        snapshot=snapshot, contract_id=contract_id, unit_id=unit_id, project_year=project_year
    ).exists():
        return True
    return contract_id in dict(members(line_of(snapshot, unit_id, project_year)))


def unit_years(snapshot: QuarterSnapshot, unit_id: int) -> set[int]:
    rows = QuarterGrade.objects.filter(snapshot=snapshot, unit_id=unit_id).values_list(
        "project_year", flat=True
    )
    lines = lines_of(snapshot, [unit_id]).values_list("project_year", flat=True)
    return set(rows.distinct()) | set(lines)


def unit_year_pairs(snapshot: QuarterSnapshot, unit_ids: Iterable[int] | None = None) -> set[tuple]:
    """Every (unit, project year) of the quarter: a table to report."""
    rows = QuarterGrade.objects.filter(snapshot=snapshot)
    if unit_ids is not None:
        unit_ids = list(unit_ids)
        rows = rows.filter(unit_id__in=unit_ids)
    pairs = set(rows.values_list("unit_id", "project_year").distinct())
    return pairs | set(lines_of(snapshot, unit_ids).values_list("unit_id", "project_year"))


def line_totals(lines: QuerySet[QuarterNormalLine]) -> tuple[int, Decimal]:
    """(contracts, balance) of the lines."""
    row = lines.aggregate(n=Sum("contracts"), balance=Sum("balance"))
    return row["n"] or 0, Decimal(row["balance"] or 0)


def distinct_borrowers(rows: QuerySet[QuarterGrade], lines: QuerySet[QuarterNormalLine]) -> int:
    """Distinct borrowers over the rows and the lines' members (module doc)."""
    found = list(lines)
    if len(found) <= 1:
        extra = rows.filter(borrower_in_line=False) if found else rows
        return sum(line.borrowers for line in found) + extra.values("borrower_id").distinct().count()
    from xuedai.origination.models import Contract

    borrowers = set(rows.values_list("borrower_id", flat=True))
    for chunk in chunks(member_ids(found)):
        borrowers.update(Contract.objects.filter(pk__in=chunk).values_list("borrower_id", flat=True))
    return len(borrowers)


def not_in_line() -> Q:
    return Q(borrower_in_line=False)
