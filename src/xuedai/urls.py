from django.contrib import admin
from django.urls import include, path

from xuedai.borrowers.account_views import activate

urlpatterns = [
    path("", include("xuedai.web.urls")),
    path("accounts/", include("xuedai.orgs.urls")),
    # Student activation sits beside the login pages but is the borrowers app's (it reads the record).
    path("accounts/activate/", activate, name="student_activate"),
    path("orgs/", include("xuedai.orgs.page_urls")),
    path("borrowers/", include("xuedai.borrowers.urls")),
    path("origination/", include("xuedai.origination.urls")),
    path("policies/", include("xuedai.policies.urls")),
    path("audit/", include(("xuedai.reports.audit_urls", "audit"))),
    path("reports/quarter/", include(("xuedai.reports.quarter.urls", "quarter"))),
    path("reports/credit/", include(("xuedai.reports.credit_urls", "credit"))),
    path("calculator/", include("xuedai.calculator.urls")),
    path("jobs/", include("xuedai.jobs.urls")),
    path("daily/", include("xuedai.daily.urls")),
    path("loans/", include("xuedai.loans.urls")),
    path("funds/", include("xuedai.funds.urls")),
    path("postloan/", include("xuedai.postloan.urls")),
    path("api/v1/", include("xuedai.api_urls")),
    path("django-admin/", admin.site.urls),
]
