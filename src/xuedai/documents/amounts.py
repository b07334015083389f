"""大写金额: amounts in Chinese capital numerals, as contracts and receipts write them.

Rules (the banking convention, 《支付结算办法》 附件 正确书写票据金额):
- whole yuan → "…元整"; 0 → "零元整";
- a zero 角 with a non-zero 分 writes 零: 1234.05 → 壹仟贰佰叁拾肆元零伍分;
- amounts ending in 元 or 角 take 整, amounts ending in 分 do not: 0.50 → 伍角整, 0.05 → 伍分;
- under one yuan has no 元;
- runs of zeros inside the integer part read as one 零: 100010 → 壹拾万零壹拾元整.
Implemented by hand rather than with cn2an's rmb mode, whose output for 10 and for amounts with a
zero 角 differs from the convention ("拾元" vs "壹拾元", missing 零 before 分).
"""

from decimal import ROUND_HALF_UP, Decimal

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿", "万亿")


def _four(group: int) -> str:
    """Read 0–9999 with 零 for inner zeros, no leading/trailing zero handling."""
    out, zero = [], False
    for pos in range(3, -1, -1):
        digit = group // 10**pos % 10
        if digit == 0:
            zero = bool(out)
        else:
            if zero:
                out.append("零")
                zero = False
            out.append(_DIGITS[digit] + _SMALL_UNITS[pos])
    return "".join(out)


def _integer(n: int) -> str:
    if n == 0:
        return ""
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out, need_zero = [], False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            need_zero = bool(out)
            continue
        # A zero between groups, or a group under 1000 after a higher group: 10,0010 → 拾万零拾
        if out and (need_zero or group < 1000):
            out.append("零")
        out.append(_four(group) + _BIG_UNITS[index])
        need_zero = False
    return "".join(out)


def amount_in_words(amount: Decimal) -> str:
    """6000.00 → 陆仟元整; 1234.56 → 壹仟贰佰叁拾肆元伍角陆分; 0 → 零元整.

    Rounds to the fen half-up (the one place money is rounded for printing); negatives get 负.
    """
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "负" if value < 0 else ""
    fen_total = int(abs(value) * 100)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    if fen_total == 0:
        return "零元整"
    words = _integer(yuan)
    if yuan:
        words += "元"
    if jiao == 0 and fen == 0:
        return sign + words + "整"
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif yuan:
        words += "零"
    words += _DIGITS[fen] + "分" if fen else "整"
    return sign + words


def money(amount: Decimal | None) -> str:
    """12345.6 → "12,345.60" for printed forms; None → ""."""
    if amount is None:
        return ""
    return f"{Decimal(amount).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"
