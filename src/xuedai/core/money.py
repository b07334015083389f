"""Money: ``Decimal`` yuan, rounded to the fen in exactly one place.

ARCHITECTURE.md principle 1: money is ``Decimal``, never ``float``, and the rounding mode is named
where it is used. Every rounding of an amount in ``xuedai.core`` goes through :func:`round_fen`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
ZERO = Decimal("0")
# Far above any loan or portfolio total, and far below where 28-digit Decimal arithmetic runs out.
MAX_AMOUNT = Decimal(10) ** 15


class MoneyError(ValueError):
    """A value that cannot be read as an amount; ``message_zh`` is shown to users as is."""

    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


def shown(value: object, limit: int = 40) -> str:
    """``repr(value)`` cut to ``limit`` characters, for messages that quote what the user sent.

    >>> shown("9" * 100)[:12], len(shown("9" * 100))
    ("'99999999999", 41)
    """
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def round_fen(amount: Decimal) -> Decimal:
    """Round to the fen, half up (四舍五入), the way the bank rounds interest (DOMAIN.md §4 Rounding).

    Worked example: 6000 × 5.65% × 255/360 = 240.125 → ``round_fen`` → 240.13.

    >>> round_fen(Decimal("240.125"))
    Decimal('240.13')
    >>> round_fen(Decimal("-0.005"))
    Decimal('-0.01')
    """
    # ROUND_HALF_UP rounds a half away from zero; the seeds' 四舍五入 means exactly that.
    rounded = amount.quantize(FEN, rounding=ROUND_HALF_UP)
    # -0.00 would print as "-0.00"; a zero amount has no sign.
    return rounded if rounded != 0 else ZERO.quantize(FEN)


def to_decimal(value: object, *, what: str = "数值") -> Decimal:
    """Read a finite decimal from a string, int or ``Decimal``; a float is refused (it is not exact).

    >>> to_decimal("0.0565")
    Decimal('0.0565')
    """
    if isinstance(value, bool) or isinstance(value, float):
        # A float has already lost the decimal the user typed (0.1 is not 1/10).
        raise MoneyError(f'{what}须写成字符串形式的十进制数（如 "0.0565"），不能是浮点数')
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise MoneyError(f"{what}不是合法的十进制数：{shown(value)}") from None
    else:
        raise MoneyError(f"{what}不是合法的十进制数：{shown(value)}")
    if not result.is_finite():
        raise MoneyError(f"{what}必须是有限的数：{shown(value)}")
    return result


def to_money(value: object, *, what: str = "金额") -> Decimal:
    """Read an amount in yuan with at most two decimals (fen); more decimals are an error, not rounded.

    >>> to_money("6000")
    Decimal('6000.00')
    >>> to_money("103.5800")
    Decimal('103.58')
    """
    amount = to_decimal(value, what=what)
    if abs(amount) >= MAX_AMOUNT:
        raise MoneyError(f"{what}超出支持的范围：{shown(value)}")
    if amount != amount.quantize(FEN, rounding=ROUND_HALF_UP):
        # Silently rounding an entered amount would move money; refuse instead.
        raise MoneyError(f"{what}最多两位小数（到分）：{shown(value)}")
    return round_fen(amount)


def format_money(amount: Decimal) -> str:
    """Two-decimal string of an amount, as every statement and the quote API print it.

    >>> format_money(Decimal("339"))
    '339.00'
    """
    return f"{round_fen(amount):f}"


def display_money(amount: Decimal | int | str | None, *, sign: str = "¥") -> str:
    """An amount as pages and documents show it: thousands separators, two decimals, the yuan sign.

    >>> display_money(Decimal("1234567.5"))
    '¥1,234,567.50'
    >>> display_money(Decimal("-20"), sign="")
    '-20.00'
    """
    if amount is None or amount == "":
        return "—"
    return f"{sign}{round_fen(Decimal(amount)):,.2f}"


def display_rate(rate: Decimal | str | None, places: int = 2) -> str:
    """A rate stored as a fraction, shown as a percentage with a space before the sign.

    >>> display_rate(Decimal("0.029"))
    '2.90 %'
    """
    if rate is None or rate == "":
        return "—"
    return f"{Decimal(rate) * 100:.{places}f} %"
