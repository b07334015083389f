"""The 扣款明细表 of a deduction day on several machines: part files per partition, then one merge.

With ``XUEDAI_BROKER_URL`` set, :func:`.runs.loans_deduction_files` hands each partition (province,
contract-id range: :mod:`.partitions`) to a Celery worker (:mod:`.distributed`). The worker, in the
partition's one transaction, computes the partition's accrued penalties (the same kernel,
:func:`.deduct_io.accrued_penalties`, narrowed to the partition), writes the partition's lines of
each channel run to a **part file** and updates the penalty cache; the checkpoint records the
partition with its lines per file in the same transaction. The coordinator, once every partition is
recorded, merges the parts of each channel run into the day's file — the same bytes the embedded
path writes for the same data: BOM and header once, the lines in contract-id order, 序号 counted
over the whole file.

Exactly once, with a worker killed at any moment:

- a part file is named by its partition (``<file>.<province>-<lo>.part``) and written under a name
  of its own attempt first, then renamed to that name *before* the transaction commits. So a
  recorded partition always has its part, whole; an attempt that dies before its commit leaves at
  most a part that the retry (the same partition, the same committed data, the same bytes)
  renames over. A merge never reads an attempt's file, only the recorded partitions' parts, and
  checks each part's lines against the checkpoint.
- the merge writes each day's file under a temporary name, records the files in the checkpoint,
  then renames them (as the embedded path does after its commit); the parts are removed only after
  that, so a coordinator killed in between redoes the merge from the same parts.

The folder must be one that every worker and the coordinator see (a shared mount across machines).
"""

from __future__ import annotations

import heapq
import itertools
import os
import shutil
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from xuedai.batch import deduct_io, partitions
from xuedai.batch.exact import to_date
from xuedai.batch.io import Timings

BOM = "\ufeff".encode()


class PartMismatch(RuntimeError):
    """A part file does not hold the lines its partition recorded: the merge stops, writes nothing."""


class FileLayout:
    """A deduction layout as a Celery task carries it (JSON): the ``keys`` and ``headers`` of
    ``loans.deduction.layouts.Layout``, which this package does not import."""

    def __init__(self, keys: Sequence[str], headers: Sequence[str]) -> None:
        self.keys, self.headers = list(keys), list(headers)

    @classmethod
    def of(cls, layout) -> FileLayout:
        return cls(layout.keys, layout.headers)

    def as_json(self) -> dict:
        return {"keys": self.keys, "headers": self.headers}


def parts_folder(directory: Path, run_id: int) -> Path:
    """Where a run's parts wait for the merge, beside the files (hidden; removed after it). Named by
    the job run: a part is only ever read by the run whose checkpoint records it."""
    return directory / f".扣款明细表-分区-{run_id}"


def part_path(directory: Path, run_id: int, name: str, key: str) -> Path:
    return parts_folder(directory, run_id) / f"{name}.{key.replace(':', '-')}.part"


def deduction_part(conn, on: int, part: partitions.Partition, scope: Mapping, directory: Path,
                   layouts: Mapping[str, FileLayout], *, run_id: int) -> Timings:
    """One partition's share of the day's files and its penalty cache (caller's transaction):
    ``rows`` its lines, ``postings`` its accounts with a penalty accrued, ``counts`` the lines by
    file name (the merge's check)."""
    params = {"lo": part.lo, "hi": part.hi, **scope}
    ids, accrued, timings = deduct_io.accrued_penalties(conn, on, where=deduct_io.PARTITION, params=params)
    timings.rows = 0  # the kernel counted accounts here; a partition counts its lines, as the embedded run
    started = time.perf_counter()
    # The files read the accrued penalties from the temporary table, so they are written before the
    # cache: the accounts' row locks (the UPDATE) are then held for the end of the transaction only.
    deduct_io.penalty_table(conn, ids, accrued)
    day = to_date(on)
    attempt = uuid.uuid4().hex[:12]
    for bank in deduct_io.channel_banks(conn, list(scope.get("counties", []))):
        name = deduct_io.file_name(day, bank)
        final = part_path(directory, run_id, name, part.key)
        written = final.with_name(f"{final.name}.{attempt}")
        count = deduct_io.write_file(conn, on, written, layouts["agent_bank" if bank else "alipay"],
                                     agent_bank_id=bank, where=deduct_io.PARTITION, params=params, part=True)
        if count:
            os.replace(written, final)  # before the commit: a recorded partition has its part
            timings.counts[name] = count
            timings.rows += count
        else:
            written.unlink()
            final.unlink(missing_ok=True)  # a part an earlier attempt left: not this data's
    deduct_io.penalty_cache(conn, on, ids)
    timings.write_s = time.perf_counter() - started
    timings.postings = len(ids)
    return timings


