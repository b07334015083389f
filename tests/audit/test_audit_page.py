"""The audit log page: access, filters, paging, scope; and login events written to it (issue 2 §6)."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import PASSWORD, BorrowerFactory
from tests.orgs.helpers import staff_login
from xuedai.audit.models import AuditEntry
from xuedai.audit.services import audit_record
from xuedai.orgs.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(province, make_user):
    return make_user(province.centre, Role.AUDITOR, username="shenji")


def test_anonymous_is_sent_to_login(client, db):
    assert client.get("/audit/").url.startswith("/accounts/login/")


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.SUPERVISOR, Role.BANK_APPROVER])
def test_other_roles_get_403(client, province, make_user, role):
    staff_login(client, make_user(province.centre, role))
    assert client.get("/audit/").status_code == 403


def test_students_get_403(client, make_user):
    client.force_login(make_user(None, Role.STUDENT, with_totp=False))
    assert client.get("/audit/").status_code == 403


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMIN])
def test_auditors_and_admins_get_the_page(client, province, make_user, role):
    staff_login(client, make_user(province.centre, role))
    assert client.get("/audit/").status_code == 200


def test_logins_are_audited_masked(client, auditor, make_user):
    student = make_user(None, Role.STUDENT, with_totp=False)
    borrower = BorrowerFactory(user=student)
    client.post("/accounts/login/", {"identifier": borrower.id_number, "password": "Wrong-pass-1"})
    client.post("/accounts/login/", {"identifier": "nosuchuser", "password": "Secret-typed-here1"})
    client.post("/accounts/login/", {"identifier": borrower.id_number, "password": PASSWORD})
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "object_type"))
    assert actions[-3:] == [("login_failed", "orgs.user"), ("login_failed", "orgs.loginthrottle"),
                            ("login_success", "orgs.user")]
    text = " ".join(f"{e.object_repr} {e.before} {e.after}" for e in AuditEntry.objects.all())
    assert borrower.id_number not in text and "nosuchuser" not in text and "Secret-typed" not in text
    assert AuditEntry.objects.filter(action="login_success").last().ip_address == "127.0.0.1"


def test_staff_login_writes_password_then_totp_entries(client, auditor):
    staff_login(client, auditor)
    assert list(AuditEntry.objects.filter(actor=auditor).order_by("id").values_list("action", flat=True)) \
        == ["login_password_ok", "login_success"]


def test_lockout_is_audited(client, auditor, settings):
    settings.XUEDAI_LOCKOUT_ATTEMPTS = 2
    for _ in range(2):
        client.post("/accounts/login/", {"identifier": "shenji", "password": "Wrong-pass-1"})
    assert AuditEntry.objects.filter(action="account_locked", object_id=str(auditor.pk)).exists()


def test_filters_by_action_actor_date_and_subject(client, province, auditor, make_user):
    borrower = BorrowerFactory(county=province.counties[0])
    operator = make_user(province.counties[0], Role.OPERATOR, username="jingban")
    audit_record(actor=operator, action="borrower_update", obj=borrower,
                 before={"mobile": "13812345678"}, after={"mobile": "13987654321"})
    old = audit_record(actor=operator, action="borrower_update", obj=borrower, after={"note": "旧记录"})
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=40))
    staff_login(client, auditor)

    body = client.get("/audit/", {"action": "borrower_update"}).content.decode()
    assert "138****5678" in body and "139****4321" in body and "13812345678" not in body
    assert "共 2 条" in body
    assert "共 2 条" in client.get("/audit/", {"actor": "jingban"}).content.decode()
    since = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    body = client.get("/audit/", {"action": "borrower_update", "date_from": since}).content.decode()
    assert "共 1 条" in body
    until = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    body = client.get("/audit/", {"action": "borrower_update", "date_to": until}).content.decode()
    assert "共 1 条" in body and "旧记录" in body
    key = f"borrowers.borrower:{borrower.pk}"
    assert "共 2 条" in client.get("/audit/", {"subject_key": key}).content.decode()
    assert "共 0 条" in client.get("/audit/", {"subject_key": key + "9"}).content.decode()
    body = client.get("/audit/", {"object_type": "borrowers.borrower"}).content.decode()
    assert "共 2 条" in body and "借款学生" in body


def test_reversed_dates_name_the_field(client, auditor):
    staff_login(client, auditor)
    body = client.get("/audit/", {"date_from": "2026-05-02", "date_to": "2026-05-01"}).content.decode()
    assert "结束日期：结束日期不能早于开始日期" in body


def test_pagination_keeps_the_filters(client, province, auditor):
    for n in range(60):
        audit_record(actor=auditor, action="user_unlock", obj=province.centre, after={"n": n})
    staff_login(client, auditor)
    first = client.get("/audit/", {"action": "user_unlock"}).content.decode()
    assert "第 1 / 2 页" in first and "action=user_unlock&amp;page=2" in first
    second = client.get("/audit/", {"action": "user_unlock", "page": 2}).content.decode()
    assert "第 2 / 2 页" in second and second.count("<tr>") == 10 + 1


def test_county_auditor_sees_only_its_subtree(client, province, make_user):
    mine = BorrowerFactory(county=province.counties[0])
    theirs = BorrowerFactory(county=province.counties[1], name="外县学生")
    here = make_user(province.counties[0], Role.OPERATOR)
    there = make_user(province.counties[1], Role.OPERATOR, username="waixian")
    audit_record(actor=here, action="borrower_update", obj=mine, after={"note": "本县"})
    audit_record(actor=there, action="borrower_update", obj=theirs, after={"note": "外县"})
    staff_login(client, make_user(province.counties[0], Role.AUDITOR))
    body = client.get("/audit/", {"action": "borrower_update"}).content.decode()
    assert "本县" in body and "外县" not in body and "共 1 条" in body
    # The other county's staff logins are not shown either: only the auditor's own login is.
    staff_login(client.__class__(), there)
    assert "共 1 条" in client.get("/audit/", {"action": "login_success"}).content.decode()


def test_head_office_auditor_sees_everything(client, province, make_user):
    theirs = BorrowerFactory(county=province.counties[1])
    audit_record(actor=None, action="borrower_update", obj=theirs, after={"note": "外县"})
    staff_login(client, make_user(province.head, Role.AUDITOR))
    assert "外县" in client.get("/audit/", {"action": "borrower_update"}).content.decode()
