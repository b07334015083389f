"""Fifty clients at once against one borrower's money (tests and bench/bench_import_races.py).

Needs PostgreSQL and committed data (real concurrency: every thread has its own connection and
goes through the real request handling with Django's test client — middleware, sessions, views):

- **same file**: clients re-upload one identical Alipay result file (``POST /loans/deductions/<id>/
  upload/``) — exactly one may be posted, the rest refused by its hash or told an import is running;
- **different files**: clients upload, for the agent-bank run, a partial result (600.00 each) and a
  full one — whatever the order, each line's ledger cash equals what the accepted files record;
- **repayments**: clients post 100.00 for one borrower through ``repayment_post`` (every one lands once);
- **early repayment**: clients ``POST /postloan/me/contracts/<id>/early-repayment/`` for the same
  borrower — one application, a clear message for every other click.

Counted: ``responses_500`` (and any exception a client raised), ``double_posts`` (a line whose ledger
cash differs from the files' record, or exceeds the line), ``reconcile_differences``
(``reconcile_files``), ``repayment_mismatch`` (fen off the posted total), ``early_applications``
(must be 1) and ``unclear`` (a response without a Chinese message).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

from django.db import connection
from django.test import Client

from tests import factories
from tests.harness.deduction import DAY, cash_posted, result_file, settled_accounts
from tests.loans.conftest import make_contract
from tests.web.helpers import any_policy_version, login
from xuedai import businessdate
from xuedai.loans.deduction.services import deduction_prepare
from xuedai.loans.models import Channel, DeductionLine, EarlyRepaymentApplication, LineResult, LoanAccount
from xuedai.loans.reconcile_files import result_file_differences
from xuedai.loans.services import contract_disburse, repayment_post
from xuedai.orgs.models import Role

APPLY_ON = dt.date(2020, 3, 5)  # seed window: by the 10th of March → deducted 20 March
REPAYMENT = Decimal("100.00")
_ALERT = re.compile(r'role="alert">(.*?)</div>', re.S)
BAD = ("responses_500", "client_errors", "double_posts", "reconcile_differences", "repayment_mismatch",
       "unclear", "early_applications_not_one")


def build(province, per_county: int, folder: Path) -> dict:
    """The runs, their result files, a staff user and a student with a live account (committed)."""
    any_policy_version()  # the migrations' versions, or one made here after a flush emptied them
    # The student's account is opened before the settlement batches run (they settle it too); still
    # studying on 20 Dec 2019 (self-pay from 2021), it owes nothing then and is in no deduction run.
    borrower = factories.BorrowerFactory(county=province.counties[1], university=province.universities[0],
                                         graduation_date=dt.date(2021, 6, 30), enrolled_year=2017)
    student = factories.make_user(None, Role.STUDENT, username=f"s{borrower.pk}", with_totp=False)
    borrower.user = student
    borrower.save(update_fields=["user"])
    contract = make_contract(province, county=province.counties[1], borrower=borrower,
                             maturity=dt.date(2030, 12, 20), self_pay_from=dt.date(2021, 9, 1))
    account = contract_disburse(actor=None, contract=contract, on=dt.date(2018, 9, 1))
    settled_accounts(province, per_county)
    runs = {r.channel: r for r in deduction_prepare(on=DAY)}
    alipay, agent = runs[Channel.ALIPAY], runs[Channel.AGENT_BANK]
    assert not DeductionLine.objects.filter(account=account).exists()
    same = result_file(alipay, folder / "alipay-result")
    partial = result_file(agent, folder / "agent-partial", default=("成功", "600.00", "部分还款"))
    full = result_file(agent, folder / "agent-full.csv", fmt="csv", encoding="gbk")
    operator = factories.make_user(province.centre, Role.OPERATOR)
    return {"alipay": alipay, "agent": agent, "same": same, "partial": partial, "full": full,
            "operator": operator, "student": student, "account": account}


def _alerts(response) -> list[str]:
    return [re.sub(r"<[^>]+>", "", text).strip() for text in _ALERT.findall(response.content.decode())]


def run_clients(world: dict, clients: int) -> Counter:
    """``clients`` threads released together; returns the counts (see the module docstring)."""
    share = max(clients // 5, 1)
    jobs = (["same"] * (2 * share) + ["partial"] * (share // 2 or 1) + ["full"] * (share // 2 or 1)
            + ["repay"] * (share // 2 or 1))
    jobs += ["early"] * max(clients - len(jobs), 1)
    counts: Counter = Counter(clients=len(jobs))
    lock, start = threading.Lock(), threading.Barrier(len(jobs))
    sessions = {}
    for index, job in enumerate(jobs):
        client = Client(raise_request_exception=False)
        login(client, world["student"] if job == "early" else world["operator"])
        sessions[index] = client

    def one(index: int, job: str) -> None:
        client = sessions[index]
        try:
            start.wait()
            if job == "repay":  # its own instance, as each request loads its own
                account = LoanAccount.objects.select_related("contract__policy_version").get(
                    pk=world["account"].pk)
                repayment_post(actor=None, account=account, on=APPLY_ON, amount=REPAYMENT, source="并发还款")
                with lock:
                    counts["repayments_posted"] += 1
                return
            if job == "early":
                url = f"/postloan/me/contracts/{world['account'].pk}/early-repayment/"
                response = client.post(url, {}, follow=True)
            else:
                run = world["alipay"] if job == "same" else world["agent"]
                url = f"/loans/deductions/{run.pk}/upload/"
                with Path(world[job]).open("rb") as handle:
                    response = client.post(url, {"file": handle}, follow=True)
            alerts = _alerts(response)
            with lock:
                counts[f"status_{response.status_code}"] += 1
                counts["responses_500"] += response.status_code >= 500
                if response.status_code < 500 and not alerts:
                    counts["unclear"] += 1
                for text in alerts[:1]:
                    counts[f"{job}: {text[:24]}"] += 1
        except Exception as error:
            with lock:
                counts["client_errors"] += 1
                counts[f"error: {type(error).__name__}: {str(error)[:80]}"] += 1
        finally:
            connection.close()

    with businessdate.business_date(APPLY_ON), ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        list(pool.map(lambda pair: one(*pair), enumerate(jobs)))
    _check(world, counts)
    return counts


def _check(world: dict, counts: Counter) -> None:
    for line in DeductionLine.objects.filter(run__in=[world["alipay"], world["agent"]]).select_related("run"):
        recorded = line.paid if line.result == LineResult.SUCCESS else Decimal("0")
        cash = cash_posted(line.account_id, DAY)
        counts["lines"] += 1
        counts["lines_paid"] += cash > 0
        if cash != recorded or cash > line.amount:
            counts["double_posts"] += 1
    counts["reconcile_differences"] = len(list(result_file_differences(as_of=DAY)))
    posted = cash_posted(world["account"].pk, APPLY_ON)
    counts["repayment_mismatch"] = int(posted != REPAYMENT * counts["repayments_posted"])
    applications = EarlyRepaymentApplication.objects.filter(account=world["account"]).count()
    counts["early_applications"] = applications
    counts["early_applications_not_one"] = int(applications != 1)
    counts["accounts_negative"] = LoanAccount.objects.filter(credit__lt=0).count()


def bad_count(counts: Counter) -> int:
    return sum(counts[key] for key in BAD)
