"""The 征信 layout: the document says what the code writes, a record reads back as written, and a
bad line is refused naming its line and field."""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from xuedai.reports.bureau.layout import (
    HEADER_FIELDS,
    RECORD_FIELDS,
    RECORD_WIDTH,
    TRAILER_FIELDS,
    LayoutError,
    credit_file_read,
    header_line,
    positions,
    record_line,
    trailer_line,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "征信报送文件格式.md"


def _doc_tables() -> list[list[tuple[int, int, str, str]]]:
    tables, current = [], None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\| (\d+) \| (\d+) \| (\S) \S+ \| `(\w+)` \|", line)
        if m:
            if current is None:
                current = []
                tables.append(current)
            current.append((int(m[1]), int(m[2]), m[3], m[4]))
        else:
            current = None
    return tables


def test_document_matches_the_layout_field_by_field():
    expected = [
        [(start, f.width, f.kind, f.name) for f, start in positions(fields)]
        for fields in (HEADER_FIELDS, RECORD_FIELDS, TRAILER_FIELDS)
    ]
    assert _doc_tables() == expected
    assert RECORD_WIDTH == 207


ROW = {
    "record_type": "A",
    "month": dt.date(2019, 12, 1),
    "contract_no": "C00000002",
    "id_number": "51072220040315015X",
    "name": "欧阳娜娜",
    "product": "home_county",
    "disbursed_on": dt.date(2018, 9, 1),
    "maturity_date": dt.date(2022, 12, 20),
    "amount": Decimal("6000.00"),
    "balance": Decimal("6000.00"),
    "due_amount": Decimal("1603.58"),
    "paid_amount": Decimal("0.00"),
    "overdue_principal": Decimal("1500.00"),
    "overdue_interest": Decimal("103.58"),
    "overdue_days": 11,
    "waived_amount": Decimal("0.00"),
    "held_overdue": Decimal("0.00"),
}


def test_a_record_byte_by_byte():
    line = record_line(ROW)
    assert len(line) == RECORD_WIDTH + 2 and line.endswith(b"\r\n")
    assert line[0:1] == b"A"
    assert line[1:7] == b"201912"
    assert line[7:39] == b"C00000002".ljust(32)
    assert line[39:40] == b"0"
    assert line[40:58] == b"51072220040315015X"
    assert line[58:88] == "欧阳娜娜".encode("gb18030").ljust(30)  # 8 bytes + 22 spaces
    assert line[88:89] == b"1"
    assert line[89:97] == b"20180901" and line[97:105] == b"20221220"
    assert line[105:117] == b"000000600000"  # 6000.00 yuan in fen
    assert line[129:141] == b"000000160358"
    assert line[153:165] == b"000000150000" and line[165:177] == b"000000010358"
    assert line[177:181] == b"0011"
    assert line[181:182] == b"1"  # 11 days: 1–30
    assert line[206:207] == b"0"


def test_file_reads_back():
    data = (
        header_line(
            organisation_code="SC-BRANCH",
            month=dt.date(2019, 12, 1),
            sequence=1,
            created_on=dt.date(2020, 1, 6),
            records=1,
        )
        + record_line(ROW)
        + trailer_line(base_records=1, corrections=0, balance_total=Decimal("6000.00"))
    )
    back = credit_file_read(data)
    assert back["header"] == {
        "record_type": "H",
        "organisation_code": "SC-BRANCH",
        "month": 201912,
        "sequence": 1,
        "created_on": dt.date(2020, 1, 6),
        "records": 1,
    }
    (record,) = back["records"]
    assert record["name"] == "欧阳娜娜" and record["overdue_interest"] == Decimal("103.58")
    assert record["status"] == "1" and record["month"] == 201912
    assert back["trailer"]["balance_total"] == Decimal("6000.00")


def test_long_name_is_cut_at_a_whole_character():
    line = record_line({**ROW, "name": "阿" * 20})
    assert line[58:88] == ("阿" * 15).encode("gb18030")


@pytest.mark.parametrize(
    ("days", "status"), [(1, "1"), (30, "1"), (31, "2"), (180, "6"), (181, "7"), (900, "7")]
)
def test_status_by_days_overdue(days, status):
    assert record_line({**ROW, "overdue_days": days})[181:182] == status.encode()


def test_status_without_overdue():
    clear = {**ROW, "overdue_principal": Decimal(0), "overdue_interest": Decimal(0), "overdue_days": 0}
    assert record_line(clear)[181:182] == b"N"
    assert record_line({**clear, "due_amount": Decimal(0)})[181:182] == b"*"
    assert record_line({**clear, "balance": Decimal(0)})[181:182] == b"C"


def test_a_bad_line_is_refused_naming_it():
    good = record_line(ROW)
    with pytest.raises(LayoutError, match="第 1 行：长度 205 字节，应为 207"):
        credit_file_read(good[:205] + b"\r\n")
    with pytest.raises(LayoutError, match="第 1 行 字段 balance"):
        credit_file_read(good[:117] + b"00000060000X" + good[129:])
