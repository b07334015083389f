"""One business date per request (businessdate.BusinessDateMiddleware): the page and its menu read
the stored date once and agree on it; the next request sees a date moved meanwhile."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.web.helpers import login
from xuedai import businessdate
from xuedai.orgs.models import Role


def _date_reads(queries) -> int:
    return sum("jobs_businessdate" in q["sql"] for q in queries)


@pytest.mark.django_db
def test_a_page_reads_the_stored_date_once_and_the_next_page_sees_it_moved(client, province, make_user,
                                                                          settings):
    settings.XUEDAI_BUSINESS_DATE = ""  # the stored date, as `xuedai simulate` sets it
    businessdate.set_stored_business_date(dt.date(2027, 3, 1))
    login(client, make_user(province.counties[0], Role.OPERATOR))
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("home"))
    assert page.status_code == 200 and page.context["business_date"] == dt.date(2027, 3, 1)
    assert _date_reads(captured.captured_queries) == 1
    businessdate.set_stored_business_date(dt.date(2027, 3, 2))
    assert client.get(reverse("home")).context["business_date"] == dt.date(2027, 3, 2)


@pytest.mark.django_db
def test_outside_a_request_each_call_reads_the_stored_date(settings, django_assert_num_queries):
    settings.XUEDAI_BUSINESS_DATE = ""
    businessdate.set_stored_business_date(dt.date(2027, 3, 1))
    with django_assert_num_queries(2):
        assert businessdate.today() == businessdate.today() == dt.date(2027, 3, 1)
    with businessdate.one_answer_per_request(), django_assert_num_queries(1):
        assert businessdate.today() == businessdate.today() == dt.date(2027, 3, 1)


@pytest.mark.django_db
def test_moving_the_date_within_a_request_is_seen_at_once(settings):
    settings.XUEDAI_BUSINESS_DATE = ""
    businessdate.set_stored_business_date(dt.date(2027, 3, 1))
    with businessdate.one_answer_per_request():
        assert businessdate.today() == dt.date(2027, 3, 1)
        businessdate.set_stored_business_date(dt.date(2027, 3, 5))
        assert businessdate.today() == dt.date(2027, 3, 5)
