"""The quarter's tables as people file them: PDF (A4, Chinese, through documents.pdf) and .xlsx
(through documents.xlsx: number formats, formula-safe text) — seed [004] 附件1 and 附件5; DOMAIN.md §7.

Every export reads the figures of :mod:`.figures` (or a submitted version's frozen figures), so the
page, the PDF and the sheet show the same numbers.
"""

from __future__ import annotations

from decimal import Decimal

from xuedai.documents.pdf import render_pdf
from xuedai.documents.xlsx import Column, xlsx_table

from .figures import GRADE_LABELS, project_label

QUALITY_TITLE = "助学贷款资产质量分类认定表"
OVERDUE_TITLE = "助学贷款项目逾期情况统计表"
SUMMARY_TITLE = "助学贷款资产质量分类汇总表"

QUALITY_COLUMNS = [
    Column("项目", width=22),
    Column("借款人数", "int", 10),
    Column("合同笔数", "int", 10),
    Column("金额(元)", "money", 16),
]
OVERDUE_COLUMNS = [
    Column("逾期天数", width=14),
    Column("逾期人数", "int", 10),
    Column("逾期合同数", "int", 10),
    Column("逾期本金(元)", "money", 15),
    Column("逾期利息(元)", "money", 15),
    Column("贷款余额(元)", "money", 15),
]


def _d(text: str) -> Decimal:
    return Decimal(text)


def quality_rows(figures: dict) -> list[list]:
    """Lines of the 认定表: per grade (amount = balance), 合计, 其中不良, 逾期本金, 逾期利息."""
    rows = [[f"{g['grade']}类", g["borrowers"], g["contracts"], _d(g["balance"])] for g in figures["grades"]]
    total, npl, overdue = figures["total"], figures["non_performing"], figures["overdue"]
    rows.append(["合计", total["borrowers"], total["contracts"], _d(total["balance"])])
    rows.append(["其中：不良(次级+可疑+损失)", npl["borrowers"], npl["contracts"], _d(npl["balance"])])
    rows.append(["逾期贷款：逾期本金", overdue["borrowers"], overdue["contracts"], _d(overdue["principal"])])
    rows.append(["逾期贷款：逾期利息", overdue["borrowers"], overdue["contracts"], _d(overdue["interest"])])
    return rows


def sign_lines(preparer: str = "", reviewer: str = "") -> list[str]:
    return [
        f"经办人（签字）：{preparer}",
        f"审定人（学贷中心负责人签字）：{reviewer}",
        "日期：　　年　　月　　日",
    ]


def quality_heading(unit_name: str, figures: dict) -> str:
    return f"{unit_name} {project_label(figures['project_year'])} {QUALITY_TITLE}"


def quality_xlsx(
    unit_name: str, figures: dict, *, reasons: str = "", preparer: str = "", reviewer: str = ""
) -> bytes:
    footer = [
        f"分类时点：{figures['as_of']}",
        f"逾期及变动原因分析：{reasons or '无'}",
        *[f"分类变动：{m['from']}→{m['to']} {m['contracts']}笔（{m['reason']}）" for m in figures["moves"]],
        *[f"人工认定/调整：{a['grade']} {a['contracts']}笔（{a['reason']}）" for a in figures["adjustments"]],
        *sign_lines(preparer, reviewer),
    ]
    return xlsx_table(
        "认定表",
        QUALITY_COLUMNS,
        quality_rows(figures),
        title_line=quality_heading(unit_name, figures),
        footer_lines=footer,
    )


def overdue_rows(statistics: dict) -> list[list]:
    return [
        [r["band"], r["borrowers"], r["contracts"], _d(r["principal"]), _d(r["interest"]), _d(r["balance"])]
        for r in [*statistics["rows"], statistics["total"]]
    ]


def overdue_xlsx(heading: str, statistics: dict) -> bytes:
    return xlsx_table(
        "逾期情况统计表",
        OVERDUE_COLUMNS,
        overdue_rows(statistics),
        title_line=heading,
        footer_lines=[
            f"全部借款人数：{statistics['all_borrowers']}　贷款余额：{statistics['all_balance']} 元",
            *sign_lines(),
        ],
    )


def quality_pdf(
    unit_name: str,
    figures: dict,
    statistics: dict,
    *,
    reasons: str = "",
    preparer: str = "",
    reviewer: str = "",
    version: int | None = None,
) -> bytes:
    """The 认定表 with its 逾期情况统计表 on the same A4 document."""
    return render_pdf(
        "reports/quarter/quality_pdf.html",
        {
            "title": QUALITY_TITLE,
            "heading": quality_heading(unit_name, figures),
            "unit_name": unit_name,
            "figures": figures,
            "rows": quality_rows(figures),
            "overdue_title": OVERDUE_TITLE,
            "overdue": overdue_rows(statistics),
            "reasons": reasons,
            "preparer": preparer,
            "reviewer": reviewer,
            "version": version,
        },
    )


SUMMARY_COLUMNS = [
    Column("填报单位", width=24),
    Column("项目年度", "int", 9),
    *[
        c
        for label in GRADE_LABELS
        for c in (Column(f"{label}人数", "int", 8), Column(f"{label}余额(元)", "money", 13))
    ],
    Column("合计人数", "int", 8),
    Column("贷款余额(元)", "money", 14),
    Column("不良余额(元)", "money", 13),
    Column("不良率", "rate", 8),
    Column("逾期人数", "int", 8),
    Column("逾期本金(元)", "money", 13),
    Column("逾期利息(元)", "money", 12),
    Column("认定表状态", width=14),
]


def summary_rows(rows: list[dict]) -> list[list]:
    return [
        [
            r["unit_name"],
            r["project_year"],
            *[v for g in r["grades"] for v in (g["borrowers"], _d(g["balance"]))],
            r["borrowers"],
            _d(r["balance"]),
            _d(r["npl"]),
            _d(r["npl_ratio"]),
            r["overdue_borrowers"],
            _d(r["principal_overdue"]),
            _d(r["interest_overdue"]),
            r["status"],
        ]
        for r in rows
    ]


def summary_xlsx(heading: str, rows: list[dict]) -> bytes:
    return xlsx_table(
        "汇总表",
        SUMMARY_COLUMNS,
        summary_rows(rows),
        title_line=heading,
        footer_lines=["经办人（签字）：", "负责人（签字）：", "日期：　　年　　月　　日"],
    )


def summary_pdf(heading: str, rows: list[dict]) -> bytes:
    return render_pdf(
        "reports/quarter/summary_pdf.html",
        {"title": SUMMARY_TITLE, "heading": heading, "rows": rows, "grade_labels": GRADE_LABELS},
    )
