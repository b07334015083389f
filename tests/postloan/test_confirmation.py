"""毕业确认 [000 七, 八]: required fields named one by one, the student's application, the university's
edit / return / confirmation with its audit trail (maker ≠ checker), and the 30 June view."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.web.helpers import login
from xuedai.audit.models import AuditEntry
from xuedai.audit.services import subject_key
from xuedai.postloan import rules, selectors
from xuedai.postloan.models import ConfirmationStatus, EmploymentStatus, GraduationConfirmation
from xuedai.postloan.services import proposals
from xuedai.postloan.services.confirmation import (
    confirmation_apply,
    confirmation_confirm,
    confirmation_edit,
    confirmation_return,
)

pytestmark = pytest.mark.django_db


def form_data(borrower, **changes):
    data = proposals.flatten(proposals.from_records(borrower))
    data["employment_status"] = EmploymentStatus.EMPLOYED
    data["employer"] = data.get("employer") or "成都某某科技有限公司"
    data.update(changes)
    return data


def apply(borrower, **changes):
    data = form_data(borrower, **changes)
    proposed = proposals.from_flat(borrower, data,
                                   contact_id=proposals.from_records(borrower)["contact"]["id"])
    return confirmation_apply(actor=borrower.user, borrower=borrower, proposed=proposed,
                              employment_status=data["employment_status"])


def test_every_missing_field_is_named_in_chinese(world, client):
    b = world.graduate()
    co = b.co_borrowers.get()
    login(client, b.user)
    blank = {key: "" for key in form_data(b)}
    response = client.post(reverse("postloan:my_confirmation"), blank)
    assert response.status_code == 200
    errors = response.context["form"].errors
    expected = {
        "mobile": "本人手机号", "address": "家庭住址", "qq": "QQ号或微信号", "employment_status": "就业状态",
        f"co_{co.pk}_mobile": f"共同借款人{co.name}的手机号", "contact_name": "紧急联系人姓名",
        "contact_relation": "紧急联系人关系", "contact_mobile": "紧急联系人手机号",
    }
    for field, label in expected.items():
        assert field in errors, field
        assert errors[field][0].startswith(label), errors[field][0]
    html = response.content.decode()
    assert "还有以下项目需要填写或更正" in html and "本人手机号：必填" in html
    assert not GraduationConfirmation.objects.exists()


@pytest.mark.parametrize(("status", "employer", "message"), [
    (EmploymentStatus.EMPLOYED, "", "工作单位：已就业请填写工作单位名称"),
    (EmploymentStatus.FURTHER_STUDY, "", "工作单位：升学请填写录取院校名称"),
])
def test_employer_or_unemployed_status_is_required(world, status, employer, message):
    b = world.graduate()
    proposed = proposals.from_records(b)
    proposed["borrower"]["employer"] = employer
    errors = rules.confirmation_errors(proposed, status, proposals.co_borrower_names(b))
    assert errors["employer"].startswith(message)
    assert "employer" not in rules.confirmation_errors(proposed, EmploymentStatus.UNEMPLOYED,
                                                       proposals.co_borrower_names(b))


def test_malformed_values_are_named(world):
    b = world.graduate()
    proposed = proposals.from_records(b)
    proposed["borrower"].update(mobile="12345", qq="0123", wechat="1x", email="nobody", postal_code="12")
    proposed["contact"]["mobile"] = b.mobile
    errors = rules.confirmation_errors(proposed, EmploymentStatus.UNEMPLOYED, {})
    assert errors["mobile"].startswith("本人手机号应为11位")
    assert errors["qq"].startswith("QQ号：") and errors["wechat"].startswith("微信号：")
    assert errors["email"].startswith("电子邮箱：") and errors["postal_code"].startswith("邮编：")


def test_student_applies_on_the_page_and_nothing_changes_until_confirmed(world, client):
    b = world.graduate()
    old_mobile = b.mobile
    login(client, b.user)
    response = client.post(reverse("postloan:my_confirmation"), form_data(b, mobile="13900001111"))
    assert response.status_code == 302
    c = GraduationConfirmation.objects.get(borrower=b)
    assert c.status == ConfirmationStatus.APPLIED and c.changed and c.student_state_label == "已变更"
    b.refresh_from_db()
    assert b.mobile == old_mobile, "the university confirms before the record changes"
    html = client.get(reverse("postloan:my_confirmation")).content.decode()
    assert "等待学校确认" in html


def test_confirm_a_change_needs_the_paper_letter_checked_then_writes_the_records(world):
    b = world.graduate()
    co = b.co_borrowers.get()
    c = apply(b, mobile="13900001111", wechat="zhang_wei88", **{f"co_{co.pk}_mobile": "13700002222",
                                                               "contact_mobile": "13600003333"})
    with pytest.raises(ValidationError, match="还款确认书"):
        confirmation_confirm(actor=world.officer, confirmation=c)
    confirmation_confirm(actor=world.officer, confirmation=c, letter_checked=True)
    b.refresh_from_db()
    co.refresh_from_db()
    assert b.mobile == "13900001111" and b.wechat == "zhang_wei88" and b.employer == "成都某某科技有限公司"
    assert co.mobile == "13700002222"
    assert b.emergency_contacts.get().mobile == "13600003333"
    c.refresh_from_db()
    assert c.status == ConfirmationStatus.CONFIRMED and c.confirmed_by == world.officer and c.letter_checked


def test_audit_trail_names_maker_editor_and_checker(world):
    b = world.graduate()
    c = apply(b, mobile="13900001111")
    edited = {**c.proposed, "borrower": {**c.proposed["borrower"], "address": "成都市武侯区1号"}}
    confirmation_edit(actor=world.staff_a, confirmation=c, proposed=edited,
                      employment_status=c.employment_status)
    confirmation_confirm(actor=world.officer, confirmation=c, letter_checked=True)
    entries = list(AuditEntry.objects.filter(subject_key=subject_key(b)).order_by("id"))
    actions = [(e.action, e.actor) for e in entries]
    assert actions[0] == ("graduation_apply", b.user)
    assert ("graduation_edit", world.staff_a) in actions
    assert ("borrower_update", world.officer) in actions
    assert actions[-1] == ("graduation_confirm", world.officer)
    edit = next(e for e in entries if e.action == "graduation_edit")
    assert edit.before == {"address": b.address} and edit.after == {"address": "成都市武侯区1号"}
    apply_entry = entries[0]
    assert "13900001111" not in str(apply_entry.after), "phones are masked in the audit log"
    b.refresh_from_db()
    assert b.address == "成都市武侯区1号"


def test_department_edits_and_returns_but_only_the_loan_office_confirms(world):
    b = world.graduate()
    c = apply(b)
    with pytest.raises(PermissionDenied):
        confirmation_confirm(actor=world.staff_a, confirmation=c, letter_checked=True)
    with pytest.raises(PermissionDenied):
        confirmation_confirm(actor=b.user, confirmation=c, letter_checked=True)
    with pytest.raises(ValidationError, match="退回原因"):
        confirmation_return(actor=world.staff_a, confirmation=c, reason="")
    confirmation_return(actor=world.staff_a, confirmation=c, reason="手机号与确认书不一致")
    c.refresh_from_db()
    assert c.status == ConfirmationStatus.RETURNED
    with pytest.raises(ValidationError):
        confirmation_confirm(actor=world.officer, confirmation=c, letter_checked=True)
    again = apply(b, mobile="13911112222")
    assert again.pk == c.pk and again.status == ConfirmationStatus.APPLIED and again.return_reason == ""


def test_unchanged_application_confirms_without_the_letter(world):
    b = world.graduate(employer="成都某某科技有限公司")
    c = apply(b)
    assert not c.changed and c.student_state_label == "正常"
    confirmation_confirm(actor=world.officer, confirmation=c)
    assert not AuditEntry.objects.filter(action="borrower_update", subject_key=subject_key(b)).exists()


def test_unemployed_is_recorded_as_such(world):
    b = world.graduate(employer="")
    c = apply(b, employment_status=EmploymentStatus.UNEMPLOYED, employer="")
    confirmation_confirm(actor=world.officer, confirmation=c, letter_checked=True)
    b.refresh_from_db()
    assert b.employer == "待业"


def test_confirmed_application_is_locked_for_the_student(world, client):
    b = world.graduate()
    c = apply(b, mobile="13900001111")
    confirmation_confirm(actor=world.officer, confirmation=c, letter_checked=True)
    with pytest.raises(ValidationError, match="已确认"):
        apply(b)
    login(client, b.user)
    html = client.get(reverse("postloan:my_confirmation")).content.decode()
    assert "学校已于" in html and 'id="confirmation-form"' not in html


def test_review_page_compares_and_confirms(world, client):
    b = world.graduate()
    c = apply(b, mobile="13900001111")
    login(client, world.officer)
    html = client.get(reverse("postloan:confirmations") + "?year=2026").content.decode()
    assert b.name in html and "已变更" in html
    html = client.get(reverse("postloan:confirmation", args=[c.pk])).content.decode()
    assert "13900001111" in html and "table-warning" in html
    response = client.post(reverse("postloan:confirmation", args=[c.pk]), {"action": "confirm"})
    assert response.status_code == 200 and "纸质《还款确认书》" in response.content.decode()
    response = client.post(reverse("postloan:confirmation", args=[c.pk]),
                           {"action": "confirm", "letter_checked": "1"})
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.status == ConfirmationStatus.CONFIRMED


def test_edit_on_the_review_page_shows_field_errors(world, client):
    b = world.graduate()
    c = apply(b)
    login(client, world.staff_a)
    data = {**form_data(b), "action": "edit", "mobile": "123"}
    response = client.post(reverse("postloan:confirmation", args=[c.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["mobile"][0].startswith("本人手机号")


def test_30_june_view_by_department(world, client):
    a1, a2, a3 = (world.graduate(world.dept_a) for _ in range(3))
    b1 = world.graduate(world.dept_b)
    world.graduate(world.dept_b, state="settled")  # paid off: not counted at all
    c = apply(a1, mobile="13900001111")
    confirmation_confirm(actor=world.officer, confirmation=c, letter_checked=True)
    apply(a2)
    departments, missing = selectors.confirmation_progress(world.officer, 2026)
    by_name = {d.department: d for d in departments}
    assert (by_name[world.dept_a.name].total, by_name[world.dept_a.name].applied,
            by_name[world.dept_a.name].confirmed, by_name[world.dept_a.name].missing) == (3, 2, 1, 2)
    assert (by_name[world.dept_b.name].total, by_name[world.dept_b.name].missing) == (1, 1)
    assert {b.pk for b in missing} == {a2.pk, a3.pk, b1.pk}
    html = login(client, world.officer).get(reverse("postloan:progress") + "?year=2026").content.decode()
    assert "2026年6月30日" in html and a3.student_no in html and a1.student_no not in html
    # A department sees its own progress only.
    departments, missing = selectors.confirmation_progress(world.staff_b, 2026)
    assert [d.department for d in departments] == [world.dept_b.name]
