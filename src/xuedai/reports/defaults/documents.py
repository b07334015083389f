"""The approved list as PDF (A4 landscape) and .xlsx.

Personal data: the 公布名单 carries the full ID number — [003 第二十八条] names it among what the
province office and the bank may publish (姓名、居民身份证号码、毕业学校、工作单位及具体违约行为), and
the borrower agreed to it in the contract's default notice [001 附件四]. The 学历查询系统 notice
goes to the degree-verification system and employers, which match a borrower by name, school and
graduation year: its ID number is masked (mask_id_number). Pages always show the masked number.
"""

from __future__ import annotations

from xuedai.documents.pdf import render_pdf
from xuedai.documents.xlsx import Column, xlsx_table
from xuedai.identity.masking import mask_id_number

from .models import DefaultList, ListPurpose

COLUMNS = [
    Column("序号", "int", 6),
    Column("姓名", width=10),
    Column("身份证号", width=22),
    Column("毕业学校", width=22),
    Column("毕业年份", "int", 9),
    Column("工作单位", width=20),
    Column("合同编号", width=22),
    Column("逾期本金(元)", "money", 14),
    Column("逾期利息及罚息(元)", "money", 16),
    Column("最早逾期日", "date", 12),
    Column("逾期天数", "int", 9),
]


def shows_full_id(default_list: DefaultList) -> bool:
    return default_list.purpose == ListPurpose.PUBLICATION


def entry_rows(default_list: DefaultList) -> list[list]:
    full = shows_full_id(default_list)
    return [
        [
            n,
            e.name,
            e.id_number if full else mask_id_number(e.id_number),
            e.school,
            e.graduation_year,
            e.employer,
            e.contracts,
            e.overdue_principal,
            e.overdue_interest,
            e.overdue_since,
            e.days_overdue,
        ]
        for n, e in enumerate(default_list.entries.all(), start=1)
    ]


def title_of(default_list: DefaultList) -> str:
    return default_list.get_purpose_display()


def heading_of(default_list: DefaultList) -> str:
    return (
        f"编制单位：{default_list.organisation.name}　截止日期：{default_list.as_of:%Y年%m月%d日}　"
        f"人数：{default_list.entries_count}"
    )


def sign_lines(default_list: DefaultList) -> list[str]:
    prepared = default_list.prepared_by
    reviewed = default_list.reviewed_by
    return [
        f"经办人：{prepared.real_name or prepared.username}",
        f"审批人（负责人）：{(reviewed.real_name or reviewed.username) if reviewed else ''}",
        f"审批日期：{default_list.reviewed_at:%Y年%m月%d日}" if default_list.reviewed_at else "审批日期：",
    ]


def default_list_xlsx(default_list: DefaultList) -> bytes:
    return xlsx_table(
        title_of(default_list),
        COLUMNS,
        entry_rows(default_list),
        title_line=f"{title_of(default_list)}（{heading_of(default_list)}）",
        footer_lines=sign_lines(default_list),
    )


def default_list_pdf(default_list: DefaultList) -> bytes:
    return render_pdf(
        "reports/defaults/list_pdf.html",
        {
            "title": title_of(default_list),
            "heading": heading_of(default_list),
            "headers": [c.header for c in COLUMNS],
            "rows": entry_rows(default_list),
            "signs": sign_lines(default_list),
            "basis": "依据：《国家助学贷款合作协议》第二十八条、《违约责任告知书》。",
        },
    )
