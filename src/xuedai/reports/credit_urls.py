"""/reports/credit/: 征信报送, 违约名单, the bank's 催收 and 还款情况季报 (namespace "credit")."""

from django.urls import path

from .bank import views as bank
from .bureau import views as bureau
from .defaults import views as defaults

urlpatterns = [
    path("bureau/", bureau.bureau_home, name="bureau"),
    path("bureau/request/", bureau.bureau_request, name="bureau_request"),
    path("bureau/<int:pk>/download/", bureau.bureau_download, name="bureau_download"),
    path("defaults/", defaults.defaults_home, name="defaults"),
    path("defaults/prepare/", defaults.defaults_prepare, name="defaults_prepare"),
    path("defaults/<int:pk>/", defaults.default_list_page, name="default_list"),
    path("defaults/<int:pk>/review/", defaults.default_list_review_view, name="default_list_review"),
    path("defaults/<int:pk>/pdf/", defaults.default_list_pdf_view, name="default_list_pdf"),
    path("defaults/<int:pk>/xlsx/", defaults.default_list_xlsx_view, name="default_list_xlsx"),
    path("bank/collection/", bank.collection, name="bank_collection"),
    path("bank/repayment/", bank.repayment, name="bank_repayment"),
    path("bank/repayment/pdf/", bank.repayment_pdf_view, name="bank_repayment_pdf"),
    path("bank/repayment/xlsx/", bank.repayment_xlsx_view, name="bank_repayment_xlsx"),
]
