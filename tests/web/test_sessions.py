"""Sessions: the 30-minute idle expiry moves on with the requests, its row rewritten at most once a
minute (xuedai.web.sessions); the cookie on every response as before; a logout ends the session
for every process at once (the row is read on every request)."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.web.helpers import login
from xuedai.orgs.models import Role
from xuedai.web.sessions import REFRESH_SECONDS, SessionStore

AGE = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)


@pytest.fixture
def signed_in(client, province, make_user):
    login(client, make_user(province.counties[0], Role.OPERATOR))
    client.get(reverse("home"))
    return client, client.cookies[settings.SESSION_COOKIE_NAME].value


def _session_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if "django_session" in q["sql"]
            and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]


@pytest.mark.django_db
def test_a_page_within_the_minute_sends_the_cookie_and_leaves_the_row_alone(signed_in):
    client, key = signed_in
    before = Session.objects.get(pk=key).expire_date
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.cookies[settings.SESSION_COOKIE_NAME].value == key
    assert _session_writes(captured.captured_queries) == []
    assert Session.objects.get(pk=key).expire_date == before


@pytest.mark.django_db
def test_an_expiry_older_than_the_minute_moves_on_30_minutes_from_now(signed_in):
    client, key = signed_in
    stale = timezone.now() + AGE - dt.timedelta(seconds=REFRESH_SECONDS + 5)
    Session.objects.filter(pk=key).update(expire_date=stale)
    client.get(reverse("home"))
    moved = Session.objects.get(pk=key).expire_date
    assert timezone.now() + AGE - dt.timedelta(seconds=5) < moved <= timezone.now() + AGE


@pytest.mark.django_db
def test_30_idle_minutes_still_end_the_session(signed_in):
    client, key = signed_in
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response.url


@pytest.mark.django_db
def test_a_logout_ends_the_session_everywhere(signed_in):
    client, key = signed_in
    other = Client()  # another browser tab, or a request served by another gunicorn worker
    other.cookies[settings.SESSION_COOKIE_NAME] = key
    assert other.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    response = other.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response.url


@pytest.mark.django_db
def test_a_change_is_written_at_once_even_within_the_minute(signed_in):
    _, key = signed_in
    store = SessionStore(key)
    store["note"] = "已修改"
    store.save()
    assert SessionStore(key)["note"] == "已修改"
    unchanged = SessionStore(key)
    unchanged.load()
    assert unchanged.expiry_is_fresh()
    later = timezone.now() + dt.timedelta(seconds=REFRESH_SECONDS + 1)
    assert not unchanged.expiry_is_fresh(now=later)
