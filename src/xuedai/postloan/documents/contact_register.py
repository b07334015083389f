"""逾期学生联系台账 [000 九]: every overdue borrower in scope with that month's contacts, one line
per contact; a borrower nobody contacted gets one line marked 本月未联系 — the 重点难点 the seed
asks the university to find by reading the ledger. Identity numbers and mobiles are masked."""

from xuedai.documents.xlsx import Column, table_response
from xuedai.identity.masking import mask_id_number

COLUMNS = [
    Column("序号", "int", 6), Column("院系", width=16), Column("学号", width=14), Column("姓名", width=10),
    Column("身份证号", width=21), Column("签约县资助中心", width=20), Column("最早逾期日", "date"),
    Column("逾期合同余额", "money"), Column("联系日期", "date"), Column("联系方式", width=8),
    Column("联系结果", width=14), Column("情况说明", width=30), Column("下一步措施", width=20),
    Column("下次联系日期", "date"), Column("是否失联", width=8), Column("联系人", width=10),
]


def title(org, year: int, month: int) -> str:
    return f"{getattr(org, 'name', '') or ''} {year}年{month}月 逾期学生联系台账".strip()


def rows(entries) -> list[list]:
    """From selectors.overdue_contact_rows: [(borrower, [contact logs of the month])]."""
    out, n = [], 0
    for borrower, logs in entries:
        head = [borrower.department.name if borrower.department else "", borrower.student_no, borrower.name,
                mask_id_number(borrower.id_number), borrower.county.name if borrower.county else "",
                getattr(borrower, "overdue_since", None), getattr(borrower, "overdue_outstanding", None) or 0]
        lost = "是" if getattr(borrower, "lost_contact", False) else "否"
        if not logs:
            n += 1
            out.append([n, *head, None, "", "本月未联系", "", "", None, lost, ""])
        for log in logs:
            n += 1
            out.append([n, *head, log.contacted_on, log.get_channel_display(), log.get_result_display(),
                        log.note, log.next_step, log.next_contact_on, lost,
                        (log.staff.real_name or log.staff.username) if log.staff else ""])
    return out


def contact_register_response(entries, org, year: int, month: int):
    return table_response(f"逾期学生联系台账-{year}-{month:02d}", "逾期学生联系台账", COLUMNS, rows(entries),
                          title_line=title(org, year, month),
                          footer_lines=("经办人（签字）：", "负责人（签字）：", "日期：　　年　　月　　日"))
