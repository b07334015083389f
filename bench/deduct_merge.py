"""How long the coordinator's merge of the 扣款明细表 part files takes (``xuedai.batch.deduct_parts``).

The merge is the one serial step of a distributed deduction-files run: every line of the day passes
through one Python process (a 序号 written in front of it). This writes ``--parts`` part files of
``--lines`` lines in all, shaped like the real ones (contract id, contract no, a Chinese name, an
identity number, an Alipay account, a county, the kind, four amounts, three blank result columns),
and times the merge as a run does it: concatenated (each province one block of contract ids, as the
national portfolio numbers them) and by contract id (provinces' ids interleaved).

    .venv/bin/python bench/deduct_merge.py --lines 3000000 --parts 60
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from xuedai.batch.deduct_parts import FileLayout, merge_file

LAYOUT = FileLayout(["seq", "contract_no", "name", "id_number", "channel_account", "county", "kind",
                     "principal", "interest", "penalty", "amount", "result", "paid", "reason"],
                    ["序号", "合同编号", "借款学生", "身份证号", "支付宝账号", "县资助中心", "扣款类型",
                     "应扣本金", "应扣利息", "应扣罚息复利", "应扣合计", "扣款结果", "实扣金额", "失败原因"])


def _line(contract: int) -> bytes:
    return (f"{contract},HT2019{contract:010d},张三{contract % 97},5101021998{contract % 10**8:08d},"
            f"1{contract % 10**10:010d},四川基准{contract % 4}县资助中心,逾期还款,1500.00,339.00,"
            f'12.{contract % 100:02d},1851.{contract % 100:02d},"","",""\n').encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=3_000_000)
    parser.add_argument("--parts", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        per = -(-args.lines // args.parts)
        parts = []
        for k in range(args.parts):
            path = root / f"{k}.part"
            ids = range(k * per + 1, min((k + 1) * per, args.lines) + 1)
            path.write_bytes(b"".join(_line(i) for i in ids))
            parts.append((path, len(ids)))
        size = sum(p.stat().st_size for p, _ in parts) / 1e6
        for disjoint in (True, False):
            started = time.perf_counter()
            lines = merge_file(root / "out.csv", parts, LAYOUT, disjoint=disjoint)
            seconds = time.perf_counter() - started
            print(f"{'concatenated' if disjoint else 'by contract id'}: {lines:,} lines, {size:,.0f} MB in "
                  f"{seconds:.1f} s — {lines / seconds / 1e6:.2f} M lines/s")


if __name__ == "__main__":
    main()
