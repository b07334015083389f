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

# Every error page in Chinese, in the site's layout (web.errors).
handler400 = "xuedai.web.errors.bad_request"
handler403 = "xuedai.web.errors.permission_denied"
handler404 = "xuedai.web.errors.page_not_found"
handler500 = "xuedai.web.errors.server_error"
