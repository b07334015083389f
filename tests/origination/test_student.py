"""The student's side: register, apply (first-time and renewal with last year's co-borrower), edit,
cancel, print; and the county turning the application into a contract (新增合同)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.web.helpers import login, make_contract
from xuedai.orgs.models import User
from xuedai.origination import services
from xuedai.origination.models import Application, ApplicationState, ContractState


def apply(people, **data):
    return services.application_submit(actor=people["student"],
                                       data={"amount": Decimal("8000"), "term_years": 18, **data})


def test_first_application_then_new_contract(people, borrower):
    application = apply(people)
    assert application.state == ApplicationState.SUBMITTED and not application.is_renewal
    assert application.co_borrower == borrower.co_borrowers.get()  # the one registered with them
    [contract] = services.contracts_from_applications(actor=people["operator"], applications=[application])
    application.refresh_from_db()
    assert application.state == ApplicationState.ACCEPTED and contract.application == application
    with pytest.raises(Exception, match=r"不能再新增合同|每名学生每学年"):
        services.contracts_from_applications(actor=people["operator"], applications=[application])


def test_renewal_reuses_last_years_co_borrower(people, borrower):
    co = borrower.co_borrowers.first()
    make_contract(borrower, state=ContractState.REPAYING, academic_year=2025, co_borrower=co)
    application = apply(people)
    assert application.is_renewal and application.co_borrower == co


def test_one_application_per_year_and_messages(people, borrower):
    apply(people)
    with pytest.raises(ValidationError, match="每学年只能申请一次"):
        apply(people)
    with pytest.raises(ValidationError, match="100元的整数倍"):
        services.application_update(actor=people["student"], application=Application.objects.get(),
                                    data={"amount": Decimal("8050")})


def test_cancel_then_apply_again(people, borrower):
    application = apply(people)
    services.application_cancel(actor=people["student"], application=application)
    assert apply(people).pk != application.pk


def test_apply_page_and_pdf(client, people, borrower):
    login(client, people["student"])
    response = client.post("/origination/apply/", {"amount": "8000", "term_years": "18",
                                                   "co_borrower": borrower.co_borrowers.first().pk})
    assert response.status_code == 302
    application = Application.objects.get()
    body = client.get("/origination/apply/").content.decode()
    assert "已提交(待县资助中心受理)" in body
    pdf = client.get(f"/origination/applications/{application.pk}/form.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_another_student_cannot_see_the_form(client, people, borrower, make_user):
    application = apply(people)
    other = make_user(None, "student", with_totp=False)
    login(client, other)
    assert client.get(f"/origination/applications/{application.pk}/form.pdf").status_code == 404


def test_register_page_creates_student_and_co_borrower(client, county, uni):
    from xuedai.identity.idnumbers import make_id_number

    data = {"name": "赵小明", "id_number": make_id_number("510722", dt.date(2007, 5, 5), 11),
            "mobile": "13912345678", "household_region_code": "510722", "address": "三台县",
            "university": uni.pk, "education_level": "undergraduate", "enrolled_year": 2026,
            "study_years": 4, "graduation_date": "2030-06-30", "co_name": "赵大明",
            "co_id_number": make_id_number("110101", dt.date(1975, 5, 1), 12), "co_relation": "father",
            "co_mobile": "13812345678", "password": "Zhao-xiaoming-2026"}
    response = client.post("/origination/register/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(real_name="赵小明")
    assert user.is_student and user.borrower.county == county
    assert user.borrower.co_borrowers.get().name == "赵大明"
    again = client.post("/origination/register/", data).content.decode()
    assert "已注册" in again


def test_a_student_with_this_years_contract_is_told_so_not_offered_the_form(client, people, borrower):
    from xuedai import businessdate
    from xuedai.origination import rules

    year = rules.academic_year_of(businessdate.today())
    make_contract(borrower, state=ContractState.SIGNED, academic_year=year)
    login(client, people["student"])
    body = client.get("/origination/apply/").content.decode()
    assert 'id="apply-closed"' in body and "已有生源地贷款合同" in body
    assert "提交申请" not in body and 'name="amount"' not in body
    client.post("/origination/apply/", {"amount": "8000", "term_years": "18"})
    assert not Application.objects.exists()


def test_a_refused_application_keeps_what_the_student_typed(client, people, borrower):
    login(client, people["student"])
    response = client.post("/origination/apply/", {"amount": "8050", "term_years": "18", "reason": "家庭困难",
                                                   "co_borrower": borrower.co_borrowers.first().pk})
    body = response.content.decode()
    assert response.status_code == 200 and "100元的整数倍" in body
    assert 'value="8050"' in body and "家庭困难" in body
