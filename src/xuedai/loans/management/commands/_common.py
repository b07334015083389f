"""Shared bits of the loans commands: dates, the business date, progress lines."""

import datetime as dt

from django.core.management.base import CommandError

from xuedai import businessdate


def parse_date(value: str | None) -> dt.date:
    if not value:
        return businessdate.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value!r}") from None


def progress(stdout):
    return lambda line: stdout.write(line)
