"""Post-loan pages under /postloan/ (namespace `postloan`). Records are addressed by id only."""

from django.urls import path

from . import views
from .views import confirmation, contacts, documents, graduates, reminders

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
]
