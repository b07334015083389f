"""The merge of the deduction files' part files (``xuedai.batch.deduct_parts``), without a database:
parts of provinces whose contract ids interleave come out in contract-id order, numbered once;
a quoted field holding a newline or a quote stays one record; a part that does not hold the lines
its partition recorded stops the merge."""

from __future__ import annotations

import pytest

from xuedai.batch.deduct_parts import FileLayout, PartMismatch, merge_file
from xuedai.batch.partitions import Partition

LAYOUT = FileLayout(["seq", "contract_no", "name", "amount"], ["序号", "合同编号", "借款学生", "应扣合计"])


def _part(tmp_path, name: str, rows: list[bytes]):
    """A part file and its lines as its worker counts them (newlines)."""
    path = tmp_path / name
    path.write_bytes(b"".join(rows))
    return path, sum(row.count(b"\n") for row in rows)


def test_interleaved_parts_merge_in_contract_order_numbered_once(tmp_path):
    # Province 11's contracts 3 and 8, province 51's 5 and 9: their id ranges overlap.
    # A name with a newline in it (quoted), one with quotes (doubled), an empty one (PostgreSQL's "").
    a = _part(tmp_path, "a.part", ['3,HT3,"张\n三",1.00\n'.encode(), b'8,HT8,"say ""hi""",2.00\n'])
    b = _part(tmp_path, "b.part", ["5,HT5,李四,3.00\n".encode(), b'9,HT9,"",4.00\n'])
    target = tmp_path / "out.csv"

    lines = merge_file(target, [a, b], LAYOUT, disjoint=False)

    assert lines == 5  # four records, one of them on two lines
    assert target.read_bytes() == (
        "\ufeff序号,合同编号,借款学生,应扣合计\n".encode()
        + '1,HT3,"张\n三",1.00\n2,HT5,李四,3.00\n'.encode() + b'3,HT8,"say ""hi""",2.00\n4,HT9,"",4.00\n')


def test_disjoint_plans_concatenate_and_overlapping_ones_do_not():
    from xuedai.batch.deduct_parts import _disjoint

    assert _disjoint([Partition("11", 0, 10), Partition("11", 10, 20), Partition("51", 20, 35)])
    assert not _disjoint([Partition("11", 2, 8), Partition("51", 4, 9)])


def test_a_part_short_of_its_recorded_lines_stops_the_merge(tmp_path):
    path, _ = _part(tmp_path, "a.part", [b"3,HT3,x,1.00\n"])

    with pytest.raises(PartMismatch):
        merge_file(tmp_path / "out.csv", [(path, 2)], LAYOUT, disjoint=True)
