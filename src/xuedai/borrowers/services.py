"""Writes to borrowers, co-borrowers and emergency contacts (docs/security.md).

Every function is keyword-only and atomic, validates with borrowers.rules, raises one
ValidationError keyed by field (forms and the API map it to the field), and writes an audit entry
whose subject is the borrower, so the borrower's change history shows every edit in one place.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from xuedai import businessdate
from xuedai.audit.services import audit_record, changed_fields
from xuedai.identity.idnumbers import birth_date_of, gender_of
from xuedai.orgs.models import Organisation, OrgKind, Role, User
from xuedai.policies.products import Product

from . import rules
from .models import Borrower, CoBorrower, EmergencyContact

BORROWER_FIELDS = [
    "name", "id_number", "ethnicity", "mobile", "email", "qq", "wechat", "household_region_code",
    "address", "postal_code", "university", "department", "student_no", "major", "education_level",
    "enrolled_year", "study_years", "graduation_date", "employer", "employer_address", "employer_phone",
]
CO_BORROWER_FIELDS = ["name", "id_number", "relation", "mobile", "household_region_code", "address",
                      "employer"]
CONTACT_FIELDS = ["name", "relation", "mobile", "address"]

# Who may write borrower data: the makers. Supervisors check, auditors and banks only read.
EDITOR_ROLES = (Role.OPERATOR, Role.UNIVERSITY_OFFICER, Role.DEPARTMENT_STAFF)
CO_BORROWER_EDITOR_ROLES = (Role.OPERATOR, Role.UNIVERSITY_OFFICER)


def creation_orgs(user: User) -> dict[str, Organisation]:
    """The organisations a new borrower is filed under, fixed by who creates it.

    A county operator files borrowers under their county (生源地, §3.1); a university officer under
    their university (校园地, §3.2). Anyone else cannot create borrowers.
    """
    org = user.organisation
    if org is not None and org.kind == OrgKind.COUNTY_CENTRE and user.has_role(Role.OPERATOR):
        return {"county": org}
    if org is not None and org.kind == OrgKind.UNIVERSITY and user.has_role(Role.UNIVERSITY_OFFICER):
        return {"university": org}
    raise PermissionDenied("只有县资助中心经办人或高校经办人可以新增借款学生。")


def can_edit(user: User) -> bool:
    return user.has_role(*EDITOR_ROLES)


def can_edit_co_borrowers(user: User) -> bool:
    return user.has_role(*CO_BORROWER_EDITOR_ROLES)


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})


def _borrower_errors(data: dict, *, exclude_pk: int | None, county: Organisation | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    number, problem = rules.id_number_or_error(data.get("id_number", ""))
    if problem:
        errors["id_number"] = problem
    else:
        data["id_number"] = number
        duplicate = rules.duplicate_borrower_error(number, exclude_pk=exclude_pk)
        if duplicate:
            errors["id_number"] = duplicate
    if not (data.get("name") or "").strip():
        errors["name"] = "姓名不能为空。"
    if problem := rules.mobile_error(data.get("mobile", "")):
        errors["mobile"] = problem
    if problem := rules.region_error(data.get("household_region_code", "")):
        errors["household_region_code"] = problem
    elif county is not None and county.region_code and data["household_region_code"] != county.region_code:
        # 生源地 loans are signed where the household is registered (§3.1).
        errors["household_region_code"] = (f"户籍所在县代码：应为{county.name}的代码{county.region_code}，"
                                           f"填写的是{data['household_region_code']}。")
    university, department = data.get("university"), data.get("department")
    if department is not None and (university is None or department.parent_id != university.pk):
        errors["department"] = "院系：所选院系不属于所选高校。"
    if data.get("graduation_date") and data.get("enrolled_year") and \
            data["graduation_date"].year < data["enrolled_year"]:
        errors["graduation_date"] = "预计毕业日期：不能早于入学年份。"
    return errors


@transaction.atomic(durable=True)
def borrower_create(*, actor: User, data: dict) -> Borrower:
    """Create a student borrower; birth date and gender come from the identity number."""
    orgs = creation_orgs(actor)
    data = {key: value for key, value in data.items() if key in BORROWER_FIELDS}
    if "university" in orgs:
        data["university"] = orgs["university"]
    _raise(_borrower_errors(data, exclude_pk=None, county=orgs.get("county")))
    borrower = Borrower(**data, county=orgs.get("county"), birth_date=birth_date_of(data["id_number"]),
                        gender=gender_of(data["id_number"]))
    borrower.save()
    audit_record(actor=actor, action="borrower_create", obj=borrower,
                 after={name: _plain(getattr(borrower, name)) for name in BORROWER_FIELDS})
    return borrower


@transaction.atomic
def borrower_update(*, actor: User, borrower: Borrower, data: dict) -> Borrower:
    """Edit a borrower (the caller has fetched it through borrower_get, so it is in scope)."""
    if not can_edit(actor):
        raise PermissionDenied("您的角色不能修改借款学生信息。")
    borrower = Borrower.objects.select_for_update(of=("self",)).get(pk=borrower.pk)
    new = {name: data.get(name, getattr(borrower, name)) for name in BORROWER_FIELDS}
    own_kind = actor.organisation.kind if actor.organisation else None
    # A university cannot hand its student to another university (the record would leave its
    # scope); a department cannot move a student to another department either.
    if own_kind in (OrgKind.UNIVERSITY, OrgKind.DEPARTMENT):
        new["university"] = borrower.university
    if own_kind == OrgKind.DEPARTMENT:
        new["department"] = borrower.department
    _raise(_borrower_errors(new, exclude_pk=borrower.pk, county=borrower.county))
    before, after = changed_fields(borrower, BORROWER_FIELDS, new)
    if not after:
        return borrower
    for name, value in after.items():
        setattr(borrower, name, value)
    if "id_number" in after:
        borrower.birth_date = birth_date_of(borrower.id_number)
        borrower.gender = gender_of(borrower.id_number)
    borrower.save()
    audit_record(actor=actor, action="borrower_update", obj=borrower,
                 before=_plain_dict(before), after=_plain_dict(after))
    return borrower


def _co_borrower_errors(*, borrower: Borrower, data: dict, signed_on: dt.date, product: str,
                        exclude_pk: int | None, check_policy: bool = True) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (data.get("name") or "").strip():
        errors["name"] = "姓名不能为空。"
    if problem := rules.mobile_error(data.get("mobile", "")):
        errors["mobile"] = problem
    if problem := rules.region_error(data.get("household_region_code", "")):
        errors["household_region_code"] = problem
    number, problem = rules.id_number_or_error(data.get("id_number", ""))
    if problem:
        errors["id_number"] = problem
        return errors
    data["id_number"] = number
    if CoBorrower.objects.filter(borrower=borrower, id_number=number).exclude(pk=exclude_pk).exists():
        errors["id_number"] = "身份证号：该共同借款人已登记在此学生名下。"
        return errors
    if not check_policy:
        return errors
    policy_errors = rules.co_borrower_errors(
        borrower=borrower, id_number=number, birth_date=birth_date_of(number),
        relation=data.get("relation", ""), household_region_code=data.get("household_region_code", ""),
        signed_on=signed_on, product=product)
    return {**policy_errors, **errors}


@transaction.atomic(durable=True)
def co_borrower_add(*, actor: User, borrower: Borrower, data: dict, signed_on: dt.date | None = None,
                    product: str = Product.HOME_COUNTY) -> CoBorrower:
    """Add a co-borrower checked against the policy in force on the signing date (default: today)."""
    if not can_edit_co_borrowers(actor):
        raise PermissionDenied("您的角色不能登记共同借款人。")
    data = {key: value for key, value in data.items() if key in CO_BORROWER_FIELDS}
    signed_on = signed_on or businessdate.today()
    _raise(_co_borrower_errors(borrower=borrower, data=data, signed_on=signed_on, product=product,
                               exclude_pk=None))
    co = CoBorrower.objects.create(borrower=borrower, birth_date=birth_date_of(data["id_number"]), **data)
    audit_record(actor=actor, action="co_borrower_add", obj=co, subject=borrower,
                 after={name: _plain(getattr(co, name)) for name in CO_BORROWER_FIELDS})
    return co


@transaction.atomic
def co_borrower_update(*, actor: User, co_borrower: CoBorrower, data: dict,
                       signed_on: dt.date | None = None, product: str = Product.HOME_COUNTY) -> CoBorrower:
    if not can_edit_co_borrowers(actor):
        raise PermissionDenied("您的角色不能修改共同借款人。")
    co = CoBorrower.objects.select_for_update(of=("self",)).select_related("borrower").get(pk=co_borrower.pk)
    new = {name: data.get(name, getattr(co, name)) for name in CO_BORROWER_FIELDS}
    if "is_active" in data:
        new["is_active"] = bool(data["is_active"])
    # Re-check the policy only when what it judges changes (or a signing date is given): a father
    # who has since turned 61 must still be able to get his phone number corrected.
    identity_changed = any(new[name] != getattr(co, name)
                           for name in ("id_number", "relation", "household_region_code"))
    _raise(_co_borrower_errors(borrower=co.borrower, data=new, signed_on=signed_on or businessdate.today(),
                               product=product, exclude_pk=co.pk,
                               check_policy=identity_changed or signed_on is not None))
    before, after = changed_fields(co, [*CO_BORROWER_FIELDS, "is_active"], new)
    if not after:
        return co
    for name, value in after.items():
        setattr(co, name, value)
    co.birth_date = birth_date_of(co.id_number)
    co.save()
    audit_record(actor=actor, action="co_borrower_update", obj=co, subject=co.borrower,
                 before=_plain_dict(before), after=_plain_dict(after))
    return co


@transaction.atomic
def emergency_contact_add(*, actor: User, borrower: Borrower, data: dict) -> EmergencyContact:
    if not can_edit(actor):
        raise PermissionDenied("您的角色不能登记紧急联系人。")
    data = {key: value for key, value in data.items() if key in CONTACT_FIELDS}
    errors: dict[str, str] = {}
    if not (data.get("name") or "").strip():
        errors["name"] = "姓名不能为空。"
    if not (data.get("relation") or "").strip():
        errors["relation"] = "关系不能为空。"
    if problem := rules.mobile_error(data.get("mobile", "")):
        errors["mobile"] = problem
    _raise(errors)
    contact = EmergencyContact.objects.create(borrower=borrower, **data)
    audit_record(actor=actor, action="emergency_contact_add", obj=contact, subject=borrower,
                 after={name: getattr(contact, name) for name in CONTACT_FIELDS})
    return contact


def borrower_id_numbers_reveal(*, actor: User, borrower: Borrower, ip_address: str | None = None) -> dict:
    """Show the full identity numbers of a borrower and their co-borrowers, and log that it happened.

    A read, but a logged one (docs/security.md): who saw whose full number, and when, is audit evidence.
    """
    if not can_reveal(actor):
        raise PermissionDenied("您的角色不能查看完整身份证号。")
    numbers = {"borrower": borrower.id_number,
               "co_borrowers": {co.pk: co.id_number for co in borrower.co_borrowers.all()}}
    audit_record(actor=actor, action="borrower_reveal_id_number", obj=borrower, ip_address=ip_address,
                 after={"revealed": f"借款学生及{len(numbers['co_borrowers'])}名共同借款人的完整身份证号"})
    return numbers


# Roles whose work needs whole numbers: makers printing contracts, checkers, bank review.
REVEAL_ROLES = (Role.OPERATOR, Role.SUPERVISOR, Role.UNIVERSITY_OFFICER, Role.BANK_REVIEWER,
                Role.BANK_APPROVER)


def can_reveal(user: User) -> bool:
    return user.has_role(*REVEAL_ROLES)


def _plain(value):
    # Audit JSON holds text: an organisation is recorded by name, a date in ISO form.
    if isinstance(value, Organisation):
        return value.name
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _plain_dict(values: dict) -> dict:
    return {key: _plain(value) for key, value in values.items()}
