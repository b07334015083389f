"""The audit log page (issue 2 §6): auditors and administrators only; values were masked at write."""

from django.core.paginator import Paginator
from django.shortcuts import render

from xuedai.audit.labels import action_label, object_type_label
from xuedai.orgs.models import Role
from xuedai.orgs.permissions import roles_required

from . import audit_selectors as selectors
from .audit_forms import AuditSearchForm

PAGE_SIZE = 50


@roles_required(Role.AUDITOR, Role.ADMIN)
def audit_list(request):
    form = AuditSearchForm(request.GET or None, actions=selectors.known_actions(),
                           object_types=selectors.known_object_types())
    invalid = form.is_bound and not form.is_valid()
    filters = form.cleaned_data if form.is_bound and not invalid else {}
    entries = selectors.audit_entries_search(request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.action_label = action_label(entry.action)
        entry.object_type_label = object_type_label(entry.object_type)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reports/audit_log.html", {
        "form": form, "page": page, "query": query.urlencode(), "invalid": invalid,
    })
