"""首次登录/激活账号: ID number + mobile (or student number) → password → logged in (issue 2 §6)."""

import pytest
from django.test import override_settings

from tests.factories import BorrowerFactory
from xuedai.audit.models import AuditEntry
from xuedai.orgs.models import Role, User

pytestmark = pytest.mark.django_db
GOOD = "Xue-dai-2026q"


@pytest.fixture
def borrower(db):
    return BorrowerFactory(student_no="2022010123")


def activate(client, id_number, fact, password=GOOD, password2=None):
    return client.post("/accounts/activate/", {
        "id_number": id_number, "fact": fact, "new_password1": password,
        "new_password2": password if password2 is None else password2,
    })


def test_activation_with_mobile_creates_and_links_a_student_account(client, borrower):
    response = activate(client, borrower.id_number, borrower.mobile)
    assert response.status_code == 302 and response.url == "/"
    borrower.refresh_from_db()
    user = borrower.user
    assert user.username == f"s{borrower.pk}" and user.role_codes == {Role.STUDENT}
    assert user.check_password(GOOD) and user.real_name == borrower.name
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get("/").status_code == 200  # no TOTP for students
    # And from now on the ID number logs in.
    client.post("/accounts/logout/")
    assert client.post("/accounts/login/", {"identifier": borrower.id_number, "password": GOOD}).url == "/"


def test_activation_with_student_number(client, borrower):
    assert activate(client, borrower.id_number, "2022010123").status_code == 302


def test_wrong_phone_is_refused_and_echoes_nothing(client, borrower):
    response = activate(client, borrower.id_number, "13900000000")
    body = response.content.decode()
    assert response.status_code == 200 and "身份核验未通过" in body
    assert borrower.id_number not in body and borrower.mobile not in body
    borrower.refresh_from_db()
    assert borrower.user is None and not User.objects.filter(username=f"s{borrower.pk}").exists()


def test_unknown_id_number_gets_the_same_message(client, borrower):
    other = BorrowerFactory.build().id_number  # valid checksum, no borrower
    body = activate(client, other, borrower.mobile).content.decode()
    assert "身份核验未通过" in body


@override_settings(XUEDAI_LOCKOUT_ATTEMPTS=3)
def test_wrong_facts_lock_the_id_number(client, borrower):
    for _ in range(2):
        activate(client, borrower.id_number, "13900000000")
    assert "已锁定" in activate(client, borrower.id_number, "13900000000").content.decode()
    # Even the right facts are refused while locked.
    assert "已锁定" in activate(client, borrower.id_number, borrower.mobile).content.decode()
    borrower.refresh_from_db()
    assert borrower.user is None
    entries = AuditEntry.objects.filter(action__in=["student_activate_failed", "account_locked"])
    assert entries.count() == 4
    assert not any(borrower.id_number in str(e.after) + e.object_repr for e in entries)


@pytest.mark.parametrize(("password", "message"), [
    ("Xd20040315ab", "出生日期"),      # the old default: the birth date (DOMAIN.md §9)
    ("ab03152004cd", "出生日期"),
    ("20040315200403", "只包含数字"),
])
def test_password_rules_apply_and_nothing_is_left_behind(client, borrower, password, message):
    body = activate(client, borrower.id_number, borrower.mobile, password).content.decode()
    assert message in body
    borrower.refresh_from_db()
    assert borrower.user is None  # the half-made account was rolled back
    assert not User.objects.filter(username=f"s{borrower.pk}").exists()


def test_bad_checksum_names_the_field(client, borrower):
    wrong = borrower.id_number[:-1] + ("0" if borrower.id_number[-1] != "0" else "1")
    body = activate(client, wrong, borrower.mobile).content.decode()
    assert "身份证号：身份证号校验位不正确" in body


def test_already_active_account_cannot_be_taken_over(client, borrower):
    activate(client, borrower.id_number, borrower.mobile)
    client.post("/accounts/logout/")
    body = activate(client, borrower.id_number, borrower.mobile, "Other-pass-2027").content.decode()
    assert "已激活" in body
    borrower.refresh_from_db()
    assert borrower.user.check_password(GOOD)


def test_existing_user_without_password_is_reused(client, borrower):
    user = User.objects.create(username="imported1")
    user.set_unusable_password()
    user.save()
    borrower.user = user
    borrower.save()
    assert activate(client, borrower.id_number, borrower.mobile).status_code == 302
    user.refresh_from_db()
    assert user.check_password(GOOD)


def test_county_resets_a_forgotten_password_after_checking_the_id_card(client, province, make_user):
    """The activation page promises it: the county clears the password, the student activates again."""
    from tests.orgs.helpers import staff_login

    student = BorrowerFactory(county=province.counties[0], university=province.universities[0])
    activate(client, student.id_number, student.mobile, "Lao-mima-2026q")
    client.post("/accounts/logout/")
    student.refresh_from_db()
    operator = make_user(student.county, Role.OPERATOR)
    staff_login(client, operator)
    assert "重置学生登录密码" in client.get(f"/borrowers/{student.pk}/").content.decode()
    client.post(f"/borrowers/{student.pk}/password-reset/", {})  # the ID card box not ticked
    student.user.refresh_from_db()
    assert student.user.has_usable_password()
    client.post(f"/borrowers/{student.pk}/password-reset/", {"identity_checked": "on"})
    student.user.refresh_from_db()
    assert not student.user.has_usable_password()
    assert AuditEntry.objects.filter(action="student_password_reset", actor=operator).exists()
    client.post("/accounts/logout/")
    assert activate(client, student.id_number, student.mobile, "Xin-mima-2026q").url == "/"
    client.post("/accounts/logout/")
    login = client.post("/accounts/login/", {"identifier": student.id_number, "password": "Xin-mima-2026q"})
    assert login.status_code == 302 and login.url == "/"
