"""校园地国家助学贷款 documents [002 (一)–(三)][003 第十一–十五条, 第二十四条]:
申请审批表 (per student), 学生审核信息表 (to the bank), 审查合格名册 (from the bank), 贷款台账.

ID numbers: in full on the forms and tables that go to the bank (it checks them against the ID copies);
masked in the 贷款台账 unless asked, because the ledger is the university's working list, passed
around departments and kept on desktops (the borrowers app masks lists for the same reason).
"""

from collections.abc import Iterable, Sequence
from decimal import Decimal

from xuedai.identity.masking import mask_id_number

from .amounts import money
from .context import academic_year_label, contract_context, display, fee_split
from .pdf import render_pdf
from .summaries import SIGN_DATE, in_archive_order
from .xlsx import Column, table_response, xlsx_table

APPROVAL_FORM_TITLE = "国家助学贷款申请审批表"
REVIEW_INFO_TITLE = "国家助学贷款学生审核信息表"
QUALIFIED_ROSTER_TITLE = "国家助学贷款学生审查合格名册"
LOAN_LEDGER_TITLE = "国家助学贷款台账"

UNIVERSITY_SIGN = ("高校机构经办人（签字）：", "负责人（签字）：", "高校机构（盖章）：", SIGN_DATE)
BANK_SIGN = ("经办行审查人（签字）：", "审批人（签字）：", "经办行（盖章）：", SIGN_DATE)


def approval_form_pdf(contract) -> bytes:
    """One A4 page: the student's part, the department's initial review and 5-day public notice,
    the loan office's stamp, the bank reviewer's and approver's opinions [002 (二)][003 第十二条]."""
    return render_pdf("documents/campus/approval_form.html",
                      {**contract_context(contract), "title": APPROVAL_FORM_TITLE})


def _title(university, year: int, name: str) -> str:
    return f"{getattr(university, 'name', university)} {academic_year_label(year)} {name}"


def _dept(c) -> str:
    return getattr(getattr(c, "department", None) or getattr(c.borrower, "department", None), "name", "")


REVIEW_INFO_COLUMNS = [
    Column("序号", "int", 6), Column("姓名", width=10), Column("性别", width=6), Column("身份证号", width=21),
    Column("院系", width=18), Column("专业", width=14), Column("学号", width=14), Column("学历", width=10),
    Column("入学年份", "int", 9), Column("学制(年)", "int", 8), Column("学费", "money"),
    Column("住宿费", "money"), Column("生活费", "money"), Column("申请金额", "money"),
    Column("期限(年)", "int", 8), Column("联系电话", width=13),
]


def review_info_rows(contracts: Iterable) -> list[list]:
    rows = []
    for i, c in enumerate(in_archive_order(contracts), start=1):
        b, fees = c.borrower, fee_split(c)
        rows.append([i, b.name, display(b, "gender"), b.id_number, _dept(c), b.major, b.student_no,
                     display(b, "education_level"), b.enrolled_year, b.study_years, fees["tuition"],
                     fees["accommodation"], fees["living"], Decimal(c.amount), c.term_years, b.mobile])
    return rows


def _money_total(rows: Sequence[list], columns: Sequence[Column]) -> list:
    total: list = ["合计", f"{len(rows)}人"] + [""] * (len(columns) - 2)
    for j, col in enumerate(columns):
        if col.kind == "money":
            total[j] = sum((r[j] for r in rows), Decimal(0))
    return total


def review_info_xlsx(contracts: Iterable, university, year: int) -> bytes:
    """学生审核信息表: the loan office sends it with the applications to the bank [002 (一)1]."""
    rows = review_info_rows(contracts)
    return xlsx_table("学生审核信息表", REVIEW_INFO_COLUMNS, [*rows, _money_total(rows, REVIEW_INFO_COLUMNS)],
                      title_line=_title(university, year, REVIEW_INFO_TITLE), footer_lines=UNIVERSITY_SIGN)


ROSTER_COLUMNS = [
    Column("序号", "int", 6), Column("合同编号", width=16), Column("姓名", width=10),
    Column("身份证号", width=21), Column("院系", width=18), Column("学号", width=14),
    Column("学费住宿费", "money", 12), Column("生活费", "money"), Column("批准金额", "money"),
    Column("期限(年)", "int", 8), Column("年利率", "rate", 9),
]


