"""The county's archive checklist per contract [001 三(三)], DOMAIN.md §3.1 step 8.

Files are kept in the order of the county's 借款申请汇总表 and numbered on their first page
[001 三(二)], so the checklist carries the contract's archive number. The seed numbers the renewal
list 1, 2, 4, 5, 6 (item 3, the student's ID card, is not needed for a renewal); here both lists
are numbered consecutively and the item names are the seed's.
"""

import datetime as dt
import itertools
from collections.abc import Iterable

from .context import academic_year_label, cn_date, contract_context
from .pdf import render_pdf, render_pdf_many
from .summaries import in_archive_order
from .xlsx import Column, xlsx_table

TITLE = "生源地信用助学贷款档案清单"

NEW_LOAN_ITEMS = (
    ("申请表", "必须为打印，不能手写；资助中心审查意见已填写（如“同意”）并盖章"),
    ("借款合同", "借款学生、共同借款人签字并捺印；经办人签字或签章；盖资助中心或教育局公章"),
    ("借款学生身份证", "复印件"),
    ("学生证或高校录取通知书", "复印件"),
    ("共同借款人身份证", "复印件"),
    ("户口簿", "复印件"),
    ("其他相关重要材料", "如违约责任告知书"),
)
RENEWAL_ITEMS = (
    ("申请表", "必须为打印，不能手写；资助中心审查意见已填写（如“同意”）并盖章"),
    ("借款合同", "借款学生、共同借款人签字并捺印；经办人签字或签章；盖资助中心或教育局公章"),
    ("学生证或高校录取通知书", "复印件"),
    ("去年贷款合同复印件", "借款学生或共同借款人未到场时必备"),
    ("其他相关重要材料", "如违约责任告知书"),
)

CHECKS = (
    "所有材料中需要填写日期的均已填写完整，且符合先后逻辑关系",
    "申请表中资助中心审查意见已填写，并加盖资助中心或当地教育局公章",
    "借款合同借款学生、共同借款人已签字并捺印，经办人已签字或签章，已盖公章",
)


def archive_items(contract) -> tuple[tuple[str, str], ...]:
    return RENEWAL_ITEMS if getattr(contract, "is_renewal", False) else NEW_LOAN_ITEMS


def date_order_problems(contract) -> list[str]:
    """The dates the system knows must run 申请 ≤ 签订 ≤ 回执 [001 三(三)(3)].
    E.g. applied 2024-08-22, signed 2024-08-20 → ["签订日期早于申请日期"]."""
    steps = [("申请日期", "applied_on"), ("签订日期", "signed_on"), ("回执日期", "receipted_on")]
    known: list[tuple[str, dt.date]] = [(n, d) for n, attr in steps if (d := getattr(contract, attr, None))]
    return [f"{later}早于{earlier}" for (earlier, d1), (later, d2) in itertools.pairwise(known) if d2 < d1]


def _checklist_context(contract) -> dict:
    ctx = contract_context(contract)
    return {**ctx, "items": archive_items(contract), "checks": CHECKS,
            "date_problems": date_order_problems(contract),
            "receipted_on": cn_date(getattr(contract, "receipted_on", None)),
            "loan_kind": "续贷" if ctx["is_renewal"] else "新贷"}


def archive_checklist_pdf(contract) -> bytes:
    return render_pdf("documents/home_county/archive_checklist.html",
                      {"title": TITLE, "sheets": [_checklist_context(contract)]})


def archive_checklists_pdf(contracts: Iterable) -> bytes:
    """One page per contract, in archive (summary-table) order, to put on top of each file. Each sheet
    is its own document inside the PDF, so its page footer reads 第1页共1页, not 第37页共250页."""
    return render_pdf_many([("documents/home_county/archive_checklist.html",
                             {"title": TITLE, "sheets": [_checklist_context(c)]})
                            for c in in_archive_order(contracts)])


def archive_checklist_xlsx(contracts: Iterable, county, year: int) -> bytes:
    """One row per contract, one column per item (新贷 ∪ 续贷); an item that does not apply is "—",
    one to tick is blank, so the archivist works down the boxes in summary-table order."""
    names = list(dict.fromkeys(name for name, _ in NEW_LOAN_ITEMS + RENEWAL_ITEMS))
    columns = [Column("档案序号", "int", 9), Column("合同编号", width=16), Column("学生姓名", width=10),
               Column("贷款类型", width=8), *(Column(n, width=max(10, len(n) * 2 + 2)) for n in names),
               Column("日期逻辑", width=20), Column("备注", width=20)]
    rows = []
    for position, c in enumerate(in_archive_order(contracts), start=1):
        wanted = {name for name, _ in archive_items(c)}
        rows.append([getattr(c, "archive_no", None) or position, c.contract_no, c.borrower.name,
                     "续贷" if getattr(c, "is_renewal", False) else "新贷",
                     *("" if n in wanted else "—" for n in names),
                     "；".join(date_order_problems(c)) or "", ""])
    title = f"{getattr(county, 'name', county)} {academic_year_label(year)} {TITLE}"
    return xlsx_table("档案清单", columns, rows, title_line=title,
                      footer_lines=("整理人（签字）：", "复核人（签字）：", "日期：　　年　　月　　日"))
