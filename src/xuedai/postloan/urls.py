"""Post-loan pages under /postloan/ (namespace `postloan`). Records are addressed by id only."""

from django.urls import path

from . import views
from .views import certificates, changes, confirmation, contacts, documents, graduates, reminders, student

app_name = "postloan"

urlpatterns = [
    path("", views.home, name="home"),
    path("graduates/", graduates.graduates, name="graduates"),
    path("graduates/register.xlsx", graduates.register_xlsx, name="register_xlsx"),
    path("graduates/<int:pk>/", graduates.borrower_page, name="borrower"),
    path("graduates/<int:pk>/assign/", graduates.assign, name="assign"),
    path("graduates/<int:pk>/letter/", graduates.letter_record, name="letter_record"),
    path("graduates/<int:pk>/contacts/", contacts.contact_add, name="contact_add"),
    path("graduates/<int:pk>/lost/", contacts.lost_flag, name="lost_flag"),
    path("graduates/<int:pk>/repayment-letter.pdf", documents.letter_pdf, name="letter_pdf"),
    path("graduates/<int:pk>/reminder-card.pdf", documents.card_pdf, name="card_pdf"),
    path("worklist/", graduates.worklist, name="worklist"),
    path("confirmations/", confirmation.queue, name="confirmations"),
    path("confirmations/<int:pk>/", confirmation.review, name="confirmation"),
    path("progress/", confirmation.progress, name="progress"),
    path("departments/<int:dept_pk>/letter-summary.xlsx", documents.letter_summary_xlsx_view,
         name="letter_summary_xlsx"),
    path("departments/<int:dept_pk>/letter-summary.pdf", documents.letter_summary_pdf_view,
         name="letter_summary_pdf"),
    path("coverage/", contacts.coverage, name="coverage"),
    path("overdue-contacts.xlsx", contacts.contact_register, name="contact_register"),
    path("lost/", contacts.lost_list, name="lost"),
    path("lost/<int:pk>/resolve/", contacts.lost_resolve, name="lost_resolve"),
    path("reminders/", reminders.reminders, name="reminders"),
    path("me/confirmation/", confirmation.my_confirmation, name="my_confirmation"),
    path("me/reminder-card.pdf", documents.my_card, name="my_card"),
    # Student self-service (DOMAIN.md §4–§5): due this year, plan, postings, early repayment, certificates.
    path("me/loans/", student.my_loans, name="my_loans"),
    path("me/contracts/<int:pk>/", student.my_contract, name="my_contract"),
    path("me/contracts/<int:pk>/early-repayment/", student.my_early_repayment, name="my_early_repayment"),
    path("me/contracts/<int:pk>/certificate/", student.my_certificate_request, name="my_certificate_request"),
    path("me/contracts/<int:pk>/plan-change/", changes.my_plan_change, name="my_plan_change"),
    path("contracts/<int:pk>/settlement.pdf", student.settlement_pdf, name="settlement_pdf"),
    path("certificates/", certificates.certificates, name="certificates"),
    path("certificates/<int:pk>.pdf", student.certificate_pdf, name="certificate_pdf"),
    path("certificates/<int:pk>/decide/", certificates.certificate_decide_view, name="certificate_decide"),
    path("certificates/<int:pk>/evidence/", certificates.certificate_evidence, name="certificate_evidence"),
    path("status-changes/", changes.status_change_list, name="status_changes"),
    path("status-changes/<int:pk>/decide/", changes.status_change_decide, name="status_change_decide"),
    path("plan-changes/", changes.plan_change_list, name="plan_changes"),
    path("plan-changes/<int:pk>/decide/", changes.plan_change_decide, name="plan_change_decide"),
    path("plan-changes/<int:pk>/admission-letter/", changes.admission_letter, name="admission_letter"),
]
