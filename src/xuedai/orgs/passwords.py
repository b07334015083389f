"""Password rules beyond Django's (DOMAIN.md §9: default passwords equal to the birth date)."""

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError


class MixedCharactersValidator:
    """At least one letter and one digit."""

    def validate(self, password: str, user=None) -> None:
        if not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password)):
            raise ValidationError("密码须同时包含字母和数字。", code="password_not_mixed")

    def get_help_text(self) -> str:
        return "密码须同时包含字母和数字。"


class NotBirthDateValidator:
    """No password containing the holder's birth date (the old default of the bank system)."""

    def validate(self, password: str, user=None) -> None:
        borrower = getattr(user, "borrower", None) if user is not None and user.pk else None
        birth = getattr(borrower, "birth_date", None)
        if birth is None:
            return
        for form in (birth.strftime("%Y%m%d"), birth.strftime("%y%m%d"), birth.strftime("%m%d%Y")):
            if form in password:
                raise ValidationError("密码不能包含出生日期。", code="password_birth_date")

    def get_help_text(self) -> str:
        return "密码不能包含出生日期。"


def validate_password(password: str, user=None) -> None:
    """Django's validate_password, with messages Django's zh-hans catalogue lacks put into Chinese.

    Django 5.2 ships no zh-hans plural for MinimumLengthValidator's message, so it would show in
    English on a Chinese page; the other validators' messages are already translated.
    """
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError([_localised(e) for e in error.error_list]) from None


def _localised(error: ValidationError) -> ValidationError:
    if error.code == "password_too_short":
        minimum = (error.params or {}).get("min_length", "")
        return ValidationError(f"密码太短，至少需要 {minimum} 个字符。", code=error.code, params=error.params)
    return error
