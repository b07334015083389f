"""The web under load: the student's 下次应还 page and a county operator's 合同查询, with locust.

    XUEDAI_PG_PORT=55440 XUEDAI_PG_DIR=/tmp/xuedai-pg-55440-load XUEDAI_PG_KEEP=1 scripts/with-postgres.sh \
      bash -c '.venv/bin/xuedai migrate -v0 && .venv/bin/xuedai demo-data --students 200000 \
               && .venv/bin/python bench/load_web.py --seconds 60 --users 40'

What it does, in order:

1. activates --students borrowers with a paid-out contract through the real first-login service
   (``borrowers.activation.student_activate``: ID number + mobile on file + a password), once — a
   rerun reuses them — and logs each in, plus --county-sessions sessions of the demo ``county_op``
   (TOTP passed: the session carries the second-factor flag the login page would set);
2. counts the SQL statements each page runs, and prints their EXPLAIN lines that read a whole table
   (a ``Seq Scan`` estimated at ≥ 10,000 rows: what would not hold at 10⁷ contracts);
3. starts ``xuedai serve`` (gunicorn, --workers) on 127.0.0.1, warms it for a few seconds, then runs
   locust headless for --seconds with --users concurrent users and no think time (bench/locust_web.py),
   9 students to 1 county operator;
4. prints requests/s, p50 and p99 per page and overall, the failures, and the machine's load average;
   and the CPU time the site spent per request — gunicorn's processes and, on a local PostgreSQL,
   the server's — read from /proc around the measured run: on a 2-core machine shared with other
   work the requests/s measure the neighbours too, the CPU milliseconds per request much less.

Bounded on purpose: only 127.0.0.1, a fixed user count and a fixed duration.
"""

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuedai.settings.base")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from xuedai.borrowers.activation import student_activate  # noqa: E402
from xuedai.borrowers.models import Borrower  # noqa: E402
from xuedai.orgs.middleware import SESSION_FLAG  # noqa: E402
from xuedai.orgs.models import User  # noqa: E402

STUDENT_PAGE = "/postloan/me/loans/"
COUNTY_PAGE = "/origination/contracts/"
LOAD_PASSWORD = "Load-test-2026!"  # only ever set on the bench database's sampled borrowers
VENV_BIN = ROOT / ".venv" / "bin"
LARGE_TABLE_ROWS = 10_000  # a scan of the organisation tree (tens of rows) is cheaper than an index


def sampled_students(count: int) -> list[User]:
    """Borrowers with a paid-out contract, activated once through the first-login service."""
    active = list(User.objects.filter(borrower__isnull=False, username__startswith="s")
                  .exclude(password__startswith="!").order_by("pk")[:count])
    if len(active) >= count:
        return active
    with connection.cursor() as cur:
        cur.execute("""
            SELECT DISTINCT b.id FROM borrowers_borrower b
            JOIN origination_contract c ON c.borrower_id = b.id
            JOIN loans_loanaccount a ON a.contract_id = c.id
            WHERE b.user_id IS NULL AND b.mobile <> '' ORDER BY b.id LIMIT %s""", [count - len(active)])
        ids = [row[0] for row in cur.fetchall()]
    started = time.perf_counter()
    for borrower in Borrower.objects.filter(pk__in=ids):
        active.append(student_activate(id_number=borrower.id_number, fact=borrower.mobile,
                                       password=LOAD_PASSWORD))
    print(f"  激活学生账号 activated {len(ids)} students in {time.perf_counter() - started:.1f} s")
    return active


