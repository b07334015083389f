"""学生台账: the year's graduating borrowers [000 二], as the bank system's export carries them.

Masking decision: the default export — and the only one a department may take — masks identity
numbers and mobiles, because department copies are passed around and kept on desktops. The
university loan office may take a full export (identity number and mobile in full): it matches the
list against the bank system, credit reports and the county's files, which are keyed by identity
number. That export is a POST, limited to the roles that may reveal numbers, and audited.
"""

from collections.abc import Iterable

from xuedai.borrowers.models import Borrower
from xuedai.documents.xlsx import Column, table_response
from xuedai.identity.masking import mask_id_number, mask_phone

from ..models import ConfirmationStatus

COLUMNS = [
    Column("序号", "int", 6), Column("院系", width=18), Column("学号", width=14), Column("姓名", width=10),
    Column("身份证号", width=21), Column("性别", width=6), Column("专业", width=16), Column("学历", width=12),
    Column("毕业日期", "date"), Column("手机号", width=14), Column("签约县资助中心", width=22),
    Column("合同数", "int", 8), Column("贷款金额合计", "money", 14), Column("贷款余额", "money", 14),
    Column("是否逾期", width=8), Column("责任人", width=10), Column("毕业确认", width=10),
]


def title(university, year: int) -> str:
    return f"{getattr(university, 'name', '') or ''} {year}年毕业贷款学生台账".strip()


def rows(borrowers: Iterable[Borrower], *, full: bool = False) -> Iterable[list]:
    """Rows from graduating_borrowers (its annotations: staff_name, contract_count, loan_total …)."""
    for n, b in enumerate(borrowers, start=1):
        status = getattr(b, "confirmation_status", None)
        yield [
            n, b.department.name if b.department else "", b.student_no, b.name,
            b.id_number if full else mask_id_number(b.id_number), b.get_gender_display(), b.major,
            b.get_education_level_display(), b.graduation_date, b.mobile if full else mask_phone(b.mobile),
            b.county.name if b.county else "", getattr(b, "contract_count", 0) or 0,
            getattr(b, "loan_total", None) or 0, getattr(b, "outstanding", None) or 0,
            "是" if getattr(b, "is_overdue", False) else "否", getattr(b, "staff_name", "") or "未分配",
            ConfirmationStatus(status).label if status else "未申请",
        ]


def register_response(borrowers, university, year: int, *, full: bool = False):
    items = list(borrowers)
    stem = f"学生台账-{year}届" + ("-含完整身份证号" if full else "")
    return table_response(stem, "学生台账", COLUMNS, list(rows(items, full=full)),
                          title_line=title(university, year))
