"""Borrower services: identity numbers, derived fields, phones, duplicates, co-borrower policy rules,
emergency contacts, and the audit trail every write leaves (issue 2 §5)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests import factories
from tests.web.helpers import make_contract
from xuedai.audit.models import AuditEntry
from xuedai.audit.services import subject_key
from xuedai.borrowers import services
from xuedai.borrowers.rules import age_on, mask_name
from xuedai.identity.idnumbers import make_id_number
from xuedai.orgs.models import Role
from xuedai.origination.models import ContractState

pytestmark = pytest.mark.django_db

SIGNED_2015 = dt.date(2015, 10, 10)  # under the Sichuan 2012 version
SIGNED_2026 = dt.date(2026, 11, 20)  # under the 2021 national version
# An ID number carries the birth county's code as it was at birth: 510722 (三台县) exists only
# from 1985, so parents born earlier carry an older code such as 512921 (南充县, until 1993).
OLD_REGION = "512921"


def borrower_data(**overrides) -> dict:
    data = {
        "name": "张三丰", "id_number": make_id_number("510722", dt.date(2004, 3, 15), 123),
        "mobile": "13812345678", "household_region_code": "510722", "address": "四川省绵阳市三台县潼川镇",
        "enrolled_year": 2024, "graduation_date": dt.date(2028, 6, 30), "qq": "123456",
        "wechat": "zsf2004", "employer": "",
    }
    data.update(overrides)
    return data


def field_errors(exc: pytest.ExceptionInfo) -> dict[str, str]:
    return {field: " ".join(messages) for field, messages in exc.value.message_dict.items()}


def co_data(**overrides) -> dict:
    data = {"name": "张建国", "relation": "father", "mobile": "13912345678",
            "household_region_code": "510722",
            "id_number": make_id_number(OLD_REGION, dt.date(1975, 5, 1), 211)}
    data.update(overrides)
    return data


# ---- borrowers -------------------------------------------------------------------------------------

def test_create_derives_birth_date_and_gender_and_files_under_the_county(operator, county):
    male = services.borrower_create(actor=operator, data=borrower_data())
    female = services.borrower_create(actor=operator, data=borrower_data(
        name="王芳", id_number=make_id_number("510722", dt.date(2005, 12, 31), 124).lower()))
    assert (male.birth_date, male.gender) == (dt.date(2004, 3, 15), "M")
    assert (female.birth_date, female.gender) == (dt.date(2005, 12, 31), "F")
    assert female.id_number.endswith(female.id_number[-1].upper())  # normalised
    assert male.county == county and male.university is None


def test_create_is_audited_with_the_borrower_as_subject_and_masked_values(operator):
    borrower = services.borrower_create(actor=operator, data=borrower_data())
    entry = AuditEntry.objects.get(action="borrower_create")
    assert entry.subject_key == subject_key(borrower)
    assert entry.after["id_number"] == borrower.masked_id_number
    assert entry.after["mobile"] == "138****5678"
    assert borrower.id_number not in str(entry.after)


@pytest.mark.parametrize(("raw", "message"), [
    ("51072220040315", "身份证号应为18位"),
    ("5107222004031512", "身份证号应为18位"),
    ("510722200403151230", "校验位不正确"),
    ("51072220040230123X", "出生日期无效"),
    ("990722200403151236", "出生地(行政区划代码)无效"),
])
def test_identity_number_errors_name_the_field(operator, raw, message):
    with pytest.raises(ValidationError) as exc:
        services.borrower_create(actor=operator, data=borrower_data(id_number=raw))
    errors = field_errors(exc)
    assert message in errors["id_number"]
    assert errors["id_number"].startswith("身份证号")


@pytest.mark.parametrize("mobile", ["12812345678", "1381234567", "138123456789", "23812345678", ""])
def test_mobile_must_be_an_11_digit_mainland_number(operator, mobile):
    with pytest.raises(ValidationError) as exc:
        services.borrower_create(actor=operator, data=borrower_data(mobile=mobile))
    assert "手机号" in field_errors(exc)["mobile"]


def test_duplicate_identity_number_is_refused_naming_the_masked_holder_and_owner(operator, province):
    services.borrower_create(actor=operator, data=borrower_data())
    other_county = factories.make_user(province.counties[1], Role.OPERATOR)
    with pytest.raises(ValidationError) as exc:
        services.borrower_create(actor=other_county, data=borrower_data(household_region_code="511321"))
    assert field_errors(exc)["id_number"] == \
        "该身份证号已登记为借款学生：姓名 张**（所属 三台县学生资助管理中心）"


def test_household_must_be_the_operators_county(operator):
    with pytest.raises(ValidationError) as exc:
        services.borrower_create(actor=operator, data=borrower_data(household_region_code="511321"))
    assert "510722" in field_errors(exc)["household_region_code"]


def test_department_must_belong_to_the_university(operator, province):
    univ_a, univ_b = province.universities
    with pytest.raises(ValidationError) as exc:
        services.borrower_create(actor=operator, data=borrower_data(
            university=univ_a, department=province.departments[univ_b.pk][0]))
    assert "院系" in field_errors(exc)["department"]


def test_only_county_operators_and_university_officers_create(province, univ_officer):
    borrower = services.borrower_create(actor=univ_officer, data=borrower_data(
        department=province.departments[province.universities[0].pk][0]))
    assert borrower.university == province.universities[0] and borrower.county is None
    for org, role in [(province.counties[0], Role.SUPERVISOR), (province.centre, Role.OPERATOR),
                      (province.branch, Role.BANK_REVIEWER)]:
        with pytest.raises(PermissionDenied):
            services.borrower_create(actor=factories.make_user(org, role), data=borrower_data())


def test_update_records_only_changed_fields_and_rederives_from_a_new_id_number(operator):
    borrower = services.borrower_create(actor=operator, data=borrower_data())
    new_number = make_id_number("510722", dt.date(2003, 1, 2), 222)
    data = {"mobile": "13900001111", "id_number": new_number, "address": borrower.address}
    services.borrower_update(actor=operator, borrower=borrower, data=data)
    borrower.refresh_from_db()
    assert (borrower.birth_date, borrower.gender) == (dt.date(2003, 1, 2), "F")
    assert borrower.mobile == "13900001111"
    entry = AuditEntry.objects.get(action="borrower_update")
    assert set(entry.after) == {"mobile", "id_number"}
    assert entry.before["mobile"] == "138****5678" and entry.after["mobile"] == "139****1111"


def test_update_by_a_read_only_role_is_refused(operator, county):
    borrower = services.borrower_create(actor=operator, data=borrower_data())
    with pytest.raises(PermissionDenied):
        services.borrower_update(actor=factories.make_user(county, Role.AUDITOR), borrower=borrower,
                                 data={"mobile": "13900001111"})


def test_mask_name_and_age():
    assert mask_name("张三丰") == "张**"
    assert mask_name("张伟") == "张*"
    assert age_on(dt.date(1966, 11, 21), dt.date(2026, 11, 20)) == 59
    assert age_on(dt.date(1966, 11, 20), dt.date(2026, 11, 20)) == 60


# ---- co-borrowers under the two policy regimes ----------------------------------------------------

@pytest.fixture
def borrower(operator):
    return services.borrower_create(actor=operator, data=borrower_data())


def old_father() -> dict:
    # Born 1954-06-01: 61 on 2015-10-10 (too old under 2012), 72 in 2026 (parents exempt since 2020).
    return co_data(id_number=make_id_number(OLD_REGION, dt.date(1954, 6, 1), 311))


def test_2012_policy_applies_the_age_range_to_parents(policies, operator, borrower):
    with pytest.raises(ValidationError) as exc:
        services.co_borrower_add(actor=operator, borrower=borrower, data=old_father(), signed_on=SIGNED_2015)
    message = field_errors(exc)["id_number"]
    assert message.startswith("身份证号") and "25" in message and "60" in message and "61周岁" in message


def test_2021_policy_exempts_parents_from_the_age_range(policies, operator, borrower):
    co = services.co_borrower_add(actor=operator, borrower=borrower, data=old_father(), signed_on=SIGNED_2026)
    assert co.birth_date == dt.date(1954, 6, 1)
    entry = AuditEntry.objects.get(action="co_borrower_add")
    assert entry.subject_key == subject_key(borrower) and entry.object_type == "borrowers.coborrower"


def test_2021_policy_still_limits_a_non_parent(policies, operator, borrower):
    with pytest.raises(ValidationError) as exc:
        services.co_borrower_add(actor=operator, borrower=borrower,
                                 data={**old_father(), "relation": "other"}, signed_on=SIGNED_2026)
    assert "非父母的共同借款人" in field_errors(exc)["id_number"]


def test_2012_policy_refuses_a_parent_under_25(policies, operator, borrower):
    young = co_data(id_number=make_id_number("510722", dt.date(1991, 1, 1), 313))  # 24 in 2015
    with pytest.raises(ValidationError) as exc:
        services.co_borrower_add(actor=operator, borrower=borrower, data=young, signed_on=SIGNED_2015)
    assert "24周岁" in field_errors(exc)["id_number"]


@pytest.mark.parametrize("signed_on", [SIGNED_2015, SIGNED_2026])
def test_co_borrower_household_must_be_the_students_county(policies, operator, borrower, signed_on):
    with pytest.raises(ValidationError) as exc:
        services.co_borrower_add(actor=operator, borrower=borrower,
                                 data=co_data(household_region_code="511321"), signed_on=signed_on)
    assert "同县户籍" in field_errors(exc)["household_region_code"]


def test_unpaid_student_loan_refused_only_where_the_policy_says(policies, operator, borrower, county):
    # The prospective co-borrower once borrowed himself and is still repaying.
    former = factories.BorrowerFactory(county=county, birth_date=dt.date(1990, 1, 1))
    make_contract(former, state=ContractState.REPAYING, academic_year=2010, outstanding="3000")
    data = co_data(id_number=former.id_number, relation="other")
    with pytest.raises(ValidationError) as exc:
        services.co_borrower_add(actor=operator, borrower=borrower, data=data, signed_on=SIGNED_2026)
    assert "未结清" in field_errors(exc)["id_number"]
    assert services.co_borrower_add(actor=operator, borrower=borrower, data=data, signed_on=SIGNED_2015)


def test_the_student_cannot_be_their_own_co_borrower(policies, operator, borrower):
    with pytest.raises(ValidationError) as exc:
        services.co_borrower_add(actor=operator, borrower=borrower,
                                 data=co_data(id_number=borrower.id_number), signed_on=SIGNED_2026)
    assert "本人" in field_errors(exc)["id_number"]


def test_same_co_borrower_twice_is_refused(policies, operator, borrower):
    services.co_borrower_add(actor=operator, borrower=borrower, data=co_data(), signed_on=SIGNED_2026)
    with pytest.raises(ValidationError) as exc:
        services.co_borrower_add(actor=operator, borrower=borrower, data=co_data(), signed_on=SIGNED_2026)
    assert "已登记" in field_errors(exc)["id_number"]


def test_no_policy_in_force_is_a_clear_error(policies, operator, borrower):
    with pytest.raises(ValidationError) as exc:
        services.co_borrower_add(actor=operator, borrower=borrower, data=co_data(),
                                 signed_on=dt.date(2005, 1, 1))
    assert "政策版本" in " ".join(exc.value.messages)


def test_co_borrower_update_keeps_a_since_aged_co_borrower_editable(policies, operator, borrower):
    # An uncle aged 55 when signing in 2015 is 66 now: a phone change must still go through,
    # because only a change to what the rules judge (or a new signing date) re-judges eligibility.
    uncle = co_data(relation="other", id_number=make_id_number(OLD_REGION, dt.date(1960, 1, 1), 411))
    co = services.co_borrower_add(actor=operator, borrower=borrower, data=uncle, signed_on=SIGNED_2015)
    services.co_borrower_update(actor=operator, co_borrower=co, data={"mobile": "13700001111"})
    co.refresh_from_db()
    assert co.mobile == "13700001111"
    entry = AuditEntry.objects.get(action="co_borrower_update")
    assert entry.subject_key == subject_key(borrower) and entry.after == {"mobile": "137****1111"}
    with pytest.raises(ValidationError) as exc:
        services.co_borrower_update(actor=operator, co_borrower=co, data={"mobile": "13700002222"},
                                    signed_on=SIGNED_2026)
    assert "66周岁" in field_errors(exc)["id_number"]


# ---- emergency contacts and reveal ----------------------------------------------------------------

def test_emergency_contact_add_checks_the_phone_and_is_audited(operator, borrower):
    with pytest.raises(ValidationError) as exc:
        services.emergency_contact_add(actor=operator, borrower=borrower,
                                       data={"name": "李四", "relation": "舅舅", "mobile": "123"})
    assert "手机号" in field_errors(exc)["mobile"]
    services.emergency_contact_add(actor=operator, borrower=borrower,
                                   data={"name": "李四", "relation": "舅舅", "mobile": "13600001111"})
    entry = AuditEntry.objects.get(action="emergency_contact_add")
    assert entry.subject_key == subject_key(borrower) and entry.after["mobile"] == "136****1111"


def test_reveal_is_logged_and_limited_to_roles_that_need_it(operator, county, borrower):
    numbers = services.borrower_id_numbers_reveal(actor=operator, borrower=borrower, ip_address="10.0.0.1")
    assert numbers["borrower"] == borrower.id_number
    entry = AuditEntry.objects.get(action="borrower_reveal_id_number")
    assert entry.actor == operator and entry.ip_address == "10.0.0.1"
    assert entry.subject_key == subject_key(borrower)
    with pytest.raises(PermissionDenied):
        services.borrower_id_numbers_reveal(actor=factories.make_user(county, Role.AUDITOR),
                                            borrower=borrower)


def test_university_side_editors_cannot_move_a_student_out_of_their_scope(province, operator):
    univ_a, univ_b = province.universities
    dept_a1, dept_a2 = province.departments[univ_a.pk]
    borrower = services.borrower_create(actor=operator, data=borrower_data(university=univ_a,
                                                                           department=dept_a1))
    staff = factories.make_user(dept_a1, Role.DEPARTMENT_STAFF)
    services.borrower_update(actor=staff, borrower=borrower,
                             data={"university": univ_b, "department": dept_a2, "employer": "绵阳市某公司"})
    borrower.refresh_from_db()
    assert (borrower.university, borrower.department, borrower.employer) == (univ_a, dept_a1, "绵阳市某公司")
    officer = factories.make_user(univ_a, Role.UNIVERSITY_OFFICER)
    services.borrower_update(actor=officer, borrower=borrower,
                             data={"university": univ_b, "department": dept_a2})
    borrower.refresh_from_db()
    assert (borrower.university, borrower.department) == (univ_a, dept_a2)
