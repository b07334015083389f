"""Cell parsers for imports: each returns a parser that turns one Excel cell into a value or raises
ParseError with a Chinese message the user can act on ("金额须为数字", not "InvalidOperation")."""

import datetime as dt
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from xuedai.identity.idnumbers import IdNumberError, clean_id_number


class ParseError(ValueError):
    """The message is shown to the user as is."""


Parser = Callable[[Any], Any]


def text(max_length: int | None = None, pattern: str | None = None, message: str = "格式不正确。") -> Parser:
    compiled = re.compile(pattern) if pattern else None

    def parse(value: Any) -> str:
        # Excel turns typed digits into numbers: 13812345678 arrives as int, 2024.0 as float.
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        result = str(value).strip()
        if max_length and len(result) > max_length:
            raise ParseError(f"不能超过{max_length}个字符。")
        if compiled and not compiled.fullmatch(result):
            raise ParseError(message)
        return result

    parse.excel_text = True
    return parse


# Far above any amount or count a form holds, far below where quantize to the fen fails (28 digits).
MAX_MAGNITUDE = Decimal(10) ** 15


def decimal(*, places: int = 2, min_value: Decimal | None = None, max_value: Decimal | None = None,
            multiple_of: Decimal | None = None) -> Parser:
    def parse(value: Any) -> Decimal:
        if isinstance(value, bool):
            raise ParseError("须为数字。")
        if isinstance(value, float):
            value = repr(value)  # shortest round-trip decimal (inf and nan are refused below)
        raw = str(value).strip().replace(",", "").replace("，", "")
        try:
            # str(float) is the shortest repr, so 6000.1 stays 6000.1 and not 6000.0999…
            number = Decimal(raw)
        except InvalidOperation:
            raise ParseError("须为数字。") from None
        if not number.is_finite():
            raise ParseError("须为数字。")
        if abs(number) >= MAX_MAGNITUDE:  # 1e100000 cannot be quantized (nor stored): refuse first
            raise ParseError("数值超出支持的范围。")
        if number != number.quantize(Decimal(1).scaleb(-places)):
            raise ParseError(f"最多{places}位小数。")
        if min_value is not None and number < min_value:
            raise ParseError(f"不能小于{min_value}。")
        if max_value is not None and number > max_value:
            raise ParseError(f"不能大于{max_value}。")
        if multiple_of and number % multiple_of:
            raise ParseError(f"须为{multiple_of}的整数倍。")
        return number.quantize(Decimal(1).scaleb(-places))

    return parse


def integer(*, min_value: int | None = None, max_value: int | None = None) -> Parser:
    as_decimal = decimal(places=0)

    def parse(value: Any) -> int:
        try:
            number = int(as_decimal(value))
        except ParseError:
            raise ParseError("须为整数。") from None
        if min_value is not None and number < min_value:
            raise ParseError(f"不能小于{min_value}。")
        if max_value is not None and number > max_value:
            raise ParseError(f"不能大于{max_value}。")
        return number

    return parse


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def date() -> Parser:
    def parse(value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
            # A date cell without a date format arrives as Excel's serial number (days since 1899-12-30).
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        raw = str(value).strip()
        for fmt in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(raw, fmt).date()
            except ValueError:
                continue
        raise ParseError("日期格式不正确，应为 2024-09-01。")

    return parse


def id_number() -> Parser:
    def parse(value: Any) -> str:
        if isinstance(value, int | float) and not isinstance(value, bool):
            # An 18-digit number stored as a number has already lost its last digits to Excel's
            # 15-digit precision; nothing can recover them.
            raise ParseError("身份证号须以文本格式填写（数字格式会丢失末几位），请将该列设为文本后重新输入。")
        try:
            return clean_id_number(str(value))
        except IdNumberError as exc:
            raise ParseError(str(exc)) from None

    parse.excel_text = True  # the template preformats this column as text
    return parse


def choice(options: Mapping[str, str]) -> Parser:
    """options maps the Chinese label (what users type) to the stored value; either is accepted."""
    by_label = {label.strip(): code for label, code in options.items()}
    codes = set(options.values())

    def parse(value: Any) -> str:
        raw = str(value).strip()
        if raw in by_label:
            return by_label[raw]
        if raw in codes:
            return raw
        raise ParseError("应为以下之一：" + "、".join(by_label) + "。")

    return parse
