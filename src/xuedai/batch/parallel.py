"""Run a kernel over a portfolio in cache-sized chunks.

Why chunks: a kernel is a few dozen NumPy operations. On 10⁷-row arrays each operation allocates and
streams 80 MB, so memory traffic and page faults dominate; on 2¹⁵-row chunks the temporaries stay
in the CPU cache and the allocator reuses them.

Threads: NumPy releases the GIL inside its loops, so a thread per core *can* run chunks in
parallel — but on the 2-vCPU machine the benchmarks run on, two threads measured slower than one
(settlement kernel on the bench portfolio, 1,000,000 rows: 16–19 M loans/s on one thread, 12–13 M/s
on two; classification 69–88 M/s against 32–62 M/s): each operation on a 32 768-row chunk takes
10–40 µs, and handing the GIL over between such short calls costs more than the second core gives.
The batches get their parallelism a level up instead — two chunks of contracts on two database
connections at once (:mod:`xuedai.batch.runs`), each with its own kernel call. So one thread is the
default; XUEDAI_BATCH_THREADS sets another count for a machine where more pay.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

CHUNK_ROWS = 1 << 15  # 32 768 rows: a column is 256 KB, a kernel's temporaries fit in L2 (2 MB a core)


def workers() -> int:
    return int(os.environ.get("XUEDAI_BATCH_THREADS", "1"))


def map_chunks(
    kernel: Callable[..., Any], n: int, *, chunk: int = CHUNK_ROWS, threads: int | None = None,
    **columns: Any,
) -> dict[str, np.ndarray]:
    """Call ``kernel(**columns)`` on row slices ``[i, i + chunk)`` and stitch the outputs together.

    ``columns`` that are arrays of ``n`` rows are sliced; anything else (a scalar date, None) is
    passed as is. The kernel returns a dataclass or a dict of equal-length arrays; the result is a
    dict of full-length arrays with the same names.
    """
    # Arrays of n rows are sliced, 2-D ones (a row's few rate changes) along their first axis too.
    sliced = {k for k, v in columns.items() if isinstance(v, np.ndarray) and v.ndim >= 1 and len(v) == n}
    bounds = [(i, min(i + chunk, n)) for i in range(0, n, chunk)]
    out: dict[str, np.ndarray] = {}

    def run(lo: int, hi: int) -> dict[str, np.ndarray]:
        part = kernel(**{k: (v[lo:hi] if k in sliced else v) for k, v in columns.items()})
        if dataclasses.is_dataclass(part):  # not dataclasses.asdict: that deep-copies every array
            return {f.name: getattr(part, f.name) for f in dataclasses.fields(part)}
        return dict(part)

    def place(lo: int, hi: int, part: dict[str, np.ndarray]) -> None:
        for name, values in part.items():
            if name not in out:
                out[name] = np.empty(n, dtype=values.dtype)
            out[name][lo:hi] = values

    if not bounds:
        return {name: values[:0] for name, values in run(0, 0).items()}
    first = run(*bounds[0])
    place(*bounds[0], first)
    threads = threads or workers()
    if threads <= 1:
        for lo, hi in bounds[1:]:
            place(lo, hi, run(lo, hi))
        return out

    def task(span: tuple[int, int]) -> None:
        place(*span, run(*span))  # disjoint slices of arrays created above: safe across threads

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(task, bounds[1:]))
    return out