def qualified_roster_rows(contracts: Iterable) -> list[list]:
    rows = []
    for i, c in enumerate(in_archive_order(contracts), start=1):
        b, fees = c.borrower, fee_split(c)
        amount = Decimal(c.amount)
        rows.append([i, c.contract_no, b.name, b.id_number, _dept(c), b.student_no,
                     amount - fees["living"], fees["living"], amount, c.term_years, Decimal(c.annual_rate)])
    return rows


def qualified_roster_xlsx(contracts: Iterable, university, year: int) -> bytes:
    """审查合格名册: the bank's list of approved students the university signs contracts with [002 (三)]."""
    rows = qualified_roster_rows(contracts)
    return xlsx_table("审查合格名册", ROSTER_COLUMNS, [*rows, _money_total(rows, ROSTER_COLUMNS)],
                      title_line=_title(university, year, QUALIFIED_ROSTER_TITLE), footer_lines=BANK_SIGN)


def qualified_roster_pdf(contracts: Iterable, university, year: int) -> bytes:
    rows = qualified_roster_rows(contracts)
    total = _money_total(rows, ROSTER_COLUMNS)
    money_cols = {6, 7, 8}

    def fmt(r):
        return [money(v) if j in money_cols else (f"{v * 100:.2f}%" if j == 10 and v != "" else v)
                for j, v in enumerate(r)]

    return render_pdf("documents/summary_table.html", {
        "title": QUALIFIED_ROSTER_TITLE, "heading": _title(university, year, QUALIFIED_ROSTER_TITLE),
        "org_line": f"高校：{getattr(university, 'name', university)}",
        "headers": [c.header for c in ROSTER_COLUMNS], "rows": [fmt(r) for r in rows],
        "num_cols": money_cols, "total": fmt(total), "sign_lines": BANK_SIGN,
    })


LEDGER_COLUMNS = [
    Column("合同编号", width=16), Column("姓名", width=10), Column("身份证号", width=21),
    Column("院系", width=18), Column("专业", width=14), Column("学号", width=14),
    Column("贷款学年", "int", 9), Column("合同金额", "money"), Column("年利率", "rate", 9),
    Column("期限(年)", "int", 8),
    Column("签订日期", "date"), Column("发放日期", "date"), Column("到期日", "date"),
    Column("自付利息起始日", "date", 14), Column("贷款余额", "money"), Column("状态", width=10),
    Column("最早逾期日", "date"), Column("预计毕业", "date"), Column("联系电话", width=13),
]


def loan_ledger_rows(contracts: Iterable, *, full_id_numbers: bool = False):
    """A generator: the ledger can be a whole university's history; rows stream into xlsxwriter."""
    if hasattr(contracts, "select_related"):
        contracts = contracts.select_related("borrower", "department").iterator(chunk_size=2000)
    for c in contracts:
        b = c.borrower
        yield [c.contract_no, b.name, b.id_number if full_id_numbers else mask_id_number(b.id_number),
               _dept(c), b.major, b.student_no, c.academic_year, Decimal(c.amount), Decimal(c.annual_rate),
               c.term_years, c.signed_on, c.disbursed_on, c.maturity_date, c.self_pay_from,
               Decimal(c.outstanding_principal), display(c, "state"), c.overdue_since, b.graduation_date,
               b.mobile if full_id_numbers else b.masked_mobile]


def loan_ledger_xlsx(contracts: Iterable, university, *, full_id_numbers: bool = False) -> bytes:
    """贷款台账 kept up to date by the loan office [002 (三)2][003 第二十四条]."""
    rows = loan_ledger_rows(contracts, full_id_numbers=full_id_numbers)
    return xlsx_table("贷款台账", LEDGER_COLUMNS, rows, title_line=_ledger_title(university))


def _ledger_title(university) -> str:
    return f"{getattr(university, 'name', university)} {LOAN_LEDGER_TITLE}"


def loan_ledger_response(contracts, university, *, full_id_numbers: bool = False):
    """The download: .xlsx, or a streamed .csv past Excel's row limit. The count is one query, so the
    choice is made before a row is read."""
    count = contracts.count() if hasattr(contracts, "count") and callable(contracts.count) else len(contracts)
    rows = loan_ledger_rows(contracts, full_id_numbers=full_id_numbers)
    stem = f"贷款台账-{getattr(university, 'code', '') or 'export'}"
    return table_response(stem, "贷款台账", LEDGER_COLUMNS, rows, row_count=count,
                          title_line=_ledger_title(university))
