"""API v1: each app contributes its own `apis.urlpatterns`; the schema lives at /api/v1/schema/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("xuedai.orgs.apis")),
    path("", include("xuedai.borrowers.apis")),
    path("", include("xuedai.origination.apis")),
    path("", include("xuedai.policies.apis")),
    path("", include("xuedai.loans.apis")),
    path("", include("xuedai.calculator.apis")),
]
