"""Reminder deliveries in scope, and the campaigns run (DOMAIN.md §5, §8)."""

from django.shortcuts import render

from xuedai.orgs.scope import record_scope_q

from ..models import Reminder, ReminderCampaign
from .common import staff_required


@staff_required
def reminders(request):
    user = request.user
    deliveries = (Reminder.objects.filter(record_scope_q(
        user, county="borrower__county", university="borrower__university", department="borrower__department",
        owner="borrower__user")).select_related("borrower", "campaign").order_by("-id")[:200])
    return render(request, "postloan/reminders.html", {
        "deliveries": deliveries, "campaigns": ReminderCampaign.objects.select_related("job_run")[:30]})
