"""The June graduation-confirmation season through the real pages (DOMAIN.md §5; seed [000 七, 八]):
the student fills and applies on a phone-width screen, the department's responsible staff member
sees it on their worklist, the university loan office confirms it against the paper letter, and
the 还款提醒卡 downloads as a card-sized PDF that renders with every glyph."""

import datetime as dt

import pytest

from tests import factories
from tests.browser.helpers import log_in
from tests.postloan.conftest import make_contract
from tests.web.helpers import make_policy_version
from xuedai import businessdate
from xuedai.borrowers.models import EmergencyContact
from xuedai.documents.checks import assert_no_missing_glyphs, pdf_page_count, pdf_to_png, png_is_blank
from xuedai.orgs.models import Role
from xuedai.policies.models import PolicyVersion
from xuedai.postloan.models import ConfirmationStatus, GraduationConfirmation
from xuedai.postloan.services.assignments import assignment_set

JUNE_10 = dt.date(2026, 6, 10)


def season():
    province = factories.build_province()
    university = province.universities[0]
    dept = province.departments[university.pk][0]
    # Transactional tests flush the migrations' policy rows; make one if it is gone.
    policy = (PolicyVersion.objects.filter(product="home_county").order_by("effective_from").first()
              or make_policy_version(effective_from=dt.date(2012, 7, 6), deposit_days_before=10))
    officer = factories.make_user(university, Role.UNIVERSITY_OFFICER, username="univ_officer")
    staff = factories.make_user(dept, Role.DEPARTMENT_STAFF, username="dept_staff")
    borrower = factories.BorrowerFactory(county=province.counties[0], university=university, department=dept,
                                         student_no="2022000123", graduation_date=dt.date(2026, 6, 30))
    factories.CoBorrowerFactory(borrower=borrower, birth_date=dt.date(1985, 5, 1), address=borrower.address)
    EmergencyContact.objects.create(borrower=borrower, name="李叔叔", relation="舅舅", mobile="13700000001")
    make_contract(borrower, policy_version=policy)
    student = factories.make_user(None, Role.STUDENT, username="student1", with_totp=False)
    borrower.user = student
    borrower.save(update_fields=["user"])
    assignment_set(actor=officer, borrower=borrower, staff=staff, note="四月分解到人")
    return borrower, officer, staff


@pytest.mark.django_db(transaction=True)
def test_june_graduation_confirmation_season(browser, live_server, phone_page, page):
    with businessdate.business_date(JUNE_10):
        borrower, officer, staff = season()
        co = borrower.co_borrowers.get()

        # 1. The student, on a phone: a missing field is named, then the application goes in.
        log_in(phone_page, borrower.id_number)
        assert "/accounts/" not in phone_page.url
        phone_page.goto("/postloan/me/confirmation/")
        assert "毕业确认" in phone_page.locator("h1").inner_text()
        phone_page.fill("input[name=mobile]", "")
        phone_page.fill("input[name=qq]", "")
        with phone_page.expect_navigation():
            phone_page.get_by_role("button", name="申请").click()
        errors = phone_page.locator("#form-errors").inner_text()
        assert "本人手机号：必填" in errors and "QQ号或微信号" in errors and "就业状态" in errors
        phone_page.fill("input[name=mobile]", "13900001111")
        phone_page.fill("input[name=wechat]", "zhang_wei88")
        phone_page.get_by_label("已就业").check()
        phone_page.fill("input[name=employer]", "成都某某科技有限公司")
        phone_page.fill(f"input[name=co_{co.pk}_mobile]", "13700002222")
        with phone_page.expect_navigation():
            phone_page.get_by_role("button", name="申请").click()
        assert "已提交毕业确认申请" in phone_page.locator("main").inner_text()
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
        assert borrower.id_number not in phone_page.content()
        confirmation = GraduationConfirmation.objects.get(borrower=borrower)
        assert confirmation.status == ConfirmationStatus.APPLIED and confirmation.changed

        # 2. The department's responsible staff member sees it on their own worklist.
        log_in(page, "dept_staff", totp_user=staff)
        page.goto("/postloan/worklist/")
        row = page.locator("#worklist tbody tr", has_text=borrower.student_no)
        assert "申请确认" in row.inner_text()

        # 3. The university loan office confirms it against the signed paper letter.
        page.context.clear_cookies()
        log_in(page, "univ_officer", totp_user=officer)
        page.goto("/postloan/confirmations/?year=2026")
        with page.expect_navigation():
            page.locator("#confirmation-queue tr", has_text=borrower.student_no).get_by_role(
                "link", name="核对").click()
        assert "13900001111" in page.locator("#comparison").inner_text()
        page.get_by_label("已将变更信息与学生签字的纸质《还款确认书》逐项核对无误").check()
        with page.expect_navigation():
            page.get_by_role("button", name="同意变更并确认").click()
        assert "已确认" in page.locator("main").inner_text()
        confirmation.refresh_from_db()
        borrower.refresh_from_db()
        assert confirmation.status == ConfirmationStatus.CONFIRMED and confirmation.confirmed_by == officer
        assert borrower.mobile == "13900001111" and borrower.employer == "成都某某科技有限公司"

        # 4. The 还款提醒卡 downloads and renders: card-sized, front and back, every glyph present.
        page.goto(f"/postloan/graduates/{borrower.pk}/")
        with page.expect_download() as download_info:
            page.locator("#card-link").click()
        pdf = open(download_info.value.path(), "rb").read()
        assert download_info.value.suggested_filename.endswith(".pdf")
        assert pdf_page_count(pdf) == 2
        assert_no_missing_glyphs(pdf, "还款提醒卡", "还款须知", borrower.name, "2026年12月20日")
        assert not any(png_is_blank(p) for p in pdf_to_png(pdf))
