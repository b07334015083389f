"""Password rules beyond Django's (issue 2 §6; DOMAIN.md §9: default passwords equal to the birth date)."""

import re

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