def _records(path: Path) -> Iterator[tuple[int, bytes]]:
    """(contract id, the rest of the line) of each CSV record of a part, in order. A record ends at a
    newline outside quotes: a quoted field may hold one (a quote inside is doubled, so an odd count
    of quotes so far means the newline is inside a field)."""
    with path.open("rb") as handle:
        pending = b""
        for line in handle:
            pending += line
            if pending.count(b'"') % 2:
                continue
            head, rest = pending.split(b",", 1)
            yield int(head), rest
            pending = b""
        if pending:
            raise PartMismatch(f"分区文件末尾不完整 / a part ends inside a record: {path.name}")


def _disjoint(plan: Sequence[partitions.Partition]) -> bool:
    """Whether the partitions' id ranges follow each other without overlapping (each province one
    block of ids): the parts are then concatenated; else merged by contract id."""
    ranges = sorted((p.lo, p.hi) for p in plan)
    return all(a_hi <= b_lo for (_, a_hi), (b_lo, _) in itertools.pairwise(ranges))


def merge_file(target: Path, parts: Sequence[tuple[Path, int]], layout: FileLayout, *, disjoint: bool) -> int:
    """Write ``target`` from ``parts`` ((part path, its recorded lines), in the plan's id order):
    BOM, header, then every record in contract-id order, numbered from 1 if the layout has 序号.
    Returns the lines below the header, counted as :func:`.deduct_io.write_file` counts them (a
    newline inside a quoted field counts: the same figure as the embedded run's)."""
    numbered = bool(layout.keys) and layout.keys[0] == "seq"
    streams = [_counted(path, lines) for path, lines in parts]
    ordered = itertools.chain(*streams) if disjoint else heapq.merge(*streams, key=lambda r: r[0])
    seq = lines = 0
    with target.open("wb") as out:
        out.write(BOM)
        out.write((",".join(layout.headers) + "\n").encode())
        buffer: list[bytes] = []
        for seq, (_, rest) in enumerate(ordered, start=1):
            lines += rest.count(b"\n")
            buffer.append(b"%d,%s" % (seq, rest) if numbered else rest)
            if len(buffer) >= 10_000:
                out.write(b"".join(buffer))
                buffer.clear()
        out.write(b"".join(buffer))
    return lines


def _counted(path: Path, lines: int) -> Iterator[tuple[int, bytes]]:
    """A part's records, checked against the lines its partition recorded (newlines, as counted
    when it was written)."""
    seen = 0
    for record in _records(path):
        seen += record[1].count(b"\n")
        yield record
    if seen != lines:
        raise PartMismatch(f"分区文件 {path.name} 有 {seen} 行，检查点记录 {lines} 行")


def merge_parts(directory: Path, run_id: int, plan: Sequence[partitions.Partition],
                recorded: Mapping[str, dict], layouts: Mapping[str, FileLayout],
                ) -> list[tuple[Path, Path, int]]:
    """Every channel run's file of the day from the recorded partitions' parts: (final path, merged
    path, lines) — the caller records them, then renames (the merged file is the final's ``.part``)."""
    by_name: dict[str, list[tuple[partitions.Partition, int]]] = {}
    for part in plan:
        for name, lines in recorded[part.key].get("counts", {}).items():
            by_name.setdefault(name, []).append((part, lines))
    disjoint = _disjoint(plan)
    out = []
    # Alipay's file first, then the agent banks' by id: the embedded path's order.
    for name in sorted(by_name, key=lambda n: (not n.endswith("-扣款明细表.csv"), _bank_of(n))):
        final = directory / name
        merged = final.with_name(f".{final.name}.part")
        parts = [(part_path(directory, run_id, name, p.key), lines) for p, lines in sorted(by_name[name],
                                                                                       key=lambda x: x[0].lo)]
        layout = layouts["alipay" if name.endswith("-扣款明细表.csv") else "agent_bank"]
        out.append((final, merged, merge_file(merged, parts, layout, disjoint=disjoint)))
    return out


def _bank_of(name: str) -> int:
    stem = name.removesuffix(".csv").rsplit("-", 1)[-1]
    return int(stem) if stem.isdigit() else 0


def remove_parts(directory: Path, run_id: int) -> None:
    shutil.rmtree(parts_folder(directory, run_id), ignore_errors=True)
