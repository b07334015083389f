"""Batches: kill and resume, relief to a population, early repayment, quarter-end grades."""

import datetime as dt
from decimal import Decimal as D

import pytest

from tests.loans.conftest import make_contract
from xuedai.daily.calendar import business_day_run, event_days
from xuedai.jobs.models import JobRun, JobStatus
from xuedai.loans import batches
from xuedai.loans.batches import classification_batch, relief_batch, settlement_batch
from xuedai.loans.models import (
    EarlyRepaymentApplication,
    GradeRecord,
    Kind,
    LoanAccount,
    Posting,
    ReliefProgramme,
)
from xuedai.loans.reconcile import account_differences
from xuedai.loans.services import contract_disburse, early_repayment_apply, repayment_post
from xuedai.origination.models import ContractState


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _accounts(province, n, **kw):
    return [contract_disburse(actor=None, contract=make_contract(province, **kw), on=dt.date(2018, 9, 1))
            for _ in range(n)]


def _no_differences(on):
    for account in LoanAccount.objects.select_related("contract"):
        assert account_differences(account, on) == [], account.pk


def test_kill_and_resume_finishes_with_the_same_totals(province, monkeypatch):
    accounts = _accounts(province, 5)
    monkeypatch.setattr(batches, "CHUNK", 2)
    real, calls = batches.settlement_post, []

    def dies_on_the_third(**kwargs):
        calls.append(kwargs["account"].pk)
        if len(calls) == 3:
            raise RuntimeError("进程被终止")
        return real(**kwargs)

    monkeypatch.setattr(batches, "settlement_post", dies_on_the_third)
    day = dt.date(2018, 12, 20)
    with pytest.raises(RuntimeError):
        settlement_batch(on=day)
    run = JobRun.objects.get(kind="loans.settlement", business_date=day)
    assert run.status == JobStatus.FAILED and run.progress_done == 2
    assert Posting.objects.filter(kind=Kind.SUBSIDY_INTEREST).count() == 2  # chunk 2 rolled back

    run = settlement_batch(on=day)  # resumed: the third call no longer dies
    assert run.status == JobStatus.DONE and run.progress_done == 5
    subsidy = Posting.objects.filter(kind=Kind.SUBSIDY_INTEREST, business_date=day)
    assert sorted(subsidy.values_list("account_id", flat=True)) == sorted(a.pk for a in accounts)
    assert sum(subsidy.values_list("amount", flat=True)) == 5 * D("103.58")
    assert settlement_batch(on=day).pk == run.pk  # done: a third call does nothing
    assert subsidy.count() == 5


def test_relief_waives_the_years_interest_and_defers_principal_for_the_chosen_population(province):
    graduated = _accounts(province, 2)
    other_county = _accounts(province, 1, county=province.counties[1])
    for year in (2018, 2019):
        settlement_batch(on=dt.date(year, 12, 20))
    for account in graduated + other_county:  # 2019 paid, 2020 left unpaid
        repayment_post(actor=None, account=account, on=dt.date(2019, 12, 20), amount=D("1603.58"))
    settlement_batch(on=dt.date(2020, 12, 20))
    programme = ReliefProgramme.objects.create(name="2021年免息延期", year=2021)
    on = dt.date(2021, 6, 1)
    run = relief_batch(programme=programme, on=on, defer_principal=True, graduation_year=2019,
                       county_id=province.counties[0].pk)
    assert run.progress_done == 2
    waived = Posting.objects.filter(kind=Kind.WAIVE_PENALTY, business_date=on)
    assert sorted(waived.values_list("account_id", flat=True)) == sorted(a.pk for a in graduated)
    # Penalty on 1500 and compound on 254.25 since 20 Dec 2020 (163 days), charged then waived.
    assert waived.first().amount == D("49.88") + D("8.46")
    assert relief_batch(programme=programme, on=on, defer_principal=True, graduation_year=2019,
                        county_id=province.counties[0].pk).progress_done == 2  # done, not re-applied

    settlement_batch(on=dt.date(2021, 12, 20))
    relieved = LoanAccount.objects.get(pk=graduated[0].pk)
    today = Posting.objects.filter(account=relieved, business_date=dt.date(2021, 12, 20))
    # No principal: 2021's 1500 is deferred to 2022.
    assert set(today.values_list("kind", "amount")) == {
        (Kind.INTEREST, D("169.50")), (Kind.WAIVE_INTEREST, D("169.50"))}
    untouched = Posting.objects.filter(account=other_county[0], business_date=dt.date(2021, 12, 20))
    assert set(untouched.values_list("kind", flat=True)) == {Kind.INTEREST, Kind.PRINCIPAL}
    _no_differences(dt.date(2021, 12, 31))


def test_early_repayment_paid_from_credit(province, media):
    account, = _accounts(province, 1, maturity=dt.date(2024, 12, 20))
    for year in (2018, 2019, 2020):
        settlement_batch(on=dt.date(year, 12, 20))
    repayment_post(actor=None, account=account, on=dt.date(2020, 12, 20), amount=D("10000.00"))
    application = early_repayment_apply(actor=None, account=account, applied_on=dt.date(2021, 3, 5))
    assert application.deduct_on == dt.date(2021, 3, 20)  # seed rule: by the 10th → the 20th
    business_day_run(on=dt.date(2021, 3, 20), channel_seed=11)
    application.refresh_from_db()
    account.refresh_from_db()
    assert application.status == "done", application.reason
    assert account.principal_outstanding == 0 and account.contract.state == ContractState.SETTLED
    assert account.credit > 0  # the rest of the 10000 waits to be refunded
    _no_differences(dt.date(2021, 3, 31))


