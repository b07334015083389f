"""Deduction runs: files in the seed layouts, the channel's answer, import, postings (issue 3 §3).

Two contracts of DOMAIN.md §4's example: one in 三台县 (served by an agent bank → 批量扣款信息表
(代理行版)), one in 南部县 (Alipay → 扣款明细表). On 20 Dec 2019 each owes 103.58 + 1500.
"""

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from tests.loans.conftest import make_contract
from xuedai.daily.calendar import business_day_run
from xuedai.loans.batches import settlement_batch
from xuedai.loans.channel_simulator import channel_answer
from xuedai.loans.deduction.layouts import AGENT_BANK, ALIPAY, LAYOUTS
from xuedai.loans.deduction.services import ImportError_, deduction_import, deduction_post, deduction_prepare
from xuedai.loans.models import Channel, DeductionLine, DeductionRun, Kind, LoanAccount, Posting
from xuedai.loans.services import contract_disburse

DAY = dt.date(2019, 12, 20)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def two_accounts(province, media):
    accounts = []
    for county in province.counties:
        contract = make_contract(province, county=county)
        accounts.append(contract_disburse(actor=None, contract=contract, on=dt.date(2018, 9, 1)))
    for day in (dt.date(2018, 12, 20), DAY):
        settlement_batch(on=day)
    return accounts


