"""Masking of identity numbers and phones for lists, logs and list exports (docs/security.md).

5107221999010112 3X → 5107**********123X; 13812345678 → 138****5678.
"""

import logging
import re

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{4})\d{10}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask_id_number(id_number: str) -> str:
    if not id_number:
        return ""
    if len(id_number) != 18:
        return "*" * len(id_number)
    return f"{id_number[:4]}{'*' * 10}{id_number[-4:]}"


def mask_phone(phone: str) -> str:
    if not phone:
        return ""
    if len(phone) == 11:
        return f"{phone[:3]}****{phone[-4:]}"
    return phone[:2] + "*" * max(len(phone) - 4, 0) + phone[-2:]


def mask_value(text: str) -> str:
    """Mask every ID number and mobile number found inside free text."""
    text = _ID_NUMBER.sub(lambda m: f"{m.group(1)}{'*' * 10}{m.group(2)}", text)
    return _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)


class MaskPersonalDataFilter(logging.Filter):
    """A logging filter that masks ID numbers and phones in every log line."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_value(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
