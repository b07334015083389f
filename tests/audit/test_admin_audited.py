"""The Django admin: what an administrator needs is registered, and every change there is audited."""

import datetime as dt

import pytest

from tests.orgs.helpers import staff_login
from xuedai.audit.models import AuditEntry
from xuedai.orgs.models import Role
from xuedai.policies.models import WorkingDayOverride
from xuedai.policies.working_days import add_working_days, is_working_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, province, make_user):
    user = make_user(province.centre, Role.ADMIN)
    user.is_staff = user.is_superuser = True
    user.save()
    staff_login(client, user)
    return client, user


@pytest.mark.parametrize("path", ["orgs/organisation", "orgs/user", "policies/policyversion",
                                  "policies/lprrate", "policies/workingdayoverride", "loans/reliefprogramme"])
def test_the_administrators_models_are_registered(admin_client, path):
    client, _ = admin_client
    assert client.get(f"/django-admin/{path}/").status_code == 200


def test_policy_versions_are_read_only_there(admin_client):
    client, _ = admin_client
    assert client.get("/django-admin/policies/policyversion/add/").status_code == 403


def test_a_working_day_override_is_audited_and_moves_the_clocks(admin_client):
    client, user = admin_client
    saturday = dt.date(2030, 1, 5)  # a year chinese_calendar does not know: Monday–Friday
    assert not is_working_day(saturday)
    response = client.post("/django-admin/policies/workingdayoverride/add/",
                           {"day": "2030-01-05", "is_working_day": "on", "note": "调休上班"})
    assert response.status_code == 302, response.content.decode()[:500]
    assert is_working_day(saturday) and add_working_days(dt.date(2030, 1, 4), 1) == saturday
    entry = AuditEntry.objects.get(action="admin.create", actor=user)
    assert entry.object_type == "policies.workingdayoverride" and entry.after["is_working_day"] == "True"
    override = WorkingDayOverride.objects.get()
    client.post(f"/django-admin/policies/workingdayoverride/{override.pk}/delete/", {"post": "yes"})
    assert not WorkingDayOverride.objects.exists()
    assert AuditEntry.objects.filter(action="admin.delete", object_id=str(override.pk)).exists()