def _sheet(path: Path) -> list[tuple]:
    workbook = load_workbook(path, read_only=True)
    rows = [tuple(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return rows


def _answer(run: DeductionRun, outcomes: dict[int, tuple[str, str, str]], path: Path) -> Path:
    """A result file as the channel returns it: the sent rows with the result columns filled."""
    rows = _sheet(media_path(run))
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(rows[0])
    headers = list(rows[0])
    for row in rows[1:]:
        row = list(row)
        result, paid, reason = outcomes[row[0]]
        row[headers.index(LAYOUTS[run.layout_name].headers[-3])] = result
        row[headers.index(LAYOUTS[run.layout_name].headers[-2])] = float(paid)
        row[headers.index(LAYOUTS[run.layout_name].headers[-1])] = reason
        sheet.append(row)
    workbook.save(path)
    return path


def media_path(run: DeductionRun) -> Path:
    from django.conf import settings

    return Path(settings.MEDIA_ROOT) / run.request_file


def test_files_in_both_layouts_read_back_with_openpyxl(two_accounts):
    runs = deduction_prepare(on=DAY)
    assert {r.channel for r in runs} == {Channel.ALIPAY, Channel.AGENT_BANK}
    for run in runs:
        rows = _sheet(media_path(run))
        assert list(rows[0]) == LAYOUTS[run.layout_name].headers
        assert len(rows) == 2
        row = dict(zip(rows[0], rows[1], strict=True))
        assert row["序号"] == 1 and row["合同编号"] == run.lines.get().account.contract.contract_no
        assert isinstance(row["身份证号"], str) and len(row["身份证号"]) == 18  # text, not a number
        total = "应扣合计" if run.layout_name == ALIPAY else "应还合计"
        assert row[total] == 1603.58
        assert row["扣款结果" if run.layout_name == ALIPAY else "还款结果"] in (None, "")
    assert {r.layout_name for r in runs} == {ALIPAY, AGENT_BANK}


def test_round_trip_success_and_failure(two_accounts, tmp_path):
    alipay_account, = [a for a in two_accounts if a.contract.county.agent_bank_id is None]
    runs = {r.channel: r for r in deduction_prepare(on=DAY)}
    alipay = runs[Channel.ALIPAY]
    deduction_import(actor=None, run=alipay, path=_answer(alipay, {1: ("成功", "1603.58", "")},
                                                           tmp_path / "alipay.xlsx"))
    deduction_post(actor=None, run=alipay)
    agent = runs[Channel.AGENT_BANK]
    failed = _answer(agent, {1: ("失败", "0", "余额不足（差3.20元）")}, tmp_path / "agent.xlsx")
    deduction_import(actor=None, run=agent, path=failed)
    deduction_post(actor=None, run=agent)

    paid = LoanAccount.objects.get(pk=alipay_account.pk)
    assert (paid.principal_due, paid.interest_due, paid.principal_outstanding) == (0, 0, D("4500.00"))
    assert set(Posting.objects.filter(account=paid, business_date=DAY, kind__startswith="pay_")
               .values_list("kind", "amount")) == {(Kind.PAY_INTEREST, D("103.58")),
                                                    (Kind.PAY_PRINCIPAL, D("1500.00"))}
    unpaid = LoanAccount.objects.exclude(pk=alipay_account.pk).get()
    assert (unpaid.principal_due, unpaid.interest_due) == (D("1500.00"), D("103.58"))
    line = DeductionLine.objects.get(run=agent)
    assert (line.result, line.reason, line.posted) == ("failed", "余额不足（差3.20元）", True)
    alipay.refresh_from_db()
    assert (alipay.status, alipay.amount_paid) == ("posted", D("1603.58"))
    assert alipay.result_file.endswith(".xlsx")

    # The next 20th re-deducts the overdue amount with 31 days' penalty and compound interest.
    business_day_run(on=dt.date(2020, 1, 20))
    line = DeductionLine.objects.get(run__business_date=dt.date(2020, 1, 20))
    assert line.account_id == unpaid.pk and line.kind == "overdue"
    # 1500 × 7.345% × 31/360 = 9.49; 103.58 × 7.345% × 31/360 = 0.66
    assert (line.penalty, line.amount) == (D("10.15"), D("1613.73"))


def test_a_result_file_that_does_not_match_is_refused_whole(two_accounts, tmp_path):
    run = {r.channel: r for r in deduction_prepare(on=DAY)}[Channel.ALIPAY]
    path = _answer(run, {1: ("成功", "9999.00", "")}, tmp_path / "bad.xlsx")
    with pytest.raises(ImportError_) as error:
        deduction_import(actor=None, run=run, path=path)
    assert "多于应扣" in error.value.errors[0]
    assert not run.lines.exclude(result="").exists()


def test_channel_simulator_answers_in_the_format_import_reads(two_accounts):
    for run in deduction_prepare(on=DAY):
        path = channel_answer(run=run, seed=7)
        assert channel_answer(run=run, seed=7).read_bytes()[:2] == path.read_bytes()[:2]
        rows = _sheet(path)
        result = rows[0].index("扣款结果" if run.layout_name == ALIPAY else "还款结果")
        assert rows[1][result] in ("成功", "失败")
        deduction_import(actor=None, run=run, path=path)
        deduction_post(actor=None, run=run)
        run.refresh_from_db()
        line = run.lines.get()
        assert line.posted and run.status == "posted"
        posted = sum(Posting.objects.filter(account=line.account, business_date=DAY)
                     .filter(kind__in=[Kind.PAY_INTEREST, Kind.PAY_PRINCIPAL, Kind.CREDIT_IN])
                     .values_list("amount", flat=True), D(0))
        assert posted == line.paid


def test_no_deduction_on_20_november(two_accounts):
    assert deduction_prepare(on=dt.date(2020, 11, 20)) == []
    business_day_run(on=dt.date(2020, 11, 20), channel_seed=1)
    assert not DeductionRun.objects.filter(business_date=dt.date(2020, 11, 20)).exists()


def test_re_running_a_day_posts_nothing_twice(two_accounts):
    business_day_run(on=dt.date(2020, 12, 20), channel_seed=3)
    before = list(Posting.objects.order_by("pk").values_list("pk", "kind", "amount"))
    lines = DeductionLine.objects.count()
    business_day_run(on=dt.date(2020, 12, 20), channel_seed=3)
    settlement_batch(on=dt.date(2020, 12, 20))
    assert list(Posting.objects.order_by("pk").values_list("pk", "kind", "amount")) == before
    assert DeductionLine.objects.count() == lines


def test_posting_a_run_killed_midway_resumes_without_posting_twice(province, media, tmp_path, monkeypatch):
    from xuedai.loans.deduction import posting as services

    for _ in range(3):
        contract = make_contract(province, county=province.counties[1])
        contract_disburse(actor=None, contract=contract, on=dt.date(2018, 9, 1))
    for day in (dt.date(2018, 12, 20), DAY):
        settlement_batch(on=day)
    run, = deduction_prepare(on=DAY)
    deduction_import(actor=None, run=run, path=_answer(run, dict.fromkeys((1, 2, 3), ("成功", "1603.58", "")),
                                                       tmp_path / "r.xlsx"))
    monkeypatch.setattr(services, "CHUNK", 1)  # one line per transaction
    real, calls = services.repayment_post, []

    def dies_on_the_second(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("进程被终止")
        return real(**kwargs)

    monkeypatch.setattr(services, "repayment_post", dies_on_the_second)
    with pytest.raises(RuntimeError):
        deduction_post(actor=None, run=run)
    assert run.lines.filter(posted=True).count() == 1
    deduction_post(actor=None, run=run)
    assert run.lines.filter(posted=True).count() == 3
    paid = Posting.objects.filter(business_date=DAY, kind__in=[Kind.PAY_INTEREST, Kind.PAY_PRINCIPAL])
    assert paid.count() == 6 and sum(paid.values_list("amount", flat=True)) == 3 * D("1603.58")


def test_a_failed_deduction_reaches_the_borrower_through_post_loan_reminders(two_accounts, tmp_path):
    from xuedai.daily.calendar import post_loan_reminders
    from xuedai.postloan.models import CampaignKind, Reminder

    agent = {r.channel: r for r in deduction_prepare(on=DAY)}[Channel.AGENT_BANK]
    deduction_import(actor=None, run=agent, path=_answer(agent, {1: ("失败", "0", "账户冻结")},
                                                         tmp_path / "agent.xlsx"))
    deduction_post(actor=None, run=agent)
    post_loan_reminders(on=DAY)
    failed_borrower = DeductionLine.objects.get(run=agent).account.contract.borrower
    reminders = Reminder.objects.filter(campaign__kind=CampaignKind.FAILED_DEDUCTION,
                                        campaign__business_date=DAY)
    assert list(reminders.values_list("borrower", flat=True)) == [failed_borrower.pk]


def test_a_result_file_arriving_after_a_counter_payment_is_applied_as_of_the_run_day(two_accounts, tmp_path):
    """Transit grace (DOMAIN.md §4 Channels): the channel took 1603.58 on 20 Dec 2019; the borrower
    paid 100.00 at the counter on 23 Dec (3 days' penalty 0.92 + 0.06 charged then); the result
    file is posted on 24 Dec, the 2nd working day: as of 20 Dec, the 23 Dec postings reversed and
    the 100.00 kept as credit. Without the grace the row could not be posted at all."""
    from xuedai import businessdate
    from xuedai.loans.services import repayment_post
    from xuedai.policies.models import PolicyVersion

    alipay_account, = [a for a in two_accounts if a.contract.county.agent_bank_id is None]
    PolicyVersion.objects.filter(pk=alipay_account.contract.policy_version_id).update(
        transit_grace_working_days=7)
    alipay = {r.channel: r for r in deduction_prepare(on=DAY)}[Channel.ALIPAY]
    repayment_post(actor=None, account=alipay_account, on=dt.date(2019, 12, 23), amount=D("100.00"))
    assert Posting.objects.filter(account=alipay_account, kind=Kind.PENALTY, amount=D("0.92")).exists()
    with businessdate.business_date(dt.date(2019, 12, 24)):
        deduction_import(actor=None, run=alipay, path=_answer(alipay, {1: ("成功", "1603.58", "")},
                                                               tmp_path / "alipay.xlsx"))
        deduction_post(actor=None, run=alipay)
    paid = LoanAccount.objects.get(pk=alipay_account.pk)
    assert (paid.principal_due, paid.interest_due, paid.penalty_due, paid.credit) == (0, 0, 0, D("100.00"))
    reversals = Posting.objects.filter(account=paid, kind=Kind.REVERSAL, business_date=dt.date(2019, 12, 24))
    assert reversals.count() == 5
    assert set(Posting.objects.filter(account=paid, business_date=DAY, kind__startswith="pay_")
               .values_list("kind", "amount")) == {(Kind.PAY_INTEREST, D("103.58")),
                                                    (Kind.PAY_PRINCIPAL, D("1500.00"))}
    alipay.refresh_from_db()
    assert (alipay.status, alipay.amount_paid) == ("posted", D("1603.58"))
