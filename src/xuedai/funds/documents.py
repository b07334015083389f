"""The fund's documents, with the seed's names (DOMAIN.md §7): 实际发放汇总表, 风险补偿金申请书,
风险补偿金确认书, 风险补偿金结算确认书 — PDF through the documents app (WeasyPrint, Noto CJK) and .xlsx
with number formats and formula-safe text (documents.xlsx / documents.cells)."""

from __future__ import annotations

from decimal import Decimal

from xuedai.core.money import ZERO
from xuedai.documents.amounts import amount_in_words, money
from xuedai.documents.pdf import render_pdf
from xuedai.documents.xlsx import Column, xlsx_table

from .models import PART_LABELS, PARTS, Accrual, Settlement
from .selectors import DisbursementRow, settlement_posting_lines

DISBURSEMENT_TITLE = "实际发放汇总表"
APPLICATION_TITLE = "风险补偿金申请书"
CONFIRMATION_TITLE = "风险补偿金确认书"
SETTLEMENT_TITLE = "风险补偿金结算确认书"

DISBURSEMENT_COLUMNS = [
    Column("序号", "int", 6),
    Column("高校/县(区)", width=26),
    Column("贷款类型", width=14),
    Column("政策版本", width=28),
    Column("合同数", "int"),
    Column("学费", "money"),
    Column("住宿费", "money"),
    Column("生活费", "money"),
    Column("发放合计", "money"),
]
ACCRUAL_COLUMNS = [
    Column("序号", "int", 6),
    Column("高校/县(区)", width=26),
    Column("政策版本", width=28),
    Column("合同数", "int"),
    Column("实际发放额", "money"),
    Column("计提比例", "rate"),
    Column("应计补偿金", "money"),
    Column("财政承担", "money"),
    Column("高校承担", "money"),
    Column("状态", width=14),
]
SETTLEMENT_COLUMNS = [
    Column("序号", "int", 6),
    Column("高校/县(区)", width=26),
    Column("合同数", "int"),
    Column("贷款总额", "money"),
    Column("违约贷款本息", "money"),
    Column("风险比例", "rate"),
    Column("补偿比例", "rate"),
    Column("风险区间", width=16),
    *[Column(f"本次{PART_LABELS[p]}", "money") for p in PARTS],
    Column("上次结算后收回", "money"),
]

PRODUCT_LABELS = {"home_county": "生源地信用助学贷款", "campus": "校园地国家助学贷款"}


def _year_label(year: int) -> str:
    return f"{year - 1}年9月1日至{year}年8月31日"


# -- 实际发放汇总表 ---------------------------------------------------------------------------------


def disbursement_rows(rows: list[DisbursementRow]) -> tuple[list[list], list]:
    table = [
        [
            i,
            r.organisation.name,
            PRODUCT_LABELS.get(r.product, r.product),
            str(r.policy_version),
            r.contracts,
            r.tuition,
            r.accommodation,
            r.living,
            r.total,
        ]
        for i, r in enumerate(rows, start=1)
    ]
    total = [
        "",
        "合计",
        "",
        "",
        sum(r.contracts for r in rows),
        sum((r.tuition for r in rows), ZERO),
        sum((r.accommodation for r in rows), ZERO),
        sum((r.living for r in rows), ZERO),
        sum((r.total for r in rows), ZERO),
    ]
    return table, total


def disbursement_xlsx(rows: list[DisbursementRow], year: int) -> bytes:
    table, total = disbursement_rows(rows)
    return xlsx_table(
        DISBURSEMENT_TITLE,
        DISBURSEMENT_COLUMNS,
        [*table, total],
        title_line=f"国家助学贷款{DISBURSEMENT_TITLE}（{_year_label(year)}）",
        footer_lines=(
            "经办人（签字）：",
            "负责人（签字）：",
            "单位（盖章）：　　　　日期：　　年　　月　　日",
        ),
    )


def disbursement_pdf(rows: list[DisbursementRow], year: int, org_line: str) -> bytes:
    table, total = disbursement_rows(rows)
    fmt = [[money(c) if isinstance(c, Decimal) else c for c in row] for row in table]
    return render_pdf(
        "documents/summary_table.html",
        {
            "title": DISBURSEMENT_TITLE,
            "heading": f"国家助学贷款{DISBURSEMENT_TITLE}",
            "org_line": org_line + f"　学年：{_year_label(year)}",
            "headers": [c.header for c in DISBURSEMENT_COLUMNS],
            "rows": fmt,
            "total": [money(c) if isinstance(c, Decimal) else c for c in total],
            "num_cols": {4, 5, 6, 7, 8},
            "sign_lines": ("经办人（签字）：", "负责人（签字）：", "单位（盖章）："),
        },
    )


