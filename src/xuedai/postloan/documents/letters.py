"""还款确认书 (one per borrower) and the department's 还款确认书汇总表 [000 五; DOMAIN.md §5 May].

The letter lists the borrower's contracts and every coming due date and amount from the core
engine, and the commitments the student signs; the department summarises the letters in the
汇总表 and hands it to the university loan office. Identity numbers and mobiles are masked: the
student and contract numbers identify the letter, and the summary circulates between offices.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from xuedai.borrowers.models import Borrower
from xuedai.documents.amounts import amount_in_words, money
from xuedai.documents.context import cn_date, percent
from xuedai.documents.pdf import render_pdf
from xuedai.documents.xlsx import Column, xlsx_table
from xuedai.identity.masking import mask_id_number, mask_phone
from xuedai.loans.amount_due import borrower_due
from xuedai.policies.products import Product

from .. import rules
from ..models import LetterRecord

ZERO = Decimal("0.00")

SUMMARY_TITLE = "还款确认书汇总表"
SIGN_LINES = ("院系经办人（签字）：", "院系负责人（签字）：", "院系（盖章）：", "日期：　　年　　月　　日")


def letter_title(contracts) -> str:
    products = {c.product for c in contracts}
    if products == {Product.HOME_COUNTY}:
        return "生源地信用助学贷款还款确认书"
    return "国家助学贷款还款确认书"


def letter_context(borrower: Borrower, today: dt.date) -> dict:
    """The letter's plan from loans.amount_due: the same amounts, days and channel as every page."""
    due = borrower_due(borrower, today)
    contracts = [c.contract for c in due.contracts]
    co = borrower.co_borrowers.filter(is_active=True).order_by("pk").first()
    contact = borrower.emergency_contacts.order_by("pk").first()
    total = sum((c.amount for c in contracts), ZERO)
    return {
        "title": letter_title(contracts), "borrower": borrower, "today": cn_date(today),
        "masked_id": mask_id_number(borrower.id_number), "mobile": mask_phone(borrower.mobile),
        "co": co, "co_mobile": mask_phone(co.mobile) if co else "",
        "contact": contact, "contact_mobile": mask_phone(contact.mobile) if contact else "",
        "contracts": [{"no": c.contract_no, "year": f"{c.academic_year}—{c.academic_year + 1}",
                       "amount": money(c.amount), "rate": percent(c.annual_rate),
                       "disbursed_on": cn_date(c.disbursed_on), "maturity": cn_date(c.maturity_date),
                       "self_pay_from": cn_date(c.self_pay_from), "county": getattr(c.county, "name", "")}
                      for c in contracts],
        "total": money(total), "total_words": amount_in_words(total),
        "rows": [{"on": cn_date(r.on), "interest": money(r.interest), "principal": money(r.principal),
                  "total": money(r.total), "deposit_by": cn_date(r.deposit_by)} for r in due.upcoming],
        "due_now": money(due.overdue.total) if due.overdue else "",
        "channel": "；".join(c.where for c in due.channels),
        "deposit_days": due.deposit_days,
        "deadline": cn_date(rules.confirmation_deadline(borrower.graduation_year)),
    }


def repayment_letter_pdf(borrower: Borrower, today: dt.date) -> bytes:
    return render_pdf("postloan/print/letter.html", letter_context(borrower, today))


SUMMARY_COLUMNS = [
    Column("序号", "int", 6), Column("学号", width=14), Column("姓名", width=10),
    Column("身份证号", width=21), Column("专业", width=14), Column("合同数", "int", 7),
    Column("贷款总额", "money"),
    Column("贷款余额", "money"), Column("下一还款日", "date"), Column("下一期应还", "money"),
    Column("手机号", width=14), Column("就业情况", width=18), Column("还款确认书", width=10),
]
MONEY_COLS = {6, 7, 9}


def _letter_state(letter: LetterRecord | None) -> str:
    if letter is None:
        return "未交"
    return "已交·合格" if letter.passed else "已交·待补"


def _employment(borrower: Borrower) -> str:
    # The record keeps 待业 / 升学：… in 工作单位 once confirmed (rules.employer_for_record).
    return (borrower.employer or "").strip() or "未填写"


def summary_rows(borrowers: Iterable[Borrower], year: int, today: dt.date) -> list[list]:
    items = list(borrowers)
    letters = {letter.borrower_id: letter for letter in
               LetterRecord.objects.filter(borrower__in=[b.pk for b in items], graduation_year=year)}
    rows = []
    for n, b in enumerate(items, start=1):
        due = borrower_due(b, today)
        contracts = [c.contract for c in due.contracts]
        nxt = due.next
        rows.append([n, b.student_no, b.name, mask_id_number(b.id_number), b.major, len(contracts),
                     sum((c.amount for c in contracts), ZERO), due.outstanding,
                     nxt.on if nxt else None, nxt.total if nxt else None, mask_phone(b.mobile),
                     _employment(b), _letter_state(letters.get(b.pk))])
    return rows


def summary_heading(department, year: int) -> str:
    return f"{getattr(department, 'name', department)} {year}年毕业生 {SUMMARY_TITLE}"


def letter_summary_xlsx(borrowers, department, year: int, today: dt.date) -> bytes:
    rows = summary_rows(borrowers, year, today)
    total = ["合计", f"{len(rows)}人", "", "", "", sum(r[5] for r in rows),
             sum((r[6] for r in rows), ZERO), sum((r[7] for r in rows), ZERO), "", "", "", "", ""]
    return xlsx_table(SUMMARY_TITLE, SUMMARY_COLUMNS, [*rows, total],
                      title_line=summary_heading(department, year), footer_lines=SIGN_LINES)


def letter_summary_pdf(borrowers, department, year: int, today: dt.date) -> bytes:
    rows = summary_rows(borrowers, year, today)

    def cell(i, v):
        if i in MONEY_COLS:
            return money(v)
        return cn_date(v) if isinstance(v, dt.date) else ("" if v is None else v)

    printed = [[cell(i, v) for i, v in enumerate(r)] for r in rows]
    total = ["合计", f"{len(rows)}人", "", "", "", sum(r[5] for r in rows),
             money(sum((r[6] for r in rows), ZERO)), money(sum((r[7] for r in rows), ZERO)),
             "", "", "", "", ""]
    return render_pdf("documents/summary_table.html", {
        "title": SUMMARY_TITLE, "heading": summary_heading(department, year),
        "org_line": f"填报单位：{getattr(department, 'name', department)}",
        "headers": [c.header for c in SUMMARY_COLUMNS], "rows": printed, "num_cols": MONEY_COLS,
        "total": total, "sign_lines": SIGN_LINES,
    })
