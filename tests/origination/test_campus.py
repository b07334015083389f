"""Campus national loans (DOMAIN.md §3.2; [002 (一)–(三)]; [003 第八–十五条]): the transition table,
the 5-day notice and objections, maker ≠ checker, the quota, the working-day clocks across National
Day, one contract per year, the monthly living-expense plan without February or August."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.origination.campus_fixtures import DAY, PAPERS
from xuedai import businessdate
from xuedai.origination.campus import rules
from xuedai.origination.campus.quota import quota_grant, quota_request
from xuedai.origination.campus.services import campus_act, campus_apply
from xuedai.origination.models import ContractEvent, Instalment, NoticeObjection
from xuedai.origination.models import ContractState as C
from xuedai.origination.workflow import IllegalTransition

pytestmark = pytest.mark.django_db


def test_full_path_writes_one_event_per_step(campus_walk, student):
    c = campus_walk(student(), C.DISBURSED)
    actions = list(ContractEvent.objects.filter(contract=c).values_list("action", flat=True))
    assert actions == [
        "create",
        "dept_review",
        "office_review",
        "office_send",
        "province_forward",
        "bank_check",
        "bank_approve",
        "sign",
        "disburse",
    ]
    assert c.state == C.DISBURSED and c.signed_on == dt.date(2025, 9, 22)


def test_papers_must_be_complete_before_the_department_review(campus, student):
    p = campus["people"]
    with businessdate.business_date(DAY):
        c = campus_apply(
            actor=p["officer"],
            borrower=student(),
            amount=Decimal("6000"),
            **{**PAPERS, "poverty_certificate": False},
        )
        with pytest.raises(IllegalTransition, match="民政部门家庭经济困难证明"):
            campus_act(actor=p["dept"], contract=c, action="dept_review")


def test_notice_period_blocks_the_office_review_until_it_ends(campus, campus_walk, student):
    c = campus_walk(student(), C.IN_NOTICE)
    assert (c.campus_file.notice_start, c.campus_file.notice_end) == (DAY, dt.date(2025, 9, 14))
    with (
        businessdate.business_date(dt.date(2025, 9, 14)),
        pytest.raises(IllegalTransition, match="公示期满后"),
    ):
        campus_act(actor=campus["people"]["officer"], contract=c, action="office_review")
    with businessdate.business_date(dt.date(2025, 9, 15)):
        c = campus_act(actor=campus["people"]["officer"], contract=c, action="office_review")
    assert c.state == C.OFFICE_REVIEWED


def test_open_objection_blocks_the_review_until_resolved(campus, campus_walk, student):
    p = campus["people"]
    c = campus_walk(student(), C.IN_NOTICE)
    with businessdate.business_date(dt.date(2025, 9, 12)):
        campus_act(actor=p["dept"], contract=c, action="object", raised_by="同班同学", content="家庭有车有房")
    objection = NoticeObjection.objects.get(contract=c)
    with businessdate.business_date(dt.date(2025, 9, 16)):
        with pytest.raises(IllegalTransition, match="1条异议尚未处理"):
            campus_act(actor=p["officer"], contract=c, action="office_review")
        campus_act(
            actor=p["officer"],
            contract=c,
            action="resolve",
            objection_id=objection.pk,
            resolution="经核实车辆为亲戚所有，异议不成立",
        )
        c = campus_act(actor=p["officer"], contract=c, action="office_review")
    objection.refresh_from_db()
    assert objection.resolved_by == p["officer"] and c.state == C.OFFICE_REVIEWED
    assert "异议不成立" in ContractEvent.objects.get(contract=c, action="resolve").comment


def test_maker_is_not_checker(campus, student):
    p = campus["people"]
    with businessdate.business_date(DAY):
        c = campus_apply(actor=p["dept"], borrower=student(), amount=Decimal("6000"), **PAPERS)
        with pytest.raises(IllegalTransition, match="须由另一人办理"):
            campus_act(actor=p["dept"], contract=c, action="dept_review")


def test_bank_approver_is_not_the_reviewer(campus, campus_walk, student):
    c = campus_walk(student(), C.BANK_CHECKED)
    with pytest.raises(IllegalTransition, match="须由另一人办理"):
        campus_act(actor=campus["people"]["reviewer"], contract=c, action="bank_approve")


def test_other_department_cannot_review(campus, campus_walk, student):
    c = campus_walk(student(), C.APPLIED)
    with pytest.raises(IllegalTransition, match="数据范围"):
        campus_act(actor=campus["people"]["other_dept"], contract=c, action="dept_review")


def test_illegal_move_raises(campus, campus_walk, student):
    c = campus_walk(student(), C.APPLIED)
    with pytest.raises(IllegalTransition, match="不能执行"):
        campus_act(actor=campus["people"]["reviewer"], contract=c, action="bank_approve")


def test_one_application_per_year(campus, campus_walk, student):
    borrower = student()
    campus_walk(borrower, C.APPLIED)
    with businessdate.business_date(DAY), pytest.raises(ValidationError, match="每学年只能签订一份"):
        campus_apply(actor=campus["people"]["officer"], borrower=borrower, amount=Decimal("3000"), **PAPERS)


def test_quota_request_capped_by_policy_rule(campus, quota_policy):
    with businessdate.business_date(DAY), pytest.raises(IllegalTransition, match=r"13,500,000\.00"):
        quota_request(actor=campus["people"]["officer"], enrolled_students=20000, amount=Decimal("14000000"))


def test_quota_dates_recorded_and_late_grant_flagged(campus, quota_policy):
    from xuedai.origination.campus.quota import quota_status

    p = campus["people"]
    with businessdate.business_date(dt.date(2025, 9, 4)):
        quota = quota_request(actor=p["officer"], enrolled_students=100, amount=Decimal("60000"))
    with businessdate.business_date(dt.date(2025, 9, 26)):
        quota = quota_grant(actor=p["prov"], quota=quota, amount=Decimal("60000"))
    status = quota_status(quota)
    assert quota.requested_on == dt.date(2025, 9, 4) and not status["request_late"]
    assert status["grant_late"] and status["room"] == Decimal("60000")


def test_approval_refused_when_it_would_exceed_the_quota(campus, campus_walk, student, quota_policy):
    first = campus_walk(student(), C.QUALIFIED, grant="10000")
    assert first.state == C.QUALIFIED
    second = campus_walk(student(), C.BANK_CHECKED)
    with (
        businessdate.business_date(dt.date(2025, 9, 19)),
        pytest.raises(IllegalTransition, match=r"超出.*剩余4,000.00元，本笔6,000.00元"),
    ):
        campus_act(actor=campus["people"]["approver"], contract=second, action="bank_approve")


def test_quota_not_granted_refuses_under_a_quota_policy(campus, campus_walk, student, quota_policy):
    c = campus_walk(student(), C.BANK_CHECKED)
    with businessdate.business_date(dt.date(2025, 9, 19)), pytest.raises(IllegalTransition, match="尚未下达"):
        campus_act(actor=campus["people"]["approver"], contract=c, action="bank_approve")


def test_per_student_limit_at_application(campus, student, quota_policy):
    with businessdate.business_date(DAY), pytest.raises(ValidationError, match="6,000"):
        campus_apply(actor=campus["people"]["officer"], borrower=student(), amount=Decimal("6500"), **PAPERS)


def test_working_day_clocks_across_national_day():
    # Sent Tue 30 Sep 2025: 1–8 Oct are holidays, Sat 11 Oct an adjusted workday.
    province = rules.clock("省教贷办转送", dt.date(2025, 9, 30), 3, dt.date(2025, 10, 9))
    assert province.deadline == dt.date(2025, 10, 11) and province.used == 1 and not province.overdue
    late = rules.clock("省教贷办转送", dt.date(2025, 9, 30), 3, dt.date(2025, 10, 13))
    assert late.used == 4 and late.overdue and "已超期" in late.text
    bank = rules.clock("银行审批", dt.date(2025, 9, 29), 5, dt.date(2025, 10, 1))
    assert bank.deadline == dt.date(2025, 10, 13) and bank.used == 1


def test_forward_event_records_the_clock(campus, campus_walk, student):
    p = campus["people"]
    c = campus_walk(student(), C.OFFICE_REVIEWED)
    with businessdate.business_date(dt.date(2025, 9, 30)):
        c = campus_act(actor=p["officer"], contract=c, action="office_send")
    with businessdate.business_date(dt.date(2025, 10, 13)):
        campus_act(actor=p["prov"], contract=c, action="province_forward")
    assert "已超期" in ContractEvent.objects.get(contract=c, action="province_forward").comment


def test_living_schedule_skips_february_and_august():
    plan = rules.living_schedule(Decimal("3000"), 2025, dt.date(2025, 10, 20))
    months = [day.month for day, _ in plan]
    assert months == [11, 12, 1, 3, 4, 5, 6, 7]
    assert sum(amount for _, amount in plan) == Decimal("3000") and plan[0][1] == Decimal("375")
    whole_year = rules.living_schedule(Decimal("1000"), 2025, dt.date(2025, 9, 1))
    assert [d.month for d, _ in whole_year] == [9, 10, 11, 12, 1, 3, 4, 5, 6, 7]
    assert all(d.month not in (2, 8) for d, _ in whole_year)


def test_disbursement_fees_to_university_living_monthly(campus_walk, student):
    c = campus_walk(student(), C.DISBURSED, amount="6000", tuition="4000", accommodation="1000")
    rows = list(Instalment.objects.filter(contract=c).order_by("sequence"))
    assert (rows[0].payee, rows[0].amount, rows[0].paid_on) == ("university", 5000, dt.date(2025, 10, 20))
    living = rows[1:]
    assert sum(r.amount for r in living) == Decimal("1000") and all(r.payee == "student" for r in living)
    assert all(r.due_on.month not in (2, 8) for r in living) and living[0].due_on == dt.date(2025, 11, 10)
