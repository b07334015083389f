"""The audit log page: auditors and administrators only; values were masked when written."""

from django.core.paginator import Paginator
from django.shortcuts import render

from xuedai.orgs.models import Role
from xuedai.orgs.permissions import roles_required

from . import audit_selectors as selectors
from .audit_display import present, subject_labels
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
    page.object_list = list(page.object_list)  # annotated in place, then rendered: one evaluation
    present(page.object_list)
    subject = filters.get("subject_key", "")
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reports/audit_log.html", {
        "form": form, "page": page, "query": query.urlencode(), "invalid": invalid,
        "subject": subject_labels([subject]).get(subject, subject) if subject else "",
    })
