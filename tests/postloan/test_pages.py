"""Every post-loan page answers for the roles that use it, and stays inside their scope."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.web.helpers import login
from xuedai.postloan.reminders import campaign_run, reminders_for_failed_deductions
from xuedai.postloan.services.assignments import assignment_set
from xuedai.postloan.services.contacts import lost_contact_flag

pytestmark = pytest.mark.django_db

PAGES = ["postloan:graduates", "postloan:worklist", "postloan:confirmations", "postloan:progress",
         "postloan:coverage", "postloan:lost", "postloan:reminders"]


@pytest.fixture
def season(world):
    mine = world.graduate(world.dept_a)
    theirs = world.graduate(world.dept_b)
    assignment_set(actor=world.officer, borrower=mine, staff=world.staff_a)
    lost_contact_flag(actor=world.staff_a, borrower=mine, reason="电话停机")
    campaign_run(kind="annual_due", business_date=dt.date(2026, 11, 20))
    reminders_for_failed_deductions([theirs.contracts.get().pk], dt.date(2026, 11, 21))
    return mine, theirs


@pytest.mark.parametrize("who", ["officer", "staff_a", "county_operator"])
def test_pages_answer_for_each_role(world, season, client, who):
    user = getattr(world, who)
    login(client, user)
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200, (who, name)
        html = response.content.decode()
        for b in season:
            assert b.id_number not in html, (who, name)
    assert client.get(reverse("postloan:home")).status_code == 302


def test_reminder_deliveries_are_scoped(world, season, client):
    mine, theirs = season
    shown = login(client, world.staff_a).get(reverse("postloan:reminders")).context["deliveries"]
    assert {r.borrower_id for r in shown} == {mine.pk}
    response = login(client, world.officer).get(reverse("postloan:reminders"))
    assert {r.borrower_id for r in response.context["deliveries"]} == {mine.pk, theirs.pk}
    assert "扣款失败提醒" in response.content.decode()
