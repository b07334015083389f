"""The bank's quarterly repayment report to a university (还款情况季报), from the ledger.

One SQL statement for the whole university (reports.bureau.figures, the period being the quarter):
per contract what fell due in the quarter (principal and the borrower's interest), what was paid in
it (every allocation: penalties and old overdue amounts too), and at the quarter's last day the
balance, overdue principal, overdue interest with penalties, and days overdue. 还款率 = paid ÷ due
over the contracts with something due (DOMAIN.md §4).
"""

from __future__ import annotations

import datetime as dt

from xuedai.core.money import ZERO, display_rate
from xuedai.documents.pdf import render_pdf
from xuedai.documents.xlsx import Column, xlsx_table
from xuedai.identity.masking import mask_id_number
from xuedai.orgs.models import Organisation

from ..bureau.figures import period_figures

TITLE = "国家助学贷款还款情况季度报告"
QUARTER_STARTS = {1: 1, 2: 4, 3: 7, 4: 10}
COLUMNS = [
    Column("序号", "int", 6),
    Column("合同编号", width=16),
    Column("姓名", width=10),
    Column("身份证号", width=22),
    Column("本季应还(元)", "money", 13),
    Column("本季实还(元)", "money", 13),
    Column("季末余额(元)", "money", 13),
    Column("逾期本金(元)", "money", 13),
    Column("逾期利息及罚息(元)", "money", 16),
    Column("逾期天数", "int", 9),
]
TOTALS = ("due_amount", "paid_amount", "balance", "overdue_principal", "overdue_interest")


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    if quarter not in QUARTER_STARTS:
        raise ValueError("季度：请选择第一至第四季度。")
    start = dt.date(year, QUARTER_STARTS[quarter], 1)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, QUARTER_STARTS[quarter] + 3, 1)
    return start, end - dt.timedelta(days=1)


def last_full_quarter(today: dt.date) -> tuple[int, int]:
    quarter = (today.month - 1) // 3 + 1
    return (today.year - 1, 4) if quarter == 1 else (today.year, quarter - 1)


def repayment_report(*, bank: Organisation, university: Organisation, year: int, quarter: int) -> dict:
    start, end = quarter_bounds(year, quarter)
    rows = period_figures(start=start, end=end, path=bank.path, university_id=university.pk)
    totals = {key: sum((r[key] for r in rows), ZERO) for key in TOTALS}
    due = sum((r["due_amount"] for r in rows), ZERO)
    paid_on_due = sum((min(r["paid_amount"], r["due_amount"]) for r in rows if r["due_amount"]), ZERO)
    overdue = [r for r in rows if r["overdue_principal"] or r["overdue_interest"]]
    return {
        "bank": bank,
        "university": university,
        "year": year,
        "quarter": quarter,
        "start": start,
        "end": end,
        "rows": rows,
        "totals": totals,
        "contracts": len(rows),
        "overdue_contracts": len(overdue),
        "borrowers": len({r["id_number"] for r in rows}),
        # The share of what fell due this quarter that was paid this quarter (capped per contract,
        # so a borrower clearing old arrears does not lift the rate above 100 %).
        "repayment_rate": (paid_on_due / due) if due else None,
    }


def heading(report: dict) -> str:
    return (
        f"{report['university'].name}　{report['year']}年第{report['quarter']}季度"
        f"（{report['start']:%Y年%m月%d日}至{report['end']:%Y年%m月%d日}）　报送：{report['bank'].name}"
    )


def table_rows(report: dict) -> list[list]:
    return [
        [
            n,
            r["contract_no"],
            r["name"],
            mask_id_number(r["id_number"]),
            r["due_amount"],
            r["paid_amount"],
            r["balance"],
            r["overdue_principal"],
            r["overdue_interest"],
            r["overdue_days"],
        ]
        for n, r in enumerate(report["rows"], start=1)
    ]


def _rate_text(report: dict) -> str:
    return display_rate(report["repayment_rate"])


def repayment_xlsx(report: dict) -> bytes:
    t = report["totals"]
    total = ["", "合计", "", "", *(t[key] for key in TOTALS), ""]
    rows = [*table_rows(report), total]
    return xlsx_table(
        "还款情况",
        COLUMNS,
        rows,
        title_line=f"{TITLE}（{heading(report)}）",
        footer_lines=[
            f"合同 {report['contracts']} 笔，逾期 {report['overdue_contracts']} 笔，"
            f"本季还款率 {_rate_text(report)}",
            "经办人：",
            "复核人：",
            "银行盖章：",
        ],
    )


def repayment_pdf(report: dict) -> bytes:
    return render_pdf(
        "reports/bank/repayment_pdf.html",
        {
            "title": TITLE,
            "heading": heading(report),
            "headers": [c.header for c in COLUMNS],
            "rows": table_rows(report),
            "report": report,
            "rate": _rate_text(report),
        },
    )
