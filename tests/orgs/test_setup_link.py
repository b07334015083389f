"""Staff accounts start from a one-time set-up link (no default password), then bind TOTP (issue 2 §6)."""

import datetime as dt
import hashlib
import re

import pyotp
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.orgs.helpers import fresh_code
from xuedai.orgs.middleware import SESSION_FLAG
from xuedai.orgs.models import Role, SetupToken, User
from xuedai.orgs.services import setup_link_create, user_create

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Shu-xue-2026x"


@pytest.fixture
def newcomer(province):
    return user_create(actor=None, username="liming", organisation=province.counties[0],
                       roles=[Role.OPERATOR], real_name="李明")


def test_new_staff_have_no_usable_password(newcomer):
    assert not newcomer.has_usable_password()


def test_link_stores_only_a_hash_and_expires_in_72_hours(newcomer):
    link = setup_link_create(actor=None, user=newcomer)
    token = re.fullmatch(r"/accounts/setup/([\w-]+)/", link).group(1)
    row = SetupToken.objects.get(user=newcomer)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in row.token_hash
    assert dt.timedelta(hours=71, minutes=59) < row.expires_at - timezone.now() <= dt.timedelta(hours=72)


def test_setup_then_enrol_then_home(client, newcomer):
    link = setup_link_create(actor=None, user=newcomer)
    page = client.get(link)
    assert page.status_code == 200 and "liming" in page.content.decode()
    assert page["Referrer-Policy"] == "same-origin"
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == "/accounts/totp/enrol/"
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)

    enrol = client.get("/accounts/totp/enrol/").content.decode()
    newcomer.refresh_from_db()
    assert newcomer.totp_secret and newcomer.totp_confirmed_at is None
    # The QR code is an inline SVG, and the page loads nothing from another site.
    assert "<svg" in enrol and "chart.googleapis" not in enrol and "https://" not in enrol
    assert " ".join(re.findall(".{1,4}", newcomer.totp_secret)) in enrol

    assert client.post("/accounts/totp/enrol/", {"code": "123456"}).status_code == 200
    response = client.post("/accounts/totp/enrol/", {"code": pyotp.TOTP(newcomer.totp_secret).now()})
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.totp_confirmed_at is not None and client.session[SESSION_FLAG] is True
    assert client.get("/").status_code == 200


def test_secret_is_kept_across_reloads_until_confirmed(client, newcomer):
    link = setup_link_create(actor=None, user=newcomer)
    client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.get("/accounts/totp/enrol/")
    first = User.objects.get(pk=newcomer.pk).totp_secret
    client.get("/accounts/totp/enrol/")
    assert User.objects.get(pk=newcomer.pk).totp_secret == first


def test_link_is_one_time(client, newcomer):
    link = setup_link_create(actor=None, user=newcomer)
    client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.logout()
    again = client.get(link)
    assert again.status_code == 410 and "已使用过" in again.content.decode()
    response = client.post(link, {"new_password1": "Other-pass-2027", "new_password2": "Other-pass-2027"})
    assert response.status_code == 410
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)


def test_expired_link_is_refused(client, newcomer):
    link = setup_link_create(actor=None, user=newcomer)
    SetupToken.objects.filter(user=newcomer).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = client.get(link)
    assert response.status_code == 410 and "已过期" in response.content.decode()


def test_unknown_link_is_refused(client, db):
    response = client.get("/accounts/setup/not-a-real-token/")
    assert response.status_code == 410 and "无效" in response.content.decode()


def test_a_new_link_voids_the_previous_one(client, newcomer):
    first = setup_link_create(actor=None, user=newcomer)
    second = setup_link_create(actor=None, user=newcomer)
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