def session_for(user: User, *, second_factor: bool) -> str:
    client = Client()
    client.force_login(user)
    if second_factor:
        session = client.session
        session[SESSION_FLAG] = True
        session.save()
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def page_queries(user: User, path: str, *, second_factor: bool) -> tuple[int, list[str]]:
    """The statements one request runs, and the EXPLAIN lines of those that scan a table."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    if second_factor:
        session = client.session
        session[SESSION_FLAG] = True
        session.save()
    client.get(path)  # first request fills the per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, f"{path}: HTTP {response.status_code}"
    scans = []
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cur.execute("EXPLAIN " + sql)
                scans += [f"{row[0].strip()}  ← {sql[:90]}…" for row in cur.fetchall()
                          if "Seq Scan" in row[0] and _estimated_rows(row[0]) >= LARGE_TABLE_ROWS]
    return len(captured.captured_queries), scans


def _estimated_rows(plan_line: str) -> int:
    match = re.search(r"rows=(\d+)", plan_line)
    return int(match.group(1)) if match else 0


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def cpu_seconds(root: int | None) -> float:
    """User + system CPU seconds of ``root`` and its children (gunicorn's workers, PostgreSQL's
    backends), the ended ones included (a backend ends when its connection reaches CONN_MAX_AGE:
    its time moves to the parent's children's fields); 0 without a process to read."""
    if root is None:
        return 0.0
    total = 0.0
    for pid in [root, *_children(root)]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks = fields[11:15] if pid == root else fields[11:13]  # utime stime [cutime cstime]
        total += sum(int(t) for t in ticks) / os.sysconf("SC_CLK_TCK")
    return total


def postmaster_pid() -> int | None:
    """The local PostgreSQL server's process (its data folder's postmaster.pid), else None."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cur:
        cur.execute("SHOW data_directory")
        folder = Path(cur.fetchone()[0])
    try:
        return int((folder / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"网站未启动 / the site did not start: {url}")


def run_locust(host: str, sessions_file: str, users: int, seconds: int, csv_prefix: str) -> None:
    env = dict(os.environ, XUEDAI_LOAD_SESSIONS=sessions_file)
    subprocess.run([str(VENV_BIN / "locust"), "-f", str(ROOT / "bench" / "locust_web.py"), "--headless",
                    "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", host,
                    "--csv", csv_prefix, "--only-summary", "--loglevel", "WARNING"],
                   env=env, check=True, stdout=subprocess.DEVNULL)


def read_stats(csv_prefix: str) -> list[dict]:
    with open(f"{csv_prefix}_stats.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200, help="sampled student logins")
    parser.add_argument("--county-sessions", type=int, default=20)
    parser.add_argument("--users", type=int, default=40, help="concurrent locust users")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=None, help="threads per gunicorn worker "
                        "(default: xuedai serve's)")
    parser.add_argument("--port", type=int, default=8097)
    args = parser.parse_args()

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM origination_contract")
        contracts = cur.fetchone()[0]
    print(f"数据库 {connection.vendor}: {contracts:,} contracts")
    students = sampled_students(args.students)
    county_op = User.objects.get(username="county_op")
    sessions = {
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "students": [session_for(u, second_factor=False) for u in students],
        "county": [session_for(county_op, second_factor=True) for _ in range(args.county_sessions)],
    }
    for label, user, path, second in (("student 下次应还", students[0], STUDENT_PAGE, False),
                                      ("county 合同查询", county_op, COUNTY_PAGE, True)):
        count, scans = page_queries(user, path, second_factor=second)
        print(f"  {label}: {count} SQL statements per request; table scans: {len(scans)}")
        for line in scans:
            print(f"      {line}")
    database_pid = postmaster_pid()
    connection.close()  # the server's workers open their own

    host = f"http://127.0.0.1:{args.port}"
    threads = [] if args.threads is None else ["--threads", str(args.threads)]
    server = subprocess.Popen([str(VENV_BIN / "xuedai"), "serve", "--port", str(args.port),
                               "--workers", str(args.workers), *threads],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(host + "/accounts/login/")
        with tempfile.TemporaryDirectory() as tmp:
            sessions_file = os.path.join(tmp, "sessions.json")
            Path(sessions_file).write_text(json.dumps(sessions), encoding="utf-8")
            run_locust(host, sessions_file, args.users, 5, os.path.join(tmp, "warm"))
            load_before = os.getloadavg()[0]
            site_cpu, database_cpu = cpu_seconds(server.pid), cpu_seconds(database_pid)
            run_locust(host, sessions_file, args.users, args.seconds, os.path.join(tmp, "run"))
            site_cpu = cpu_seconds(server.pid) - site_cpu
            database_cpu = cpu_seconds(database_pid) - database_cpu
            rows = read_stats(os.path.join(tmp, "run"))
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(f"\n{args.users} concurrent users, {args.seconds} s, "
          f"gunicorn {args.workers} workers × {args.threads or 'serve default'} threads, "
          f"load average {load_before:.1f} → {os.getloadavg()[0]:.1f}")
    print(f"  {'page':<22}{'requests':>10}{'failures':>10}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}")
    for row in rows:
        print(f"  {row['Name']:<22}{int(row['Request Count']):>10,}{int(row['Failure Count']):>10,}"
              f"{float(row['Requests/s']):>10.1f}{row['50%']:>9}{row['99%']:>9}")
    student = next(r for r in rows if r["Name"].startswith("student"))
    met = float(student["Requests/s"]) >= 500 and float(student["99%"]) < 100
    print(f"  target (student page ≥ 500 req/s, p99 < 100 ms): {'met' if met else 'NOT met'}")
    served = int(next(r for r in rows if r["Name"] == "Aggregated")["Request Count"]) or 1
    print(f"  CPU per request (both pages): site {site_cpu / served * 1000:.1f} ms, "
          f"PostgreSQL {database_cpu / served * 1000:.1f} ms "
          f"({site_cpu:.1f} s and {database_cpu:.1f} s over {served:,} requests)")


if __name__ == "__main__":
    main()
