"""Ten years of the demo portfolio through every batch, then reconcile: zero differences.

Issue 3 §5: ``xuedai simulate`` runs the business calendar forward over the demo portfolio (each
20th with the channel simulator answering, 20 Dec settlements, maturities, quarter ends) and
``xuedai reconcile`` recomputes every account from its postings and from the core engine.
"""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from xuedai import businessdate
from xuedai.jobs.models import JobRun
from xuedai.loans.models import DeductionRun, GradeRecord, Kind, LoanAccount, Posting

STUDENTS = 32


@pytest.fixture
def portfolio(db, settings, tmp_path):
    settings.XUEDAI_BUSINESS_DATE = None  # the stored date moves with the simulation
    settings.MEDIA_ROOT = tmp_path
    call_command("demo_data", students=STUDENTS, stdout=StringIO())
    return businessdate.today()


def test_ten_years_of_the_demo_portfolio_reconcile_to_zero(portfolio):
    start = portfolio
    until = start.replace(year=start.year + 10)
    out = StringIO()
    call_command("simulate", until=until.isoformat(), quiet=True, stdout=out)
    assert businessdate.today() == until

    accounts = LoanAccount.objects.count()
    assert accounts >= 50
    kinds = set(Posting.objects.values_list("kind", flat=True).distinct())
    assert {Kind.SUBSIDY_INTEREST, Kind.INTEREST, Kind.PRINCIPAL, Kind.PAY_INTEREST, Kind.PAY_PRINCIPAL,
            Kind.PENALTY, Kind.PAY_OVERDUE_PRINCIPAL} <= kinds
    assert DeductionRun.objects.filter(business_date__month=11).count() == 0  # never on 20 Nov
    assert GradeRecord.objects.filter(as_of=dt.date(start.year + 5, 12, 31)).exists()
    assert JobRun.objects.filter(status="failed").count() == 0

    report = StringIO()
    call_command("reconcile", stdout=report)  # exits 1 (SystemExit) on any difference
    assert "0 处差异" in report.getvalue()
