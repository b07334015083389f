from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("xuedai.web.urls")),
    path("accounts/", include("xuedai.orgs.urls")),
    path("orgs/", include("xuedai.orgs.page_urls")),
    path("borrowers/", include("xuedai.borrowers.urls")),
    path("origination/", include("xuedai.origination.urls")),
    path("policies/", include("xuedai.policies.urls")),
    path("audit/", include("xuedai.audit.urls")),
    path("calculator/", include("xuedai.calculator.urls")),
    path("jobs/", include("xuedai.jobs.urls")),
    path("loans/", include("xuedai.loans.urls")),
    path("postloan/", include("xuedai.postloan.urls")),
    path("api/v1/", include("xuedai.api_urls")),
    path("django-admin/", admin.site.urls),
]
