"""还款提醒卡: a card the size of a bank card (ISO/IEC 7810 ID-1, 85.6 × 54 mm) [000 六].

The seed asks universities to print it on PVC, not A4 paper, so the PDF's page *is* the card:
@page size 85.6mm 54mm, front then back. Front: whose card, the next due dates and amounts (from
the core engine) and where to deposit; back: the rules a borrower trips over (DOMAIN.md §9).
"""

import datetime as dt

from xuedai.borrowers.models import Borrower
from xuedai.documents.amounts import money
from xuedai.documents.context import cn_date
from xuedai.documents.pdf import render_pdf
from xuedai.identity.masking import mask_phone
from xuedai.loans.amount_due import borrower_due

CARD_TITLE = "还款提醒卡"
CARD_ROWS = 3  # what fits legibly on the front at 7 pt


def card_context(borrower: Borrower, today: dt.date) -> dict:
    """The card's front from loans.amount_due: the same amounts, days and channel as every page."""
    due = borrower_due(borrower, today)
    contracts = [c.contract for c in due.contracts]
    upcoming = [{"on": cn_date(row.on), "amount": money(row.total), "deposit_by": cn_date(row.deposit_by)}
                for row in due.upcoming[:CARD_ROWS]]
    county = borrower.county
    settlement_day = contracts[0].policy_version.settlement_day if contracts else "12-20"
    month, day = (int(part) for part in settlement_day.split("-"))
    return {
        "title": CARD_TITLE, "name": borrower.name, "student_no": borrower.student_no,
        "university": getattr(borrower.university, "name", ""),
        "contract_nos": "、".join(c.contract_no for c in contracts),
        "upcoming": upcoming, "channel": "；".join(c.where for c in due.channels),
        "due_now": money(due.overdue.total) if due.overdue else "",
        "repayment_day": f"每年{month}月{day}日",
        "deposit_days": due.deposit_days,
        "mobile": mask_phone(borrower.mobile),
        "county": getattr(county, "name", "") or getattr(borrower.university, "name", ""),
        "printed_on": cn_date(today),
    }


def reminder_card_pdf(borrower: Borrower, today: dt.date) -> bytes:
    return render_pdf("postloan/print/card.html", card_context(borrower, today))
