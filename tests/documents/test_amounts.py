from decimal import Decimal

import pytest

from xuedai.documents.amounts import amount_in_words, money


@pytest.mark.parametrize(("amount", "words"), [
    ("6000.00", "陆仟元整"),
    ("1234.56", "壹仟贰佰叁拾肆元伍角陆分"),
    ("0.05", "伍分"),
    ("0.50", "伍角整"),
    ("10.00", "壹拾元整"),
    ("100010.00", "壹拾万零壹拾元整"),
    ("1000000.00", "壹佰万元整"),
    ("0", "零元整"),
    ("1234.05", "壹仟贰佰叁拾肆元零伍分"),
    ("1010.00", "壹仟零壹拾元整"),
    ("20100.50", "贰万零壹佰元伍角整"),
    ("105000", "壹拾万伍仟元整"),
    ("16000", "壹万陆仟元整"),
    ("100000000", "壹亿元整"),
    ("100000001.10", "壹亿零壹元壹角整"),
    ("0.005", "壹分"),  # rounded half-up to the fen before writing
    ("-20.00", "负贰拾元整"),
])
def test_amount_in_words(amount, words):
    assert amount_in_words(Decimal(amount)) == words


def test_money_format():
    assert money(Decimal("12345.6")) == "12,345.60"
    assert money(None) == ""
