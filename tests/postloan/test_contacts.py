"""Contacts [000 九]: the contact log and its rules, 失联 handed to the county (in the county's scope,
on its worklist, resolved there), and quarterly coverage per department."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests import factories
from tests.web.helpers import login
from xuedai.orgs.models import Role
from xuedai.postloan import rules, selectors
from xuedai.postloan.models import ContactLog, LostContactFlag, LostContactStatus
from xuedai.postloan.services.contacts import contact_record, lost_contact_flag, lost_contact_resolve

pytestmark = pytest.mark.django_db


def log(actor, borrower, on, result="reached", channel="phone", **kw):
    return contact_record(actor=actor, borrower=borrower,
                          data={"contacted_on": on, "channel": channel, "result": result, **kw})


def test_contact_log_fields_and_rules(world):
    b = world.graduate()
    entry = log(world.staff_a, b, dt.date(2026, 11, 2), channel="wechat", note="已提醒存款",
                next_step="12月复核", next_contact_on=dt.date(2026, 12, 11))
    assert (entry.get_channel_display(), entry.get_result_display()) == ("微信", "已联系上")
    assert entry.staff == world.staff_a and entry.next_contact_on == dt.date(2026, 12, 11)
    for bad, field in (({"channel": "fax"}, "channel"), ({"result": ""}, "result"),
                       ({"contacted_on": dt.date(2026, 11, 21)}, "contacted_on"),
                       ({"next_contact_on": dt.date(2026, 10, 1)}, "next_contact_on")):
        data = {"contacted_on": dt.date(2026, 11, 2), "channel": "phone", "result": "reached", **bad}
        with pytest.raises(ValidationError) as exc:
            contact_record(actor=world.staff_a, borrower=b, data=data)
        assert field in exc.value.message_dict
    # The auditor reads only; the bank's staff keep collection records (DOMAIN.md §5).
    with pytest.raises(PermissionDenied):
        contact_record(actor=factories.make_user(world.province.branch, Role.AUDITOR), borrower=b,
                       data={"channel": "phone", "result": "reached"})
    bank = contact_record(actor=factories.make_user(world.province.branch, Role.BANK_REVIEWER), borrower=b,
                          data={"channel": "phone", "result": "promised", "note": "银行催收"})
    assert bank.get_result_display() == "承诺按时还款"


def test_channels_are_the_six_the_seed_world_uses(world):
    from xuedai.postloan.models import ContactChannel

    assert [label for _, label in ContactChannel.choices] == ["电话", "短信", "微信", "QQ", "上门", "信函"]


def test_lost_contact_reaches_the_county_scope_and_worklist(world, client):
    b = world.graduate()
    with pytest.raises(ValidationError, match="情况说明"):
        log(world.staff_a, b, dt.date(2026, 11, 5), result="lost")
    log(world.staff_a, b, dt.date(2026, 11, 5), result="lost", note="电话停机，QQ、微信均无回复")
    flag = LostContactFlag.objects.get(borrower=b)
    assert flag.status == LostContactStatus.OPEN and flag.county == world.county
    assert lost_contact_flag(actor=world.staff_a, borrower=b, reason="再次") == flag  # one open flag
    # The county that signed sees it on its worklist; another county does not.
    assert list(selectors.lost_contact_worklist(world.county_operator)) == [flag]
    other_county_op = factories.make_user(world.province.counties[1], Role.OPERATOR)
    assert not selectors.lost_contact_worklist(other_county_op).exists()
    login(client, world.county_operator)
    assert client.get(reverse("postloan:home")).url == reverse("postloan:lost")
    html = client.get(reverse("postloan:lost")).content.decode()
    assert b.name in html and "电话停机" in html and b.id_number not in html
    response = client.post(reverse("postloan:lost_resolve", args=[flag.pk]),
                           {"found": "1", "resolution": "经村委会联系到本人，新手机已更新"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.status == LostContactStatus.FOUND and flag.resolved_by == world.county_operator
    login(client, other_county_op)
    assert client.post(reverse("postloan:lost_resolve", args=[flag.pk]),
                       {"found": "1", "resolution": "x"}).status_code == 404


def test_the_university_sees_its_flag_and_the_page_shows_it(world, client):
    b = world.graduate()
    flag = lost_contact_flag(actor=world.staff_a, borrower=b, reason="多次联系未果")
    assert list(selectors.lost_contact_worklist(world.officer)) == [flag]
    html = login(client, world.staff_a).get(reverse("postloan:borrower", args=[b.pk])).content.decode()
    assert "已标记失联" in html
    with pytest.raises(ValidationError, match="查找结果"):
        lost_contact_resolve(actor=world.county_operator, flag=flag, found=False, resolution="")
    with pytest.raises(PermissionDenied):
        lost_contact_flag(actor=world.county_operator, borrower=b, reason="x")


def test_contact_form_on_the_borrower_page(world, client):
    b = world.graduate()
    login(client, world.staff_a)
    response = client.post(reverse("postloan:contact_add", args=[b.pk]), {
        "contacted_on": "2026-11-18", "channel": "qq", "result": "promised", "note": "QQ群里回复",
        "next_contact_on": "2026-12-15"})
    assert response.status_code == 302
    entry = ContactLog.objects.get(borrower=b)
    assert entry.channel == "qq" and entry.next_contact_on == dt.date(2026, 12, 15)
    html = client.get(reverse("postloan:borrower", args=[b.pk])).content.decode()
    assert "QQ群里回复" in html and b.mobile in html  # the responsible staff need the number to call


def test_quarterly_coverage_per_department(world, client):
    today = dt.date(2026, 11, 20)
    a = [world.graduate(world.dept_a) for _ in range(4)]
    b = [world.graduate(world.dept_b) for _ in range(2)]
    world.graduate(world.dept_a, year=2027)  # not graduated yet: not counted
    world.graduate(world.dept_b, state="settled")  # paid off: not counted
    log(world.staff_a, a[0], dt.date(2026, 10, 8))
    log(world.staff_a, a[0], dt.date(2026, 11, 8))  # twice is still one borrower
    log(world.staff_a, a[1], dt.date(2026, 11, 1), result="promised")
    log(world.staff_a, a[2], dt.date(2026, 11, 1), result="no_answer")  # an attempt, not a contact
    log(world.staff_a, a[3], dt.date(2026, 9, 30))  # last quarter
    log(world.staff_b, b[0], dt.date(2026, 10, 1), channel="visit")
    rows = {r.department: r for r in selectors.coverage_by_department(world.officer, today)}
    assert (rows[world.dept_a.name].graduates, rows[world.dept_a.name].contacted) == (4, 2)
    assert rows[world.dept_a.name].percent == "50.0%"
    assert (rows[world.dept_b.name].graduates, rows[world.dept_b.name].contacted) == (2, 1)
    own = selectors.coverage_by_department(world.staff_b, today)
    assert [r.department for r in own] == [world.dept_b.name]
    html = login(client, world.officer).get(reverse("postloan:coverage")).content.decode()
    assert "2026-10-01" in html and "50.0%" in html


@pytest.mark.parametrize(("day", "start", "end"), [
    (dt.date(2026, 11, 20), dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
    (dt.date(2026, 1, 1), dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    (dt.date(2026, 6, 30), dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
])
def test_quarter_bounds(day, start, end):
    assert rules.quarter_bounds(day) == (start, end)


def test_a_bank_contact_marked_lost_raises_the_flag_and_guanzhu_and_a_reached_one_withdraws_it(world):
    """Issue 10 items 1 and 6: the bank's collection contact counts like the department's — 失联 raises
    the flag and 关注 (失联) on the owing contracts [004 第七条 (二)]; reaching the borrower lifts both."""
    from tests.postloan.ledger_world import disbursed
    from xuedai.reports.quarter.models import DesignationReason, GradeDesignation

    contract, _account = disbursed(world)  # owing: principal outstanding, the 2025 dues unpaid
    b = contract.borrower
    bank = factories.make_user(world.province.branch, Role.BANK_REVIEWER)
    log(bank, b, dt.date(2026, 11, 5), result="lost", note="银行催收：电话空号")
    flag = LostContactFlag.objects.get(borrower=b)
    assert flag.status == LostContactStatus.OPEN
    in_force = GradeDesignation.objects.filter(reason=DesignationReason.LOST_CONTACT,
                                               withdrawn_on__isnull=True)
    assert set(in_force.values_list("contract_id", flat=True)) == {contract.pk}
    log(bank, b, dt.date(2026, 11, 6), result="reached", note="借款人回电")
    flag.refresh_from_db()
    assert flag.status != LostContactStatus.OPEN
    assert not in_force.exists()
