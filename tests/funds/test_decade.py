"""Issue 11 §5: the subsidy receivable reconciles to zero after a simulated decade with quarterly
payments — ``xuedai simulate`` runs the calendar, each quarter end the finance department's
transfer pays every receivable (through the funds service, contract by contract), and
``xuedai reconcile`` finds no difference between the ledger, its cache and the engine."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from tests import factories
from xuedai import businessdate
from xuedai.funds.models import SubsidyPayment
from xuedai.funds.services.subsidy import PaymentLine, subsidy_payment_record
from xuedai.loans.models import Kind, LoanAccount, Posting
from xuedai.orgs.models import Organisation, OrgKind, Role

STUDENTS = 16


@pytest.fixture
def portfolio(db, settings, tmp_path):
    settings.XUEDAI_BUSINESS_DATE = None  # the stored date moves with the simulation
    settings.MEDIA_ROOT = tmp_path
    call_command("demo_data", students=STUDENTS, stdout=StringIO())
    return businessdate.today()


def _quarter_ends(start: dt.date, until: dt.date):
    for year in range(start.year, until.year + 1):
        for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
            if start < dt.date(year, month, day) <= until:
                yield dt.date(year, month, day)


def _pay_every_receivable(actor, on: dt.date) -> int:
    owed = list(
        LoanAccount.objects.filter(subsidy_receivable__gt=0).values_list(
            "contract__contract_no", "subsidy_receivable"
        )
    )
    if owed:
        subsidy_payment_record(
            actor=actor,
            received_on=on,
            payer="四川省财政厅",
            reference=f"川财教{on:%Y%m%d}",
            lines=[PaymentLine(i, no, amount) for i, (no, amount) in enumerate(owed, start=1)],
        )
    return len(owed)


def test_a_decade_of_quarterly_subsidy_payments_leaves_nothing_receivable(portfolio):
    province = Organisation.objects.filter(kind=OrgKind.PROVINCE_CENTRE).first()
    officer = factories.make_user(province, Role.OPERATOR)
    start, until = portfolio, portfolio.replace(year=portfolio.year + 10)
    paid_quarters = 0
    for quarter_end in _quarter_ends(start, until):
        call_command("simulate", until=quarter_end.isoformat(), quiet=True, stdout=StringIO())
        paid_quarters += bool(_pay_every_receivable(officer, quarter_end))
    call_command("simulate", until=until.isoformat(), quiet=True, stdout=StringIO())
    _pay_every_receivable(officer, until)

    assert paid_quarters >= 3  # a payment after each 20 Dec while borrowers are still at school
    charged = sum(Posting.objects.filter(kind=Kind.SUBSIDY_INTEREST).values_list("amount", flat=True))
    received = sum(Posting.objects.filter(kind=Kind.SUBSIDY_RECEIVED).values_list("amount", flat=True))
    assert charged > 0 and charged == received == sum(SubsidyPayment.objects.values_list("total", flat=True))
    assert not LoanAccount.objects.filter(subsidy_receivable__gt=0).exists()
    report = StringIO()
    call_command("reconcile", stdout=report)  # exits 1 (SystemExit) on any difference
    assert "0 处差异" in report.getvalue()
