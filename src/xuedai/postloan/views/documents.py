"""Downloads: 还款确认书 and 还款提醒卡 per borrower, the department's 还款确认书汇总表 [000 五, 六].
File names name the document, never the person (documents.pdf.content_disposition)."""

from django.contrib.auth.decorators import login_required

from xuedai import businessdate
from xuedai.audit.services import audit_export
from xuedai.borrowers.selectors import borrower_get
from xuedai.documents.pdf import file_response, pdf_response
from xuedai.documents.xlsx import XLSX_TYPE

from .. import selectors
from ..documents.card import reminder_card_pdf
from ..documents.letters import SUMMARY_TITLE, letter_summary_pdf, letter_summary_xlsx, repayment_letter_pdf
from .common import department_get, own_borrower, staff_required, year_of


@staff_required
def letter_pdf(request, pk: int):
    borrower = borrower_get(request.user, pk)
    audit_export(actor=request.user, document="还款确认书.pdf", obj=borrower)
    return pdf_response(repayment_letter_pdf(borrower, businessdate.today()), f"还款确认书-{borrower.pk}.pdf")


@staff_required
def card_pdf(request, pk: int):
    borrower = borrower_get(request.user, pk)
    audit_export(actor=request.user, document="还款提醒卡.pdf", obj=borrower)
    return pdf_response(reminder_card_pdf(borrower, businessdate.today()), f"还款提醒卡-{borrower.pk}.pdf")


@login_required
def my_card(request):
    """A student's own card, to keep on the phone as well as in the wallet."""
    borrower = own_borrower(request.user)
    audit_export(actor=request.user, document="还款提醒卡.pdf", obj=borrower)
    return pdf_response(reminder_card_pdf(borrower, businessdate.today()), "还款提醒卡.pdf")


def _department_borrowers(request, dept_pk: int):
    department = department_get(request.user, dept_pk)
    year = year_of(request)
    borrowers = selectors.graduating_borrowers(request.user, selectors.GraduateFilters(year=year,
                                                                                       department=department.pk))
    return department, year, borrowers


@staff_required
def letter_summary_xlsx_view(request, dept_pk: int):
    department, year, borrowers = _department_borrowers(request, dept_pk)
    data = letter_summary_xlsx(borrowers, department, year, businessdate.today())
    audit_export(actor=request.user, document=f"{SUMMARY_TITLE}.xlsx", obj=department)
    return file_response(data, f"{SUMMARY_TITLE}-{department.name}-{year}.xlsx", XLSX_TYPE)


@staff_required
def letter_summary_pdf_view(request, dept_pk: int):
    department, year, borrowers = _department_borrowers(request, dept_pk)
    data = letter_summary_pdf(borrowers, department, year, businessdate.today())
    audit_export(actor=request.user, document=f"{SUMMARY_TITLE}.pdf", obj=department)
    return pdf_response(data, f"{SUMMARY_TITLE}-{department.name}-{year}.pdf")
