from django.urls import path

from . import views_riskfund as rf
from . import views_subsidy as sub

app_name = "funds"
urlpatterns = [
    path("risk-fund/", rf.riskfund_home, name="riskfund"),
    path("risk-fund/disbursements.<str:fmt>", rf.disbursement_export, name="disbursement_export"),
    path("risk-fund/request/", rf.accrual_request_view, name="accrual_request"),
    path("risk-fund/confirm/", rf.accrual_confirm_view, name="accrual_confirm"),
    path("risk-fund/accruals.xlsx", rf.accruals_export, name="accruals_export"),
    path("risk-fund/accounts/<int:pk>/", rf.account_detail, name="account"),
    path("risk-fund/accounts/<int:pk>/<str:kind>.pdf", rf.accrual_document, name="accrual_document"),
    path("risk-fund/settlements/", rf.settlements_page, name="settlements"),
    path("risk-fund/settlements/run/", rf.settlement_run_view, name="settlement_run"),
    path("risk-fund/settlements.xlsx", rf.settlements_export, name="settlements_export"),
    path("risk-fund/settlements/<int:pk>/", rf.settlement_detail, name="settlement"),
    path("risk-fund/settlements/<int:pk>.pdf", rf.settlement_document, name="settlement_document"),
    path("subsidy/", sub.subsidy_home, name="subsidy"),
    path("subsidy/summary.<str:fmt>", sub.subsidy_export, name="subsidy_export"),
    path("subsidy/presettlement.xlsx", sub.presettlement_export, name="presettlement_export"),
    path("subsidy/payments/", sub.subsidy_payments, name="subsidy_payments"),
    path("subsidy/payments/record/", sub.subsidy_payment_record_view, name="subsidy_payment_record"),
    path("subsidy/receivable/", sub.receivable, name="receivable"),
    path("dashboard/", rf.money_dashboard, name="dashboard"),
]
