"""/audit/: the audit log page (URL names under the "audit" namespace)."""

from django.urls import path

from . import audit_views

urlpatterns = [
    path("", audit_views.audit_list, name="list"),
]
