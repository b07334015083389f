"""Resident identity numbers (GB 11643): validation through python-stdnum, generation for demo/tests."""

import datetime as dt

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"


class IdNumberError(ValueError):
    """A Chinese message naming what is wrong with the number."""


def check_digit(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def make_id_number(region_code: str, birth_date: dt.date, sequence: int) -> str:
    """Build a valid number: region (6) + birth date (8) + sequence (3; odd = male) + check digit."""
    first17 = f"{region_code}{birth_date:%Y%m%d}{sequence % 1000:03d}"
    return first17 + check_digit(first17)


def clean_id_number(raw: str) -> str:
    """Normalise and validate; return the 18-character number or raise IdNumberError in Chinese.

    Length, format, checksum and birth date are stdnum's checks. The birth county is checked more
    loosely than stdnum does: stdnum wants the county code to have existed in the birth year, but a
    number carries the code in force when it was issued — a 三台县 parent born in 1975 holds
    510722…, a code assigned in 1985 — so any known code not abolished before the birth is accepted.
    """
    number = ric.compact(raw or "")
    try:
        ric.validate(number)
    except InvalidLength:
        raise IdNumberError("身份证号应为18位。") from None
    except InvalidFormat:
        raise IdNumberError("身份证号格式不正确：前17位须为数字，最后一位为数字或X。") from None
    except InvalidChecksum:
        raise IdNumberError("身份证号校验位不正确，请核对。") from None
    except InvalidComponent:
        # stdnum raises this for an impossible birth date and for an unknown birth county alike.
        try:
            birth = ric.get_birth_date(number)
        except InvalidComponent:
            raise IdNumberError("身份证号中的出生日期无效。") from None
        if not _county_code_usable(number[:6], birth.year):
            raise IdNumberError("身份证号中的出生地(行政区划代码)无效。") from None
    return number


def _county_code_usable(code: str, birth_year: int) -> bool:
    info = {key: value for _part, props in numdb.get("cn/loc").info(code) for key, value in props.items()}
    if "county" not in info:
        return False
    for county in info["county"].split(","):
        if not county.startswith("["):
            return True  # no dates recorded: in use throughout
        period = county[1:].split("]")[0]
        _start, end = period.split("-")
        if not end or birth_year <= int(end):
            return True
    return False


def birth_date_of(id_number: str) -> dt.date:
    return ric.get_birth_date(id_number)


def gender_of(id_number: str) -> str:
    """'M' or 'F': the 17th digit is odd for men."""
    return "M" if int(id_number[16]) % 2 else "F"

