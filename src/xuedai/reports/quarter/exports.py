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


SPECIAL_TITLE = "国家助学贷款项目专户报告"


def special_pdf(
    unit_name: str, report, facts: dict, statistics: dict, *, preparer: str = "", reviewer: str = ""
) -> bytes:
    """Cover page [004 附件4], then 基本情况, the 逾期情况统计表, the risks and the measures."""
    return render_pdf(
        "reports/quarter/special_pdf.html",
        {
            "title": SPECIAL_TITLE,
            "unit_name": unit_name,
            "report": report,
            "facts": facts,
            "overdue_title": OVERDUE_TITLE,
            "overdue": overdue_rows(statistics),
            "preparer": preparer,
            "reviewer": reviewer,
        },
    )


SPECIAL_COLUMNS = [Column("项目", width=26), Column("内容", width=90)]


def special_xlsx(unit_name: str, report, facts: dict) -> bytes:
    """The report's text and figures, one line per item, for people who edit it in Excel or WPS."""
    rows = [
        ["报告单位", unit_name],
        ["年度项目", facts["project"]],
        ["报告期", facts["quarter"]],
        ["基本情况", facts["paragraph"]],
        *[
            [f"借款学生变动：{c['kind']}", f"{c['contract_no']}（{c['handled_on']}）{c['note']}"]
            for c in facts["status_changes"]
        ],
        ["贷款展期", f"{facts['extensions']}笔"],
        ["提前还款", f"{facts['early_repayments']}笔"],
        ["借款学生离校后风险分析", report.post_graduation_risk],
        ["代理行执行中的问题", report.agent_bank_issues],
        ["其他问题", report.other_issues],
        ["建议及措施", report.measures],
    ]
    return xlsx_table(
        "专户报告",
        SPECIAL_COLUMNS,
        rows,
        title_line=f"{unit_name} {facts['project']} {SPECIAL_TITLE}",
        footer_lines=["撰写人（签字）：", "学贷中心负责人批阅（签字）：", "日期：　　年　　月　　日"],
    )


WORKPAPER_TITLE = "助学贷款资产质量分类工作底稿"
MOVE_COLUMNS = [
    Column("合同编号", width=22),
    Column("原分类", width=8),
    Column("新分类", width=8),
    Column("变动原因", width=20),
    Column("说明", width=40),
    Column("操作人", width=12),
]


def workpaper_pdf(unit_name: str, paper: dict) -> bytes:
    return render_pdf(
        "reports/quarter/workpaper_pdf.html",
        {
            "title": WORKPAPER_TITLE,
            "unit_name": unit_name,
            "paper": paper,
            "overdue": overdue_rows(paper["overdue"]),
        },
    )


def workpaper_xlsx(unit_name: str, paper: dict) -> bytes:
    """The grade changes with their reasons, one line per contract (the part people sort and filter)."""
    rows = [
        [m["contract_no"], m["from"], m["to"], m["reason"], m["note"], m["actor"]] for m in paper["moves"]
    ]
    return xlsx_table(
        "分类变动",
        MOVE_COLUMNS,
        rows,
        title_line=f"{unit_name} {paper['facts']['project']} {WORKPAPER_TITLE}（分类变动明细）",
        footer_lines=[paper["facts"]["paragraph"], "经办人（签字）：", "审定人（签字）："],
    )


FORECAST_TITLE = "助学贷款资产质量分类预测表"
FORECAST_COLUMNS = [
    Column("预测时点", width=20),
    *[Column(f"{g}余额(元)", "money", 14) for g in GRADE_LABELS],
    Column("合计(元)", "money", 14),
    Column("不良余额(元)", "money", 14),
    Column("不良率", "rate", 9),
]


def forecast_rows(forecast: dict) -> list[list]:
    return [
        [
            line["label"],
            *[_d(b) for b in line["balances"]],
            _d(line["total"]),
            _d(line["npl"]),
            _d(line["npl_ratio"]),
        ]
        for line in forecast["lines"]
    ]


def forecast_pdf(unit_name: str, project: str, forecast: dict) -> bytes:
    return render_pdf(
        "reports/quarter/forecast_pdf.html",
        {
            "title": FORECAST_TITLE,
            "unit_name": unit_name,
            "project": project,
            "forecast": forecast,
            "rows": forecast_rows(forecast),
            "grade_labels": GRADE_LABELS,
        },
    )


def forecast_xlsx(unit_name: str, project: str, forecast: dict) -> bytes:
    return xlsx_table(
        "预测表",
        FORECAST_COLUMNS,
        forecast_rows(forecast),
        title_line=f"{unit_name} {project} {FORECAST_TITLE}",
        footer_lines=[forecast["method"], "经办人（签字）：", "审定人（签字）："],
    )
