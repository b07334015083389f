"""Origination pages under /origination/ (namespace `origination`)."""

from django.urls import path

from .views import (
    archives,
    campus,
    commercial,
    contract,
    contracts,
    county,
    flow,
    home,
    review,
    student,
    university,
)

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
    path("contracts/", contracts.contract_search, name="contracts"),
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
    # campus and commercial loans: one contract page, the product's table decides the buttons
    path("loans/<int:pk>/", flow.detail, name="flow_contract"),
    path("loans/<int:pk>/act/<slug:action>/", flow.act, name="flow_act"),
    path("loans/<int:pk>/after/<slug:kind>/", flow.commercial_after, name="commercial_after"),
    path("campus/", campus.worklist, name="campus"),
    path("campus/apply/", campus.apply, name="campus_apply"),
    path("campus/quota/", campus.quota, name="campus_quota"),
    path("campus/review-info.xlsx", campus.review_info_xlsx, name="campus_review_info"),
    path("campus/roster.<slug:fmt>", campus.roster, name="campus_roster"),
    path("campus/ledger.xlsx", campus.ledger, name="campus_ledger"),
    path("campus/<int:pk>/approval-form.pdf", campus.approval_form, name="campus_approval_form"),
    path("commercial/", commercial.worklist, name="commercial"),
    path("commercial/apply/", commercial.apply, name="commercial_apply"),
    path("archives/", archives.archives, name="archives"),
    path("archives/boxes/", archives.boxes, name="archive_boxes"),
    path("archives/missing.xlsx", archives.missing_xlsx, name="archive_missing"),
    path("archives/<int:pk>/tick/", archives.tick, name="archive_tick"),
]
