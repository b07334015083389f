"""Result-file imports that are safe against what operators and banks send (DOMAIN.md §4 Channels).

Two accounts per county of DOMAIN.md §4's example: on 20 Dec 2019 each owes 1603.58. 三台县 is served
by an agent bank (批量扣款信息表(代理行版)), 南部县 by Alipay (扣款明细表).
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from tests.harness.deduction import (
    DAY,
    OWED,
    answered,
    cash_posted,
    import_fingerprint,
    result_file,
    settled_accounts,
    table_bytes,
)
from xuedai.audit.models import AuditEntry
from xuedai.jobs.models import JobRun
from xuedai.loans.deduction.services import ImportError_, deduction_import, deduction_post, deduction_prepare
from xuedai.loans.models import Channel, Kind, LoanAccount, ResultFile, RunStatus
from xuedai.loans.reconcile import reconcile
from xuedai.loans.reconcile_files import result_file_differences
from xuedai.loans.services import repayment_post


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def runs(province, media):
    settled_accounts(province, 2)
    return {r.channel: r for r in deduction_prepare(on=DAY)}


def _refused(run, path) -> list[str]:
    before = import_fingerprint()
    with pytest.raises(ImportError_) as error:
        deduction_import(actor=None, run=run, path=path)
    assert import_fingerprint() == before  # nothing half-saved
    return error.value.errors


def _import_and_post(run, path):
    imported = deduction_import(actor=None, run=run, path=path)
    deduction_post(actor=None, run=run)
    imported.refresh_from_db()
    return imported


def test_the_same_file_twice_is_refused_by_its_hash(runs, tmp_path):
    run = runs[Channel.ALIPAY]
    path = result_file(run, tmp_path / "r")
    first = _import_and_post(run, path)
    assert first.number == 1 and first.posted and first.rows == 2
    errors = _refused(run, path)
    assert len(errors) == 1 and "不能重复导入" in errors[0] and "第1份回盘" in errors[0]
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(path.read_bytes())  # same bytes under another name: still the same file
    assert "不能重复导入" in _refused(run, copy)[0]
    assert [cash_posted(line.account_id) for line in run.lines.all()] == [OWED, OWED]
    assert list(result_file_differences(as_of=DAY)) == []


def test_a_correcting_file_posts_the_difference(runs, tmp_path):
    run = runs[Channel.AGENT_BANK]
    first = _import_and_post(run, result_file(run, tmp_path / "first", {1: ("成功", "600.00", "部分还款"),
                                                                          2: ("失败", "0", "余额不足")}))
    assert (first.amount_paid, first.amount_to_post) == (D("600.00"), D("600.00"))
    # The bank re-sends the table: line 1 paid the rest at the counter, line 2 paid in full.
    second = _import_and_post(run, result_file(run, tmp_path / "second", {1: ("成功", None, "补缴"),
                                                                            2: ("成功", None, "")}))
    assert second.number == 2 and second.changed == 2
    assert second.amount_to_post == (OWED - D("600.00")) + OWED
    lines = list(run.lines.order_by("seq"))
    assert [cash_posted(line.account_id) for line in lines] == [OWED, OWED]
    assert all(line.posted and line.paid == OWED for line in lines)
    run.refresh_from_db()
    assert (run.status, run.amount_paid, run.failed_count) == (RunStatus.POSTED, 2 * OWED, 0)
    # Each file has its own posting job; together they are what reconcile attributes to the run.
    jobs = set(ResultFile.objects.values_list("job_run_id", flat=True))
    assert len(jobs) == 2 and JobRun.objects.filter(pk__in=jobs, scope_key__startswith="result:").count() == 2
    assert list(reconcile(as_of=dt.date(2019, 12, 31))) == []
    audit = AuditEntry.objects.filter(action="loans.deduction_import").order_by("pk")
    assert [(a.after["file"], a.after["rows"], a.after["changed"]) for a in audit] == [
        ("1", "2", "2"), ("2", "2", "2")]


def test_a_correction_that_takes_money_away_or_changes_nothing_is_refused(runs, tmp_path):
    run = runs[Channel.AGENT_BANK]
    paid = {1: ("成功", "600.00", ""), 2: ("成功", None, "")}
    _import_and_post(run, result_file(run, tmp_path / "first", paid))
    less = {1: ("成功", "500.00", ""), 2: ("失败", "0", "")}
    errors = _refused(run, result_file(run, tmp_path / "less", less))
    assert errors[0].startswith("第2行：实扣金额 500.00 少于此前回盘已记录的 600.00")
    assert errors[1].startswith("第3行：实扣金额 0.00 少于此前回盘已记录的 1,603.58")
    same = result_file(run, tmp_path / "same.csv", paid, fmt="csv")
    assert "没有需要更正的内容" in _refused(run, same)[0]


def test_a_correcting_file_may_list_only_the_corrected_row(runs, tmp_path):
    run = runs[Channel.AGENT_BANK]
    _import_and_post(run, result_file(run, tmp_path / "a", {1: ("失败", "0", "冻结"), 2: ("成功", None, "")}))
    second = _import_and_post(run, result_file(run, tmp_path / "b", {1: ("成功", "100.00", "解冻后扣款")},
                                               default=None))
    assert (second.rows, second.changed, second.amount_to_post) == (1, 1, D("100.00"))
    assert [cash_posted(line.account_id) for line in run.lines.order_by("seq")] == [D("100.00"), OWED]


@pytest.mark.parametrize(("cell", "message"), [
    ("-688.12", "不能为负数"),
    ("NaN", "必须是有限的数"),
    ("Infinity", "必须是有限的数"),
    ("1e100000", "超出支持的范围"),
    ("99999999999999999999", "超出支持的范围"),
    ("12.345", "最多两位小数"),
    ("一千元", "不是合法的十进制数"),
])
def test_bad_amounts_are_refused_naming_the_row(runs, tmp_path, cell, message):
    run = runs[Channel.AGENT_BANK]
    for fmt in ("xlsx", "csv"):
        errors = _refused(run, result_file(run, tmp_path / f"bad-{fmt}", {2: ("成功", cell, "")}, fmt=fmt))
        assert any(e.startswith("第3行「实还金额」") and message in e for e in errors), errors


def test_every_bad_row_is_listed_and_nothing_is_saved(runs, tmp_path):
    run = runs[Channel.ALIPAY]
    table = answered(run, {1: ("成功", "9999.00", ""), 2: ("好像成功了", None, "")})
    table.append(list(table[1]))  # row 4 repeats row 2's line
    table.append([99, "C99999999", *table[1][2:]])  # row 5: not in this run
    path = tmp_path / "bad.xlsx"
    path.write_bytes(table_bytes(table))
    errors = _refused(run, path)
    assert [e[:4] for e in errors] == ["第2行：", "第3行：", "第4行：", "第5行："]
    assert "多于应扣" in errors[0] and "扣款结果应为" in errors[1]
    assert "与第2行重复" in errors[2] and "不在本批扣款中" in errors[3]


def test_repeated_rows_are_refused(runs, tmp_path):
    run = runs[Channel.ALIPAY]
    table = answered(run)
    table.append(list(table[2]))
    path = tmp_path / "twice.csv"
    path.write_bytes(table_bytes(table, "csv"))
    errors = _refused(run, path)
    assert errors == [f"第4行：序号 2（合同 {table[2][1]}）与第3行重复"]


def test_header_only_and_empty_files_are_refused(runs, tmp_path):
    run = runs[Channel.ALIPAY]
    header_only = tmp_path / "header.xlsx"
    header_only.write_bytes(table_bytes(answered(run, default=None)))
    assert "只有表头" in _refused(run, header_only)[0]
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "空" in _refused(run, empty)[0]
    run.refresh_from_db()
    assert run.status == RunStatus.SENT


def test_contradictory_results_are_refused(runs, tmp_path):
    run = runs[Channel.ALIPAY]
    contradictory = {1: ("失败", "100.00", "冻结"), 2: ("成功", "0", "")}
    errors = _refused(run, result_file(run, tmp_path / "c", contradictory))
    assert "扣款结果为「失败」，实扣金额应为 0 或空" in errors[0]
    assert "扣款结果为「成功」，实扣金额应大于 0" in errors[1]


def test_more_rows_than_the_run_has_lines_stops_reading(runs, tmp_path):
    run = runs[Channel.ALIPAY]
    table = answered(run) + [[n, f"C{n:08d}"] for n in range(10, 100_000)]
    path = tmp_path / "long.csv"
    path.write_bytes(table_bytes(table, "csv"))
    errors = _refused(run, path)  # 2 lines: room for 2 × 2 + 100 rows, the 105th data row stops it
    assert errors == ["第106行：文件超过 104 行数据的上限，未导入任何数据，请分文件导入。"]


def test_a_back_dated_posting_is_refused_at_import(runs, tmp_path):
    run = runs[Channel.ALIPAY]
    line = run.lines.get(seq=1)
    repayment_post(actor=None, account=line.account, on=dt.date(2020, 1, 5), amount=D("10.00"))
    errors = _refused(run, result_file(run, tmp_path / "late"))
    assert errors == [f"第2行：合同 {line.account.contract.contract_no} 在扣款日 2019-12-20 之后已有账务，"
                      f"不能再补记该日扣款"]


def test_reconcile_reports_a_line_posted_twice_and_a_result_never_posted(runs, tmp_path):
    run = runs[Channel.ALIPAY]
    imported = _import_and_post(run, result_file(run, tmp_path / "r"))
    assert list(result_file_differences(as_of=DAY)) == []
    # What the race of the old import did: the same line posted again under the run's posting job.
    line = run.lines.get(seq=2)
    repayment_post(actor=None, account=line.account, on=DAY, amount=OWED, source="重复入账",
                   job_run=imported.job_run)
    differences = list(result_file_differences(as_of=DAY))
    assert [(d.account_id, d.ledger, d.recomputed) for d in differences] == [
        (line.account_id, 2 * OWED, OWED)]
    assert "第2笔" in str(differences[0])
    assert any(d.field == f"deduction_run.{run.pk}.paid" for d in reconcile(as_of=dt.date(2019, 12, 31)))
    # A result recorded but not (yet) posted shows too: the agent-bank run, imported only.
    agent = runs[Channel.AGENT_BANK]
    deduction_import(actor=None, run=agent, path=result_file(agent, tmp_path / "agent"))
    unposted = [d for d in result_file_differences(as_of=DAY) if d.run_id == agent.pk]
    assert [(d.ledger, d.recomputed) for d in unposted] == [(D("0"), OWED), (D("0"), OWED)]
    deduction_post(actor=None, run=agent)
    assert [d.run_id for d in result_file_differences(as_of=DAY)] == [run.pk]


def test_a_posting_killed_after_its_claim_is_resumed_and_counted_once(runs, tmp_path, monkeypatch):
    from xuedai.loans.deduction import posting

    run = runs[Channel.AGENT_BANK]
    deduction_import(actor=None, run=run, path=result_file(run, tmp_path / "r"))
    monkeypatch.setattr(posting, "CHUNK", 1)
    real, calls = posting.repayment_post, []

    def dies_on_the_second(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("进程被终止")
        return real(**kwargs)

    monkeypatch.setattr(posting, "repayment_post", dies_on_the_second)
    with pytest.raises(RuntimeError):
        deduction_post(actor=None, run=run)
    deduction_post(actor=None, run=run)
    deduction_post(actor=None, run=run)
    assert [cash_posted(line.account_id) for line in run.lines.all()] == [OWED, OWED]
    assert list(result_file_differences(as_of=DAY)) == []


def test_encodings_of_a_result_csv(runs, tmp_path):
    run = runs[Channel.AGENT_BANK]
    for index, encoding in enumerate(("utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le")):
        reason = f"部分还款{index}"
        path = result_file(run, tmp_path / f"r{index}", {1: ("成功", f"{100 + index}.00", reason),
                                                         2: ("失败", "", "账户冻结")},
                           fmt="csv", encoding=encoding)
        imported = _import_and_post(run, path)
        assert imported.number == index + 1
        assert run.lines.get(seq=1).reason == reason and run.lines.get(seq=2).reason == "账户冻结"
    assert cash_posted(run.lines.get(seq=1).account_id) == D("105.00")
    assert LoanAccount.objects.get(pk=run.lines.get(seq=2).account_id).principal_due == D("1500.00")
    postings = run.lines.get(seq=1).account.postings.filter(business_date=DAY)
    kinds = set(postings.values_list("kind", flat=True))
    assert Kind.PAY_INTEREST in kinds
