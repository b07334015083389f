"""分类工作底稿 of one unit's project year at a quarter end [004 第九条 (一)4]: the loans' basic facts,
repayment of principal and interest, major events, main risks, and every grade change with its reason.

Composed from what the quarter already holds: the special-account facts (``special_account``), the
snapshot's balances and overdue amounts, the moves (``GradeMove``) with the contract numbers, and the
grades set by hand or held by relief (``figures.quality_figures``) — no figure is computed twice.
Repaid principal = disbursed − outstanding, over the contracts live on the day (the rows' and the
正常 line's members).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from xuedai.origination.models import Contract

from .figures import overdue_statistics, quality_figures, yuan
from .lines import chunks, contract_ids, line_totals, lines_of
from .models import GradeMove, QuarterGrade, QuarterSnapshot
from .special_account import special_account_facts

MOVES_SHOWN = 2000  # a working paper lists every move; past this the xlsx has them, the PDF says so


def working_paper(snapshot: QuarterSnapshot, unit_id: int, project_year: int) -> dict:
    rows = QuarterGrade.objects.filter(snapshot=snapshot, unit_id=unit_id, project_year=project_year)
    disbursed = sum(
        (
            Contract.objects.filter(pk__in=chunk).aggregate(s=Sum("amount"))["s"] or Decimal(0)
            for chunk in chunks(contract_ids(snapshot, unit_id, project_year))
        ),
        Decimal(0),
    )
    balances = rows.aggregate(
        outstanding=Sum("principal_outstanding"),
        principal=Sum("principal_overdue"),
        interest=Sum("interest_overdue"),
    )
    outstanding = Decimal(balances["outstanding"] or 0) + line_totals(
        lines_of(snapshot, [unit_id], project_year)
    )[1]
    moves = list(
        GradeMove.objects.filter(snapshot=snapshot, unit_id=unit_id, project_year=project_year)
        .select_related("actor")
        .order_by("contract_id", "id")
    )
    numbers = dict(
        Contract.objects.filter(pk__in=[m.contract_id for m in moves[:MOVES_SHOWN]]).values_list(
            "pk", "contract_no"
        )
    )
    return {
        "facts": special_account_facts(snapshot, unit_id, project_year),
        "quality": quality_figures(snapshot, unit_id, project_year),
        "overdue": overdue_statistics(snapshot, [unit_id], project_year),
        "repayment": {
            "disbursed": yuan(disbursed),
            "outstanding": yuan(outstanding),
            "repaid": yuan(disbursed - outstanding),
            "principal_overdue": yuan(balances["principal"]),
            "interest_overdue": yuan(balances["interest"]),
        },
        "moves": [
            {
                "contract_no": numbers.get(m.contract_id, str(m.contract_id)),
                "from": m.get_from_rank_display(),
                "to": m.get_to_rank_display(),
                "reason": m.get_reason_display(),
                "note": m.note,
                "actor": (m.actor.real_name or m.actor.username) if m.actor else "批处理",
            }
            for m in moves[:MOVES_SHOWN]
        ],
        "moves_total": len(moves),
    }
