"""Build the demo province: the stages of `xuedai demo-data`, timed, with a progress display.

One transaction for everything: a failed or interrupted run leaves the database as it was, so
it can simply be run again (ARCHITECTURE principle 7).
"""

import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import TextIO

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from xuedai import businessdate
from xuedai.borrowers.models import Borrower, CoBorrower, EmergencyContact
from xuedai.jobs.models import BusinessDate
from xuedai.loans.maintenance import posting_references_trusted
from xuedai.loans.models import EarlyRepaymentApplication, LoanAccount, Posting
from xuedai.orgs.models import Role, User
from xuedai.orgs.services import user_create
from xuedai.origination.models import Contract

from . import workload
from .contracts import make_contracts
from .copy_writer import BulkWriter
from .households import make_co_borrowers, make_contacts
from .ledger import NO_DATE, apply_to, build_ledger
from .logins import DEMO_STUDENT_NAME
from .names import MOBILE_PREFIXES
from .orgs import build_orgs, build_staff, demo_password_hash
from .people import BUSINESS_DATE, make_students, mobiles
from .policy import PolicyLookup
from .render import World
from .reset import reset_demo
from .season import split_applications
from .state_money import add_state_money

BULK_MODELS = [Borrower, CoBorrower, EmergencyContact, Contract, LoanAccount, Posting,
               EarlyRepaymentApplication, *workload.MODELS]


@contextmanager
def small_pages():
    """Turn off NumPy's transparent-huge-page advice while we churn through big temporaries.

    NumPy asks the kernel for huge pages on every large array; each new temporary (millions of
    rows, freshly mapped) then costs a synchronous 2 MB page clear, often a compaction: measured,
    the system time of generating a million students fell from 8.9 s to 1.4 s without it. The
    setting is NumPy's own switch (also NUMPY_MADVISE_HUGEPAGE=0), restored afterwards.
    """
    try:
        from numpy._core.multiarray import _set_madvise_hugepage
    except ImportError:  # another NumPy layout: nothing to switch
        yield
        return
    previous = _set_madvise_hugepage(False)
    try:
        yield
    finally:
        _set_madvise_hugepage(previous)


class DemoDataExists(Exception):
    """The database already holds borrowers: the demo would mix with them."""


@dataclass
class Stage:
    name: str
    seconds: float
    rows: int = 0


class Progress:
    """A line per stage on `out`; on a terminal, a running percentage on stderr while a table loads."""

    def __init__(self, out: TextIO, live: bool | None = None):
        self.out = out
        self.live = sys.stderr.isatty() if live is None else live
        self.stages: list[Stage] = []

    @contextmanager
    def stage(self, name: str, rows: int = 0):
        start = time.perf_counter()
        yield
        seconds = time.perf_counter() - start
        self.stages.append(Stage(name, seconds, rows))
        self.report(name, seconds, rows)

    def report(self, name: str, seconds: float, rows: int) -> None:
        rate = f"  {rows / seconds:>10,.0f} 行/秒 rows/s" if rows and seconds > 0 else ""
        count = f"{rows:>12,} 行" if rows else " " * 14
        self.out.write(f"  {name:<36}{count}  {seconds:7.1f} 秒{rate}\n")
        self.out.flush()

    def detail(self, name: str, seconds: float) -> None:
        self.out.write(f"      {name:<60}{seconds:7.1f} 秒\n")

    def tick(self, name: str, done: int, total: int, start: float) -> None:
        if self.live and total:
            rate = done / max(time.perf_counter() - start, 1e-9)
            sys.stderr.write(f"\r  {name} {100 * done / total:5.1f}%  {done:,}/{total:,}  {rate:,.0f} 行/秒")
            if done >= total:
                sys.stderr.write("\r" + " " * 79 + "\r")
            sys.stderr.flush()

    @property
    def total_seconds(self) -> float:
        return sum(s.seconds for s in self.stages)


