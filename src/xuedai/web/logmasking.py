"""Personal data out of every log line, the web server's access log included (docs/security.md).

Searches by ID number are POSTed (``borrowers.views``), but a typed or bookmarked address can still
carry one in its query string, and the next request's ``Referer`` repeats it. gunicorn writes its
access log itself, past Django's logging filters, so ``xuedai serve`` runs it with
``xuedai.web.gunicorn_logger.MaskedGunicornLogger``: every access and error line goes through
:class:`MaskingFilter`, as Django's own log lines do (settings ``LOGGING``).

:func:`mask_log_line`: ID numbers and mobile numbers anywhere (``identity.masking.mask_value``),
and in a query string also any run of six or more digits — a partial ID number (a region code, a
birth date) is personal data too, and nothing the site puts in a query string is that long.
"""

import logging
import re

from xuedai.identity.masking import mask_value

_QUERY = re.compile(r"\?[^\s\"]*")
_LONG_DIGITS = re.compile(r"\d{6,}[Xx]?")


def _mask_query(match: re.Match) -> str:
    return _LONG_DIGITS.sub(lambda m: m.group(0)[:2] + "*" * (len(m.group(0)) - 2), match.group(0))


def mask_log_line(text: str) -> str:
    return _QUERY.sub(_mask_query, mask_value(text))


class MaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_log_line(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
