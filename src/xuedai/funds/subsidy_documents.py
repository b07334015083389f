"""Subsidy documents: the quarter's 贴息资金汇总表, the 预结息明细表 (one line per contract, with a
到账贴息 column the finance department can return as its transfer file) — .xlsx with number formats
and formula-safe text, and the summary also as PDF."""

from __future__ import annotations

from decimal import Decimal

from xuedai.core.money import ZERO, display_rate
from xuedai.documents.amounts import money
from xuedai.documents.pdf import render_pdf
from xuedai.documents.xlsx import Column, xlsx_table

from .subsidy_summary import SummaryRow

SUMMARY_TITLE = "贴息资金汇总表"
PRESETTLEMENT_TITLE = "预结息明细表"
SUMMARY_COLUMNS = [
    Column("序号", "int", 6),
    Column("高校/县(区)", width=26),
    Column("项目年度", "int", 9),
    Column("借款人数", "int"),
    Column("合同数", "int"),
    Column("贷款余额", "money"),
    Column("最低利率", "rate"),
    Column("最高利率", "rate"),
    Column("贴息金额", "money"),
]
PRESETTLEMENT_COLUMNS = [
    Column("序号", "int", 6),
    Column("合同编号", width=16),
    Column("借款学生", width=10),
    Column("高校/县(区)", width=26),
    Column("项目年度", "int", 9),
    Column("贷款余额", "money"),
    Column("执行利率", "rate"),
    Column("计息起日", "date"),
    Column("计息止日", "date"),
    Column("贴息金额", "money"),
    Column("到账贴息", "money"),
]


def summary_table(rows: list[SummaryRow]) -> tuple[list[list], list]:
    table = [
        [
            i,
            r.organisation.name if r.organisation else "—",
            r.project_year,
            r.borrowers,
            r.contracts,
            r.principal,
            r.rate_min,
            r.rate_max,
            r.subsidy,
            r.central,
            r.local,
        ]
        for i, r in enumerate(rows, start=1)
    ]
    total = [
        "",
        "合计",
        "",
        sum(r.borrowers for r in rows),
        sum(r.contracts for r in rows),
        sum((r.principal for r in rows), ZERO),
        None,
        None,
        sum((r.subsidy for r in rows), ZERO),
        sum((r.central for r in rows), ZERO),
        sum((r.local for r in rows), ZERO),
    ]
    return table, total


def summary_xlsx(rows: list[SummaryRow], heading: str) -> bytes:
    table, total = summary_table(rows)
    return xlsx_table(
        SUMMARY_TITLE,
        SUMMARY_COLUMNS,
        [*table, total],
        title_line=heading,
        footer_lines=(
            "代理行/贷款银行经办人（签字）：",
            "高校机构/县资助中心核签（盖章）：",
            "省教贷办（盖章）：　　　　日期：　　年　　月　　日",
        ),
    )


def summary_pdf(rows: list[SummaryRow], heading: str, org_line: str) -> bytes:
    table, total = summary_table(rows)

    rate_columns = {i for i, c in enumerate(SUMMARY_COLUMNS) if c.kind == "rate"}

    def cell(index: int, v):
        if v is None:
            return ""
        if index in rate_columns:
            return display_rate(v)
        return money(v) if isinstance(v, Decimal) else v

    return render_pdf(
        "documents/summary_table.html",
        {
            "title": SUMMARY_TITLE,
            "heading": heading,
            "org_line": org_line,
            "headers": [c.header for c in SUMMARY_COLUMNS],
            "rows": [[cell(i, v) for i, v in enumerate(r)] for r in table],
            "total": [cell(i, v) for i, v in enumerate(total)],
            "num_cols": {3, 4, 5, 6, 7, 8, 9, 10},
            "sign_lines": ("经办人（签字）：", "核签（盖章）：", "省教贷办（盖章）："),
        },
    )


def presettlement_xlsx(lines: list[list], heading: str) -> bytes:
    return xlsx_table(
        PRESETTLEMENT_TITLE,
        PRESETTLEMENT_COLUMNS,
        lines,
        title_line=heading,
        footer_lines=("“到账贴息”列预填为应付贴息，财政部门按实际拨付金额修改后可作为贴息到账文件导入。",),
    )
