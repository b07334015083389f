from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render

from . import dashboards


@login_required
def home(request):
    """Each role's home: a student's phone-width page, or staff work queues and key numbers."""
    user = request.user
    if user.is_student:
        return render(request, "web/home_student.html", dashboards.student_summary(user))
    sections = dashboards.staff_sections(user)
    charts = [s.chart for s in sections if s.chart]
    return render(request, "web/home.html", {"sections": sections, "charts": charts})


def healthz(request):
    connection.ensure_connection()
    return HttpResponse("ok", content_type="text/plain")
