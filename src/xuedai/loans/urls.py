"""Loans pages under /loans/ (namespace `loans`)."""

from django.urls import path

from . import disbursement_views, payment_views, rate_views, views

app_name = "loans"

urlpatterns = [
    path("accounts/<int:contract_id>/", views.account_detail, name="account_detail"),
    path("batches/<int:pk>/disburse/", disbursement_views.batch_disburse_view, name="batch_disburse"),
    path("contracts/<int:pk>/disburse/", disbursement_views.contract_disburse_view, name="contract_disburse"),
    path("deductions/", views.deduction_run_list, name="deduction_runs"),
    path("borrowers/<int:borrower_id>/payment/", payment_views.borrower_payment, name="borrower_payment"),
    path("accounts/<int:contract_id>/misuse/", payment_views.misuse_flag_view, name="misuse_flag"),
    path("repricing/", rate_views.repricing_list, name="repricing_list"),
    path("repricing/<int:pk>/", rate_views.repricing_detail, name="repricing"),
    path("repricing/<int:pk>/register/", rate_views.repricing_register, name="repricing_register"),
    path("deductions/<int:pk>/upload/", views.deduction_result_upload, name="deduction_upload"),
    path("deductions/<int:pk>/<str:which>/", views.deduction_file, name="deduction_file"),
]