def test_early_repayment_through_the_deduction_file(province, media, tmp_path):
    from tests.loans.test_deduction import _answer
    from xuedai.loans.deduction.services import deduction_import, deduction_post, deduction_prepare

    account, = _accounts(province, 1, maturity=dt.date(2024, 12, 20))
    # Principal 1000 a year on 20 Dec 2019–2024: pay 2019 (103.58 + 1000) and 2020 (5000 × 5.65% + 1000).
    for year, amount in ((2018, None), (2019, D("1103.58")), (2020, D("1282.50"))):
        settlement_batch(on=dt.date(year, 12, 20))
        if amount:
            repayment_post(actor=None, account=account, on=dt.date(year, 12, 20), amount=amount)
    early_repayment_apply(actor=None, account=account, applied_on=dt.date(2021, 3, 1),
                          principal=D("1000.00"))
    run, = deduction_prepare(on=dt.date(2021, 3, 20))
    line = run.lines.get()
    # 20 Dec 2020 → 20 Mar 2021 is 90 days on 4000: 4000 × 5.65% × 90/360 = 56.50, plus 1000 principal.
    assert (line.kind, line.interest, line.principal, line.amount) == (
        "early", D("56.50"), D("1000.00"), D("1056.50"))
    answer = _answer(run, {1: ("成功", "1056.50", "")}, tmp_path / "r.xlsx")
    deduction_import(actor=None, run=run, path=answer)
    deduction_post(actor=None, run=run)
    account.refresh_from_db()
    assert account.principal_outstanding == D("3000.00") and account.credit == 0
    assert EarlyRepaymentApplication.objects.get().status == "done"
    _no_differences(dt.date(2021, 3, 31))


def test_quarter_end_grades_are_stored_per_contract(province):
    accounts = _accounts(province, 2)
    for year in (2018, 2019):
        settlement_batch(on=dt.date(year, 12, 20))
    repayment_post(actor=None, account=accounts[0], on=dt.date(2019, 12, 20), amount=D("1603.58"))
    classification_batch(on=dt.date(2020, 6, 30))
    grades = dict(GradeRecord.objects.filter(as_of=dt.date(2020, 6, 30)).values_list("account_id", "grade"))
    # Seed rule: the unpaid 20 Dec 2019 amounts are 6 months overdue on 20 Jun → 次级 until then,
    # 可疑 after (30 Jun).
    assert grades == {accounts[0].pk: "normal", accounts[1].pk: "doubtful"}
    assert LoanAccount.objects.get(pk=accounts[1].pk).grade == "doubtful"


def test_event_days_jump_between_business_events(province):
    _accounts(province, 1)
    days = event_days(dt.date(2019, 11, 1), dt.date(2020, 1, 31))
    # 1 Jan 2020: a rate day (LPR resets; loans.rate_schedule.rate_days).
    assert days == [dt.date(2019, 11, 15), dt.date(2019, 11, 20), dt.date(2019, 12, 20),
                    dt.date(2019, 12, 31), dt.date(2020, 1, 1), dt.date(2020, 1, 20)]
    assert EarlyRepaymentApplication.objects.count() == 0


def test_each_batch_run_is_one_audit_entry_with_its_counts(province):
    from xuedai.audit.models import AuditEntry
    from xuedai.loans.batches import penalty_batch

    accounts = _accounts(province, 3)
    day = dt.date(2018, 12, 20)
    run = settlement_batch(on=day)
    settlement_batch(on=day)  # done: no second entry
    entry, = AuditEntry.objects.filter(action="loans.settlement_batch")
    assert (entry.object_type, entry.object_id) == ("jobs.jobrun", str(run.pk))
    # 6000 at 5.65 % from 1 Sep to 20 Dec 2018, the state's: 103.58 each, 3 accounts.
    assert entry.after["rows"] == "3" and entry.after["business_date"] == "2018-12-20"
    assert entry.after["posted.subsidy_interest"] == "3 笔 310.74"
    assert not AuditEntry.objects.filter(action="loans.settlement_post").exists()  # not one per account

    for account in accounts[:2]:
        repayment_post(actor=None, account=account, on=dt.date(2019, 12, 20), amount=D("1.00"))
    quarter = dt.date(2019, 12, 31)
    settlement_batch(on=dt.date(2019, 12, 20))
    penalty_batch(on=quarter)
    classification_batch(on=quarter)
    assert AuditEntry.objects.get(action="loans.penalty_batch").after["rows"] == "3"
    grades = AuditEntry.objects.get(action="loans.classification_batch").after
    assert grades["rows"] == "3" and grades["grade.substandard"] == "3"

    summary = business_day_run(on=dt.date(2020, 1, 20), channel_seed=5)
    day_entry = AuditEntry.objects.get(action="loans.day_batch")
    assert day_entry.after["deduction_lines"] == str(summary["deduction_lines"]) == "3"
    assert AuditEntry.objects.filter(action="loans.deduction_prepare_batch").count() == 1
    assert business_day_run(on=dt.date(2020, 1, 20), channel_seed=5) == summary  # done: the same summary
    assert AuditEntry.objects.filter(action="loans.day_batch").count() == 1