def build_demo(*, students: int, seed: int = 2026, reset: bool = False, out: TextIO = sys.stdout,
               chunk: int = 50_000, indexes: str = "drop", live: bool | None = None,
               verbose: bool = False, progress: Progress | None = None) -> Progress:
    """Build the province; `progress` may be a Progress subclass that measures more (the bench)."""
    progress = progress or Progress(out, live)
    with small_pages(), transaction.atomic():
        if reset:
            with progress.stage("清空演示数据 reset"):
                reset_demo(connection)
        elif Borrower.objects.exists():
            raise DemoDataExists(
                "数据库中已有借款学生数据；如需重建演示数据，请加 --reset（将清空演示数据）。")

        with progress.stage("机构与账号 organisations & staff"):
            tree = build_orgs()
            password_hash = demo_password_hash()
            users = {u.username: u.pk for u in build_staff(tree, password_hash)}

        with progress.stage("生成数据 generate (NumPy)", students):
            rng = np.random.default_rng(seed)
            people = make_students(students, rng)
            lookup = PolicyLookup()
            plan, applications = split_applications(make_contracts(people, lookup, rng))
            co = make_co_borrowers(people, plan.first_year, plan.last_year, rng)
            kin = make_contacts(people, co, rng)
            writer = BulkWriter(connection, timezone.now())
            base = {"borrower": writer.next_id(Borrower), "co_borrower": writer.next_id(CoBorrower),
                    "contact": writer.next_id(EmergencyContact), "contract": writer.next_id(Contract),
                    "posting": writer.next_id(Posting),
                    "early_repayment": writer.next_id(EarlyRepaymentApplication),
                    **{key: writer.next_id(model) for model, key in workload.KEYS.items()}}
            world = World(students=people, plan=plan, co=co, kin=kin, lookup=lookup,
                          tree=tree, base=base, vendor=connection.vendor)

        with ThreadPoolExecutor(max_workers=1) as pool:
            # The ledger and the season's paperwork are NumPy work on the contracts alone (no
            # database): computed while the students are written, NumPy releasing the GIL.
            pending = pool.submit(_ledger_and_season, world, applications, users, rng)
            restore = []
            if indexes != "keep":
                with progress.stage("暂时删除索引与外键 drop indexes"):
                    restore = writer.drop_secondary(BULK_MODELS, primary_too=(Posting,))
            _load(writer, progress, chunk, [
                ("借款学生 borrowers", Borrower, world.borrowers, people.n),
                ("共同借款人 co-borrowers", CoBorrower, world.co_borrowers, people.n),
                ("紧急联系人 emergency contacts", EmergencyContact, world.contacts, people.n)])
            with progress.stage("账务与待办 ledger & season (NumPy)"):
                ledger, season = pending.result()
        _load(writer, progress, chunk, [
            ("借款合同 contracts", Contract, world.contracts, plan.n),
            ("贷款账户 loan accounts", LoanAccount, world.accounts, ledger.n),
            ("分录 postings", Posting, world.postings, len(ledger.postings["row"])),
            ("提前还款 early repayments", EarlyRepaymentApplication, world.early_repayments,
             int((ledger.early_on != NO_DATE).sum())),
            *season.tables(),
        ], binary={LoanAccount: world.account_values, Posting: world.posting_values})

        if restore:
            with progress.stage(f"重建索引与外键 rebuild ({len(restore)})"):
                writer.restore(restore, progress.detail if verbose else None)

        with progress.stage("收尾 sequences, student login, analyze"):
            writer.reset_sequences(BULK_MODELS)
            if people.n:
                _demo_student_user(base["borrower"], password_hash, people)
            workload.finish_season(season)
            writer.analyze(BULK_MODELS)
            _pin_business_date(out)
    add_state_money(out)  # the funds' year, through their services (each its own transaction)
    return progress


def _ledger_and_season(world: World, applications, users: dict[str, int], rng):
    """Every paid-out contract's ledger (ledger.py), written back on the contracts, then the season's
    paperwork around them (workload.py)."""
    ledger = build_ledger(world.plan, world.students, world.lookup, rng)
    apply_to(world.plan, ledger)
    world.attach_ledger(ledger)
    return ledger, workload.plan_season(world, applications, users, rng)


def _load(writer: BulkWriter, progress: Progress, chunk: int, tables: list[tuple[str, type, Callable, int]],
          binary: dict | None = None) -> None:
    """Write each table in chunks; on PostgreSQL the tables in ``binary`` (model → typed-column
    renderer) go through binary COPY in large statements (each one reads the catalog)."""
    binary = binary if writer.vendor == "postgresql" else {}
    for label, model, render, total in tables:
        sink_for, step = writer.table, chunk
        if model in (binary or {}):
            sink_for, render, step = writer.binary_table, binary[model], max(chunk, 1_000_000)
        # Each posting's account comes from the same array as the accounts just written.
        trusted = posting_references_trusted(writer.connection) if model is Posting else nullcontext()
        with progress.stage(label, total), trusted, sink_for(model) as sink:
            start = time.perf_counter()
            for lo in range(0, total, step):
                hi = min(lo + step, total)
                sink(render(lo, hi), hi - lo)
                progress.tick(label, hi, total, start)


def _demo_student_user(borrower_pk: int, password_hash: str, people) -> User:
    """The demo student's login, named like the accounts students activate themselves (s<pk>)."""
    prefix, body = mobiles(np.array([0]), people.mobile_salt)
    username = f"s{borrower_pk}"
    user = User.objects.filter(username=username).first() or user_create(
        actor=None, username=username, organisation=None, roles=[Role.STUDENT],
        real_name=DEMO_STUDENT_NAME, mobile=f"{MOBILE_PREFIXES[prefix[0]]}{body[0]:08d}")
    user.password = password_hash
    user.save(update_fields=["password"])
    Borrower.objects.filter(pk=borrower_pk).update(user=user)
    return user


def _pin_business_date(out: TextIO) -> None:
    """The portfolio is drawn as of 2026-11-20; the site should see the same day unless told otherwise."""
    if settings.XUEDAI_BUSINESS_DATE or BusinessDate.objects.filter(pk=1).exists():
        if businessdate.today() != BUSINESS_DATE:
            out.write(f"  注意：业务日期为 {businessdate.today()}，演示数据按 {BUSINESS_DATE} 生成。\n")
        return
    businessdate.set_stored_business_date(BUSINESS_DATE)
