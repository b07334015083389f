"""Issue 2 §9: a county operator logs in with TOTP, a student logs in on a phone-width screen."""

import pyotp
import pytest

from tests import factories
from tests.browser.helpers import log_in
from xuedai.orgs.models import Role


@pytest.mark.django_db(transaction=True)
def test_county_operator_logs_in_with_totp(page):
    province = factories.build_province()
    operator = factories.make_user(province.counties[0], Role.OPERATOR, username="county_op")
    log_in(page, "county_op")
    # The password alone does not open the site: the second factor is asked for.
    assert "/accounts/totp/" in page.url, page.url
    page.goto("/borrowers/")
    assert "/accounts/totp/" in page.url
    page.fill("input[name=code]", pyotp.TOTP(operator.totp_secret).now())
    with page.expect_navigation():
        page.get_by_role("button", name="验证").click()
    assert "/accounts/" not in page.url, page.locator("main").inner_text()
    assert "三台县学生资助管理中心" in page.content()
    page.goto("/borrowers/")
    assert page.locator("h1").first.inner_text().strip() != ""


@pytest.mark.django_db(transaction=True)
def test_wrong_totp_is_refused(page):
    province = factories.build_province()
    factories.make_user(province.counties[0], Role.OPERATOR, username="county_op2")
    log_in(page, "county_op2")
    page.fill("input[name=code]", "000000")
    with page.expect_navigation():
        page.get_by_role("button", name="验证").click()
    assert "/accounts/totp/" in page.url
    assert page.locator(".invalid-feedback, .alert-danger, .text-danger").count() >= 1


@pytest.mark.django_db(transaction=True)
def test_student_logs_in_with_id_number_on_a_phone(phone_page):
    province = factories.build_province()
    borrower = factories.BorrowerFactory(county=province.counties[0], university=province.universities[0])
    user = factories.make_user(None, Role.STUDENT, username=f"s{borrower.pk}", with_totp=False)
    borrower.user = user
    borrower.save(update_fields=["user"])
    log_in(phone_page, borrower.id_number)
    assert "/accounts/login" not in phone_page.url, phone_page.locator("main").inner_text()
    html = phone_page.content()
    assert borrower.name in html
    # The full identity number is never shown, nor put in the address bar.
    assert borrower.id_number not in html
    assert borrower.id_number not in phone_page.url
    # The page fits a phone: nothing wider than the screen.
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1
