from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render


@login_required
def home(request):
    return render(request, "web/home.html", {})


def healthz(request):
    connection.ensure_connection()
    return HttpResponse("ok", content_type="text/plain")
