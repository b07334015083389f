"""The student's side: register (first-time), apply online each year, edit or cancel before the county
accepts it [001 二.1, 附件二 三]. A renewal (续贷) reuses last year's co-borrower unless changed.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from xuedai import businessdate
from xuedai.audit.services import audit_record
from xuedai.borrowers import rules as borrower_rules
from xuedai.borrowers.models import Borrower, CoBorrower
from xuedai.identity.idnumbers import birth_date_of, gender_of
from xuedai.orgs.models import Organisation, OrgKind, Role, User
from xuedai.orgs.passwords import validate_password
from xuedai.orgs.services import user_create
from xuedai.policies.products import Product
from xuedai.policies.selectors import PolicyNotFound, policy_for

from .. import rules
from ..models import Application, ApplicationState, Contract
from ..workflow import APPLICATION_TRANSITIONS, IllegalTransition, transition_for
from .transitions import application_move

LABELS = dict(ApplicationState.choices)
FIELDS = ("amount", "term_years", "tuition", "accommodation", "co_borrower", "reason")


def student_borrower(actor: User) -> Borrower:
    if not actor.is_student:
        raise PermissionDenied("只有学生本人可以在线申请。")
    borrower = Borrower.objects.filter(user=actor).select_related("county", "university").first()
    if borrower is None:
        raise PermissionDenied("您的账号还没有关联借款学生信息，请先注册。")
    return borrower


def last_co_borrower(borrower: Borrower) -> CoBorrower | None:
    """续贷: the co-borrower of the latest earlier home-county contract, if still active."""
    contract = (Contract.objects.filter(borrower=borrower, product=Product.HOME_COUNTY,
                                        co_borrower__is_active=True)
                .order_by("-academic_year").select_related("co_borrower").first())
    return contract.co_borrower if contract else None


def is_renewal(borrower: Borrower) -> bool:
    return borrower.pk in rules.renewing_borrowers([borrower.pk])


def _errors(borrower: Borrower, data: dict, year: int, *, exclude_pk: int | None) -> list[str]:
    errors = []
    if borrower.county is None:
        return ["你的户籍所在县还没有开通生源地贷款受理，请联系县资助中心。"]
    today = businessdate.today()
    if problem := rules.acceptance_error(rules.season_of(borrower.county, year), today):
        errors.append(problem)
    if rules.year_locked(borrower.county, year):
        errors.append(rules.locked_message(borrower.county, year))
    if problem := (rules.duplicate_application_error(borrower, year, exclude_pk=exclude_pk)
                   or rules.one_per_year_error(borrower, year)):
        errors.append(problem)
    try:
        policy = policy_for(Product.HOME_COUNTY, borrower.county.region_code, today)
    except PolicyNotFound as exc:
        return [*errors, str(exc)]
    if problem := rules.amount_rule(policy, Decimal(data["amount"]), borrower):
        errors.append(problem)
    if problem := rules.term_rule(policy, int(data["term_years"]), borrower, year):
        errors.append(problem)
    co = data.get("co_borrower")
    if problem := rules.co_borrower_problems(policy, [(borrower, co)], today).get(borrower.pk):
        errors.append(problem)
    return errors


@transaction.atomic(durable=True)
def application_submit(*, actor: User, data: dict) -> Application:
    """贷款申请 → 新增: one application per student per academic year."""
    borrower = student_borrower(actor)
    transition_for(APPLICATION_TRANSITIONS, "submit", None, LABELS)
    year = rules.academic_year_of(businessdate.today())
    data = {name: data.get(name) for name in FIELDS}
    if data["co_borrower"] is None:  # 续贷: last year's; a first-timer: the one registered with them
        data["co_borrower"] = (last_co_borrower(borrower)
                               or borrower.co_borrowers.filter(is_active=True).order_by("pk").first())
    data["reason"] = data["reason"] or ""
    if errors := _errors(borrower, data, year, exclude_pk=None):
        raise ValidationError(errors)
    application = Application.objects.create(
        borrower=borrower, academic_year=year, county=borrower.county, university=borrower.university,
        is_renewal=is_renewal(borrower), submitted_on=businessdate.today(),
        **{k: v if v is not None else Decimal("0") for k, v in data.items()})
    audit_record(actor=actor, action="application_submit", obj=application, subject=borrower,
                 after={"amount": application.amount, "term_years": application.term_years})
    return application


def _own(actor: User, application: Application, action: str) -> Application:
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    transition_for(APPLICATION_TRANSITIONS, action, application.state, LABELS)
    if application.borrower.user_id != actor.pk:
        raise IllegalTransition("只能修改本人的申请。")
    return application


@transaction.atomic(durable=True)
def application_update(*, actor: User, application: Application, data: dict) -> Application:
    application = _own(actor, application, "edit")
    new = {name: data.get(name, getattr(application, name)) for name in FIELDS}
    if errors := _errors(application.borrower, new, application.academic_year, exclude_pk=application.pk):
        raise ValidationError(errors)
    for name, value in new.items():
        setattr(application, name, value if value is not None else getattr(application, name))
    application.save()
    audit_record(actor=actor, action="application_update", obj=application, subject=application.borrower,
                 after={"amount": application.amount, "term_years": application.term_years})
    return application


@transaction.atomic(durable=True)
def application_cancel(*, actor: User, application: Application) -> Application:
    application = _own(actor, application, "cancel")
    return application_move(actor=actor, application=application, action="cancel")


@transaction.atomic(durable=True)
def student_register(*, data: dict, password: str, co_borrower: dict) -> User:
    """在线注册 for a first-time applicant [001 附件二 三(一)1]: the student, a co-borrower, a login.

    The county is the centre whose region is the student's household county; identity, phone and
    co-borrower rules are the borrowers app's. No default password: the student chooses one.
    """
    errors: dict[str, str] = {}
    number, problem = borrower_rules.id_number_or_error(data.get("id_number", ""))
    if problem or (problem := borrower_rules.duplicate_borrower_error(number)):
        registered = "该身份证号已注册，请直接登录或首次登录激活。"
        errors["id_number"] = problem if "已登记" not in problem else registered
    if not (data.get("name") or "").strip():
        errors["name"] = "姓名不能为空。"
    if problem := borrower_rules.mobile_error(data.get("mobile", "")):
        errors["mobile"] = problem
    county = Organisation.objects.filter(kind=OrgKind.COUNTY_CENTRE, is_active=True,
                                         region_code=data.get("household_region_code", "")).first()
    if county is None:
        errors["household_region_code"] = "户籍所在县代码：没有找到该县的资助中心，请核对6位行政区划代码。"
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})
    borrower = Borrower.objects.create(
        name=data["name"].strip(), id_number=number, birth_date=birth_date_of(number),
        gender=gender_of(number), mobile=data["mobile"], household_region_code=county.region_code,
        address=data.get("address", ""), county=county, university=data.get("university"),
        major=data.get("major", ""), education_level=data["education_level"],
        enrolled_year=data["enrolled_year"], study_years=data["study_years"],
        graduation_date=data["graduation_date"], student_no=data.get("student_no", ""))
    co_number, problem = borrower_rules.id_number_or_error(co_borrower.get("id_number", ""),
                                                           "共同借款人身份证号")
    if problem or (problem := borrower_rules.mobile_error(co_borrower.get("mobile", ""), "共同借款人手机号")):
        raise ValidationError({"co_id_number": [problem]})
    if co_number == number:
        raise ValidationError({"co_id_number": ["共同借款人不能是学生本人。"]})
    CoBorrower.objects.create(borrower=borrower, name=co_borrower["name"], id_number=co_number,
                              relation=co_borrower["relation"], birth_date=birth_date_of(co_number),
                              mobile=co_borrower["mobile"],
                              household_region_code=co_borrower.get("household_region_code")
                              or county.region_code)
    user = user_create(actor=None, username=f"s{borrower.pk}", organisation=None, roles=[Role.STUDENT],
                       real_name=borrower.name)
    borrower.user = user
    borrower.save(update_fields=["user"])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(actor=user, action="student_register", obj=borrower,
                 after={"说明": "学生在线注册（首次申请生源地贷款）"})
    return user
