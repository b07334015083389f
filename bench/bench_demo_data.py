"""Demo data benchmark (issue 2 §7): N students on the current database, stage by stage.

    XUEDAI_PG_PORT=54340 XUEDAI_PG_DIR=/tmp/xuedai-pg-demo scripts/with-postgres.sh \
        .venv/bin/python bench/bench_demo_data.py --students 1000000

Migrates, then runs exactly what `xuedai demo-data --reset` runs (one transaction: reset, tree,
NumPy generation, COPY of four tables, index and foreign-key rebuild, sequences, ANALYZE).
Target: a million students in ≤ 3 minutes on PostgreSQL on a 2-core machine.

Besides wall-clock seconds it prints CPU seconds of this process and of the PostgreSQL server
(our backend plus its parallel index-build workers, read from /proc when the server is local) and
the load average: on a shared machine the wall clock mostly measures the neighbours, CPU seconds do not.
During the COPY stages the two run side by side (NumPy renders the next chunk while the server
ingests the last), so on an idle 2-core machine a stage takes about the larger of the two.
"""

import argparse
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuedai.settings.base")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from xuedai.demo.builder import Progress, Stage, build_demo  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int | None) -> list[str] | None:
    if pid is None:
        return None
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def backend_cpu(pid: int | None) -> float:
    """utime + stime of the server process serving our connection, plus what the server's exited
    children used (parallel index-build workers, autovacuum), in seconds; 0 if not readable."""
    fields = _stat(pid)
    if fields is None:
        return 0.0
    own = int(fields[11]) + int(fields[12])
    postmaster = _stat(int(fields[1]))
    children = int(postmaster[13]) + int(postmaster[14]) if postmaster else 0
    return (own + children) / CLOCK_TICKS


class BenchProgress(Progress):
    def __init__(self, out, pid):
        super().__init__(out, live=False)
        self.pid = pid
        self.cpu: list[tuple[float, float]] = []

    @contextmanager
    def stage(self, name: str, rows: int = 0):
        start, py, pg = time.perf_counter(), time.process_time(), backend_cpu(self.pid)
        yield
        seconds = time.perf_counter() - start
        py, pg = time.process_time() - py, backend_cpu(self.pid) - pg
        self.stages.append(Stage(name, seconds, rows))
        self.cpu.append((py, pg))
        rate = f"{rows / seconds:>10,.0f}" if rows else " " * 10
        self.out.write(f"  {name:<36}{rows:>11,} {seconds:8.1f} {rate} {py:8.1f} {pg:8.1f}\n")
        self.out.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--chunk", type=int, default=50_000)
    parser.add_argument("--indexes", choices=["drop", "keep"], default="drop")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        connection.close_if_unusable_or_obsolete = lambda: None  # keep the measured backend
    print(f"xuedai demo-data bench: {args.students:,} students on {connection.vendor}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print(f"  {'stage':<36}{'rows':>11} {'wall s':>8} {'rows/s':>10} {'py cpu':>8} {'db cpu':>8}")
    progress = BenchProgress(sys.stdout, pid)
    start = time.perf_counter()
    build_demo(students=args.students, seed=args.seed, reset=True, out=sys.stdout, chunk=args.chunk,
               indexes=args.indexes, progress=progress)
    total = time.perf_counter() - start
    rows = sum(s.rows for s in progress.stages if s.rows and "NumPy" not in s.name)
    py = sum(c[0] for c in progress.cpu)
    pg = sum(c[1] for c in progress.cpu)
    print(f"  {'total':<36}{rows:>11,} {total:8.1f} {rows / total:>10,.0f} {py:8.1f} {pg:8.1f}")
    print(f"load average after: {os.getloadavg()[0]:.1f}; "
          f"target ≤ 180 s for 1,000,000 students: {'met' if total <= 180 else 'NOT met'}")


if __name__ == "__main__":
    main()
