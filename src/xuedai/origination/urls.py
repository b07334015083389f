"""Origination pages under /origination/ (namespace `origination`)."""

from django.urls import path

from .views import contract, county, home, review, student, university

app_name = "origination"

urlpatterns = [
    path("", home.home, name="home"),
    # the student
    path("register/", student.register, name="register"),
    path("apply/", student.apply, name="apply"),
    path("applications/<int:pk>/cancel/", student.application_cancel, name="application_cancel"),
    path("applications/<int:pk>/form.pdf", student.application_form_pdf, name="application_pdf"),
    # the county centre
    path("county/", county.worklist, name="county"),
    path("county/accept/", county.accept_applications, name="accept"),
    path("county/check/", county.check_many, name="check_many"),
    path("county/season/", county.season, name="season"),
    path("county/summarise/", county.summarise, name="summarise"),
    path("county/withdraw/", county.withdraw, name="withdraw"),
    path("borrowers/<int:borrower_pk>/contracts/new/", county.contract_create, name="contract_create"),
    # one contract
    path("contracts/<int:pk>/", contract.detail, name="contract"),
    path("contracts/<int:pk>/edit/", county.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/act/<slug:action>/", contract.act, name="contract_act"),
    path("contracts/<int:pk>/print/<slug:kind>/", contract.print_document, name="print"),
    # the university
    path("receipts/", university.receipts, name="receipts"),
    path("receipts/template.xlsx", university.receipts_template, name="receipts_template"),
    # batches: county supervisor, province, bank
    path("batches/", review.batch_list, name="batches"),
    path("batches/summary.xlsx", review.province_summary_xlsx, name="province_summary"),
    path("batches/<int:pk>/", review.batch_detail, name="batch"),
    path("batches/<int:pk>/act/<slug:action>/", review.batch_act, name="batch_act"),
    path("batches/<int:pk>/summary.xlsx", review.batch_summary_xlsx, name="batch_summary"),
    path("batches/<int:pk>/summary.pdf", review.batch_summary_pdf, name="batch_summary_pdf"),
    path("arrivals/", review.arrivals, name="arrivals"),
]
