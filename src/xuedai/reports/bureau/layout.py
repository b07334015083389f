"""The fixed layout of the 征信报送文件 (docs/征信报送文件格式.md says the same, field by field;
tests/reports/test_credit_layout.py holds the two together).

A file is GB18030 text, one record per line ending CRLF, every line :data:`RECORD_WIDTH` bytes: a
header (H), the records (A base, C correction), a trailer (T). Widths are in bytes: a Chinese
character of a name takes 2 (GB18030). Kinds:

- ``X`` text, left-justified, padded with spaces (a name cut at a whole character);
- ``9`` a whole number, right-justified, padded with zeros;
- ``M`` money in fen (元 × 100), as ``9``;
- ``D`` a date YYYYMMDD, spaces when there is none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

ENCODING = "gb18030"
LINE_END = b"\r\n"


@dataclass(frozen=True)
class Field:
    name: str
    width: int
    kind: str  # X, 9, M, D
    meaning: str


RECORD_FIELDS = (
    Field("record_type", 1, "X", "记录类型：A 正常记录，C 更正记录（整条替换该月已报记录）"),
    Field("month", 6, "9", "记录月份，年4位月2位（金额均为该月最后一天日终数）"),
    Field("contract_no", 32, "X", "借款合同编号"),
    Field("id_type", 1, "X", "证件类型：0 居民身份证"),
    Field("id_number", 18, "X", "证件号码（完整，报送征信系统所需）"),
    Field("name", 30, "X", "借款人姓名"),
    Field("product", 1, "9", "业务种类：1 生源地信用助学贷款，2 校园地国家助学贷款，3 商业助学贷款"),
    Field("disbursed_on", 8, "D", "发放日期"),
    Field("maturity_date", 8, "D", "到期日期"),
    Field("amount", 12, "M", "合同金额（分）"),
    Field("balance", 12, "M", "月末贷款余额（分）"),
    Field("due_amount", 12, "M", "本月应还款金额：本月到期的本金和自付利息（分）"),
    Field("paid_amount", 12, "M", "本月实际还款金额（分）"),
    Field("overdue_principal", 12, "M", "月末逾期本金（分），不含不报送部分"),
    Field("overdue_interest", 12, "M", "月末逾期利息、罚息和复利（分），不含不报送部分"),
    Field("overdue_days", 4, "9", "月末逾期天数：最早一笔应报送的未还到期款的天数，最大 9999"),
    Field("status", 1, "X", "当月还款状态：* 无需还款，N 正常，1–7 逾期 1–30 天…181 天以上，C 结清"),
    Field("waived_amount", 12, "M", "本月免除的利息和罚息（分）：免息政策减免，不报送为欠款"),
    Field("held_overdue", 12, "M", "月末疫情相关逾期本息（分）：2022 年政策，不报送为逾期"),
    Field("not_reportable", 1, "9", "不报送标志：0 无，1 含免息金额，2 含疫情相关逾期，3 两者皆有"),
)
HEADER_FIELDS = (
    Field("record_type", 1, "X", "H 文件头"),
    Field("organisation_code", 20, "X", "报送机构代码"),
    Field("month", 6, "9", "报送月份，年4位月2位"),
    Field("sequence", 4, "9", "文件序号"),
    Field("created_on", 8, "D", "生成日期"),
    Field("records", 10, "9", "记录总数（A 与 C）"),
)
TRAILER_FIELDS = (
    Field("record_type", 1, "X", "T 文件尾"),
    Field("base_records", 10, "9", "正常记录数"),
    Field("corrections", 10, "9", "更正记录数"),
    Field("balance_total", 16, "M", "各记录月末贷款余额合计（分）"),
)
RECORD_WIDTH = sum(f.width for f in RECORD_FIELDS)  # 207

PRODUCT_CODES = {"home_county": 1, "campus": 2, "commercial": 3}
PRODUCT_OF_CODE = {v: k for k, v in PRODUCT_CODES.items()}


class LayoutError(ValueError):
    """A line that does not fit the layout, in Chinese, naming the line and field."""


def positions(fields=RECORD_FIELDS) -> list[tuple[Field, int]]:
    """Each field with its first position, counting from 1 as the document does."""
    out, start = [], 1
    for field in fields:
        out.append((field, start))
        start += field.width
    return out


def status_of(values: dict) -> str:
    """The month's status character (DOMAIN.md §4 Overdue: n days overdue on D + n)."""
    days = values["overdue_days"]
    if values["overdue_principal"] or values["overdue_interest"]:
        return str(min(7, max(1, (days + 29) // 30)))
    if not values["balance"] and not values["held_overdue"]:
        return "C"
    if values["due_amount"] or values["paid_amount"]:
        return "N"
    return "*"


def not_reportable_of(values: dict) -> int:
    return (1 if values["waived_amount"] else 0) + (2 if values["held_overdue"] else 0)


def _fen(value) -> int:
    return int((Decimal(value) * 100).to_integral_value())


def _text(value, width: int) -> bytes:
    raw = str(value or "").encode(ENCODING)
    if len(raw) > width:  # cut at a whole character (rare: a name of 16 characters or more)
        raw = b""
        for ch in str(value):
            piece = ch.encode(ENCODING)
            if len(raw) + len(piece) > width:
                break
            raw += piece
    return raw + b" " * (width - len(raw))


def _cell(field: Field, value) -> bytes:
    if field.kind == "X":
        return _text(value, field.width)
    if field.kind == "D":
        return (b"%04d%02d%02d" % (value.year, value.month, value.day)) if value else b" " * field.width
    number = _fen(value) if field.kind == "M" else int(value)
    text = b"%0*d" % (field.width, number)
    if number < 0 or len(text) > field.width:
        raise LayoutError(f"字段 {field.name}：{value} 超出 {field.width} 位")
    return text


def _line(fields, values: dict) -> bytes:
    data = b"".join([_cell(f, values[f.name]) for f in fields])
    return data.ljust(RECORD_WIDTH, b" ") + LINE_END


def record_line(row: dict) -> bytes:
    """One A or C record from a CreditRecord's values (status and flag derived here)."""
    values = {
        **row,
        "id_type": "0",
        "month": int(row["month"].strftime("%Y%m")),
        "product": PRODUCT_CODES.get(row["product"], 0),
        "overdue_days": min(int(row["overdue_days"]), 9999),
    }
    values["status"] = status_of(values)
    values["not_reportable"] = not_reportable_of(values)
    return _line(RECORD_FIELDS, values)


def header_line(
    *, organisation_code: str, month: dt.date, sequence: int, created_on: dt.date, records: int
) -> bytes:
    return _line(
        HEADER_FIELDS,
        {
            "record_type": "H",
            "organisation_code": organisation_code,
            "month": int(month.strftime("%Y%m")),
            "sequence": sequence,
            "created_on": created_on,
            "records": records,
        },
    )


def trailer_line(*, base_records: int, corrections: int, balance_total) -> bytes:
    return _line(
        TRAILER_FIELDS,
        {
            "record_type": "T",
            "base_records": base_records,
            "corrections": corrections,
            "balance_total": balance_total,
        },
    )


def _parse(field: Field, raw: bytes, line_no: int):
    if field.kind == "X":
        return raw.decode(ENCODING).rstrip(" ")
    text = raw.decode("ascii")
    if field.kind == "D":
        return dt.datetime.strptime(text, "%Y%m%d").date() if text.strip() else None
    if not text.isdigit():
        raise LayoutError(f"第 {line_no} 行 字段 {field.name}：“{text}” 不是数字")
    return Decimal(int(text)) / 100 if field.kind == "M" else int(text)


def _parse_line(fields, data: bytes, line_no: int) -> dict:
    values, start = {}, 0
    for field in fields:
        values[field.name] = _parse(field, data[start : start + field.width], line_no)
        start += field.width
    return values


def credit_file_read(data: bytes) -> dict:
    """The file read back: {"header", "records", "trailer"}; money as Decimal yuan. Raises
    :class:`LayoutError` naming the line for a line of the wrong width or type."""
    lines = data.split(LINE_END)
    if lines and lines[-1] == b"":
        lines.pop()
    out: dict = {"header": None, "records": [], "trailer": None}
    for number, line in enumerate(lines, start=1):
        if len(line) != RECORD_WIDTH:
            raise LayoutError(f"第 {number} 行：长度 {len(line)} 字节，应为 {RECORD_WIDTH}")
        kind = line[:1]
        if kind == b"H":
            out["header"] = _parse_line(HEADER_FIELDS, line, number)
        elif kind == b"T":
            out["trailer"] = _parse_line(TRAILER_FIELDS, line, number)
        elif kind in (b"A", b"C"):
            out["records"].append(_parse_line(RECORD_FIELDS, line, number))
        else:
            raise LayoutError(f"第 {number} 行：记录类型“{kind.decode(ENCODING, 'replace')}”无法识别")
    return out