@pytest.mark.parametrize(("password", "message"), [
    ("12345678901234", "只包含数字"),
    ("short1A", "太短"),
    ("abcdefghijkl", "字母和数字"),
])
def test_weak_password_is_refused_and_link_stays_usable(client, newcomer, password, message):
    link = setup_link_create(actor=None, user=newcomer)
    body = client.post(link, {"new_password1": password, "new_password2": password}).content.decode()
    assert message in body and "新密码" in body
    assert SetupToken.objects.get(user=newcomer).used_at is None
    assert client.get(link).status_code == 200


def test_mismatched_passwords_name_the_field(client, newcomer):
    link = setup_link_create(actor=None, user=newcomer)
    body = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"}).content
    assert "确认新密码：两次输入的密码不一致" in body.decode()


def test_reissued_link_resets_totp(client, province, make_user):
    """A lost phone: the administrator re-issues a link, and the old TOTP binding goes with it."""
    user = make_user(province.counties[0], Role.OPERATOR)
    link = setup_link_create(actor=None, user=user)
    client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user.refresh_from_db()
    assert user.totp_confirmed_at is None and user.totp_secret == ""


def test_createstaff_prints_a_working_link(client, province, capsys):
    call_command("createstaff", "--username", "wangli", "--org-code", province.counties[1].code,
                 "--role", "operator", "--role", "supervisor", "--name", "王丽",
                 "--base-url", "https://xuedai.example.cn")
    out = capsys.readouterr().out
    link = re.search(r"https://xuedai\.example\.cn(/accounts/setup/[\w-]+/)", out).group(1)
    user = User.objects.get(username="wangli")
    assert user.organisation == province.counties[1] and not user.has_usable_password()
    assert user.role_codes == {Role.OPERATOR, Role.SUPERVISOR}
    assert client.get(link).status_code == 200


@pytest.mark.parametrize(("args", "message"), [
    (["--username", "x1y", "--org-code", "NOPE", "--role", "operator"], "机构代码"),
    (["--username", "9abc", "--org-code", "{code}", "--role", "operator"], "用户名"),
])
def test_createstaff_refuses_bad_input(province, args, message):
    args = [a.replace("{code}", province.centre.code) for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("createstaff", *args)


def test_totp_command_is_for_demos_only(province, make_user, monkeypatch, capsys, settings):
    user = make_user(province.centre, Role.OPERATOR, username="demo1")
    settings.DEBUG = False
    monkeypatch.delenv("XUEDAI_DEMO", raising=False)
    with pytest.raises(CommandError, match="演示"):
        call_command("totp", "demo1")
    monkeypatch.setenv("XUEDAI_DEMO", "1")
    call_command("totp", "demo1")
    assert capsys.readouterr().out.strip() == pyotp.TOTP(user.totp_secret).now()


def test_totp_command_works_on_the_database_xuedai_demo_serves(
    province, make_user, monkeypatch, capsys, settings, tmp_path
):
    from xuedai.demo.marker import mark_demo_database

    user = make_user(province.centre, Role.OPERATOR, username="demo2")
    settings.DEBUG = False
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("XUEDAI_DEMO", raising=False)
    with pytest.raises(CommandError, match="演示"):
        call_command("totp", "demo2")
    mark_demo_database()
    call_command("totp", "demo2")
    assert capsys.readouterr().out.strip() == pyotp.TOTP(user.totp_secret).now()
    # A marker left by another database does not unlock this one.
    (tmp_path / "demo-database").write_text("/somewhere/else.sqlite3")
    with pytest.raises(CommandError, match="演示"):
        call_command("totp", "demo2")


def test_enrolled_staff_cannot_rebind_without_an_administrator(client, province, make_user):
    user = make_user(province.centre, Role.OPERATOR, username="bound")
    client.post("/accounts/login/", {"identifier": "bound", "password": "Test-pass-2026"})
    assert client.get("/accounts/totp/enrol/").url == "/accounts/totp/"
    client.post("/accounts/totp/", {"code": fresh_code(user)})
    assert client.get("/accounts/totp/enrol/").url == "/"