# -- 申请书 / 确认书 -----------------------------------------------------------------------------------


def accrual_rows(accruals: list[Accrual]) -> list[list]:
    return [
        [
            i,
            a.account.organisation.name,
            str(a.policy_version),
            a.contracts,
            a.disbursed,
            a.rate,
            a.total,
            a.finance,
            a.university,
            a.get_status_display(),
        ]
        for i, a in enumerate(accruals, start=1)
    ]


def accruals_xlsx(accruals: list[Accrual], year: int) -> bytes:
    total = [
        "",
        "合计",
        "",
        sum(a.contracts for a in accruals),
        sum((a.disbursed for a in accruals), ZERO),
        None,
        sum((a.total for a in accruals), ZERO),
        sum((a.finance for a in accruals), ZERO),
        sum((a.university for a in accruals), ZERO),
        "",
    ]
    return xlsx_table(
        "风险补偿金计提",
        ACCRUAL_COLUMNS,
        [*accrual_rows(accruals), total],
        title_line=f"风险补偿金计提表（{_year_label(year)}实际发放）",
    )


def _totals(accruals: list[Accrual]) -> dict:
    keys = ("disbursed", "total", "finance", "university")
    totals = {k: sum((getattr(a, k) for a in accruals), ZERO) for k in keys}
    totals["contracts"] = sum(a.contracts for a in accruals)
    return totals


def application_pdf(accruals: list[Accrual], year: int, organisation, requester: str) -> bytes:
    """风险补偿金申请书: the province office's request to finance and the university for one fund
    ([003] 第二十四条: statistics by end of September, request by end of October, paid by 20 Dec)."""
    totals = _totals(accruals)
    return render_pdf(
        "funds/application_pdf.html",
        {
            "title": APPLICATION_TITLE,
            "organisation": organisation,
            "year": year,
            "year_label": _year_label(year),
            "accruals": accruals,
            "totals": totals,
            "requester": requester,
            "words": {k: amount_in_words(totals[k]) for k in ("total", "finance", "university")},
        },
    )


def confirmation_pdf(accruals: list[Accrual], year: int, organisation, bank: str) -> bytes:
    """风险补偿金确认书: the bank confirms the money arrived in the fund's special account."""
    totals = _totals(accruals)
    return render_pdf(
        "funds/confirmation_pdf.html",
        {
            "title": CONFIRMATION_TITLE,
            "organisation": organisation,
            "year": year,
            "year_label": _year_label(year),
            "accruals": accruals,
            "totals": totals,
            "bank": bank,
            "words": amount_in_words(totals["total"]),
        },
    )


# -- 结算 ---------------------------------------------------------------------------------------------


def settlement_rows(settlements: list[Settlement]) -> list[list]:
    return [
        [
            i,
            s.account.organisation.name,
            s.contracts,
            s.total_loans,
            s.defaulted,
            s.risk_ratio,
            s.rate,
            s.band,
            *[getattr(s, f"move_{p}") for p in PARTS],
            s.recovered,
        ]
        for i, s in enumerate(settlements, start=1)
    ]


def settlements_xlsx(settlements: list[Settlement], on) -> bytes:
    totals = [
        "",
        "合计",
        sum(s.contracts for s in settlements),
        sum((s.total_loans for s in settlements), ZERO),
        sum((s.defaulted for s in settlements), ZERO),
        None,
        None,
        "",
        *[sum((getattr(s, f"move_{p}") for s in settlements), ZERO) for p in PARTS],
        sum((s.recovered for s in settlements), ZERO),
    ]
    return xlsx_table(
        "风险补偿金结算",
        SETTLEMENT_COLUMNS,
        [*settlement_rows(settlements), totals],
        title_line=f"风险补偿金结算表（{on:%Y年%m月%d日}）",
    )


def settlement_parts(s: Settlement) -> list[dict]:
    return [
        {"label": PART_LABELS[p], "cumulative": getattr(s, f"cum_{p}"), "movement": getattr(s, f"move_{p}")}
        for p in PARTS
    ]


def settlement_pdf(s: Settlement) -> bytes:
    return render_pdf(
        "funds/settlement_pdf.html",
        {
            "title": SETTLEMENT_TITLE,
            "s": s,
            "parts": settlement_parts(s),
            "lines": settlement_posting_lines(s),
            "organisation": s.account.organisation,
        },
    )
