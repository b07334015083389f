"""Making a 征信报送文件 (DOMAIN.md §6 Default consequences): the base records of a month, and
correction records for every month already reported whose figures have changed since.

Set-based throughout: the figures are one SQL statement (:mod:`.figures`) and the records are
written by ``INSERT … SELECT`` from it, never a Python object per contract. A change to an earlier
month can only come from a posting that was not on the ledger when the last file was made — a
reversal, a back-dated transit-grace replay — so corrections are looked for only among the accounts
with a posting above the previous file's ``posting_mark``, month by month over the last
:data:`CORRECTION_MONTHS` reported months (the bureau's 24-month repayment history).
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import connection, transaction
from django.db.models import Max

from xuedai import businessdate
from xuedai.audit.services import audit_record
from xuedai.jobs.models import JobRun, JobStatus
from xuedai.jobs.runner import Job, job_execute
from xuedai.loans.models import Posting
from xuedai.orgs.models import Organisation, OrgKind, Role

from .checkpoint import checkpoint_build, checkpoint_figures_sql, checkpoint_prune
from .figures import COLUMNS, EPIDEMIC_RELIEF_YEAR, figures_sql, params, roomy_sort, scope_accounts_sql
from .models import CreditFile, CreditRecord, RecordType

FILE_KIND = "reports.credit_file"
CORRECTION_MONTHS = 24
MAKER_ROLES = (Role.BANK_REVIEWER, Role.BANK_APPROVER)
BANK_KINDS = (OrgKind.BANK_BRANCH, OrgKind.BANK_HEAD)

# The figures' columns as CreditRecord's table names them (the same but contract_id).
_VALUE_COLUMNS = COLUMNS[1:]
_COMPARED = (
    "balance",
    "due_amount",
    "paid_amount",
    "overdue_principal",
    "overdue_interest",
    "overdue_days",
    "waived_amount",
    "held_overdue",
)


class CreditExportError(ValueError):
    """A file that cannot be made, in Chinese."""


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def may_make(user) -> bool:
    org = user.organisation
    return bool(org and org.kind in BANK_KINDS and user.has_role(*MAKER_ROLES))


@transaction.atomic(durable=True)
def credit_file_request(*, actor, month: dt.date) -> CreditFile:
    """Reserve the next file of the actor's bank for ``month`` (made in the background)."""
    if not may_make(actor):
        raise CreditExportError("只有分行的审查人或审批人可以生成征信报送文件。")
    org: Organisation = actor.organisation
    first, last = month_bounds(month)
    if last >= businessdate.today():
        raise CreditExportError(f"报送月份：{first:%Y年%m月}尚未结束，月末日终后才能报送。")
    # One file at a time per bank: the next one's corrections start from this one's mark.
    locked = list(Organisation.objects.select_for_update().filter(pk=org.pk))
    assert locked
    unfinished = CreditFile.objects.filter(organisation=org, done=False).select_related("job_run").first()
    if unfinished is not None:
        # A run that failed (killed worker, lost connection) is resumed, not replaced: its records
        # so far and its posting mark stand (jobs.runner: phases done are skipped).
        if unfinished.job_run is not None and unfinished.job_run.status == JobStatus.FAILED:
            return unfinished
        raise CreditExportError("上一个征信报送文件尚在生成中，请等它完成后再生成。")
    sequence = (CreditFile.objects.filter(organisation=org).aggregate(n=Max("sequence"))["n"] or 0) + 1
    mark = Posting.objects.aggregate(m=Max("id"))["m"] or 0
    credit_file = CreditFile.objects.create(
        organisation=org, month=first, sequence=sequence, posting_mark=mark, created_by=actor
    )
    audit_record(
        actor=actor,
        action="reports.credit_file_request",
        obj=credit_file,
        after={"month": first.strftime("%Y-%m"), "sequence": sequence},
    )
    return credit_file


def _insert(
    record_type: str,
    *,
    file: CreditFile,
    month: dt.date,
    accounts: str,
    extra: dict,
    only_changed: bool,
    from_checkpoint: bool = False,
) -> int:
    """INSERT … SELECT the records of ``month`` for ``accounts`` (their whole history, through the
    account index), or with ``from_checkpoint`` for every account of ``file``'s checkpoint; with
    ``only_changed``, just those whose figures differ from the latest record already reported for
    that month."""
    start, end = month_bounds(month)
    names = ", ".join(_VALUE_COLUMNS)
    select = ", ".join(f"f.{c}" for c in _VALUE_COLUMNS)
    where = ""
    if only_changed:
        latest = (
            "SELECT * FROM reports_creditrecord WHERE id IN (SELECT MAX(id) FROM reports_creditrecord "
            "WHERE organisation_id = %(org)s AND month = %(month)s GROUP BY contract_id)"
        )
        differs = " OR ".join(f"f.{c} <> l.{c}" for c in _COMPARED)
        where = f" LEFT JOIN ({latest}) l ON l.contract_id = f.contract_id WHERE l.id IS NULL OR {differs}"
    sql = (
        "INSERT INTO reports_creditrecord "
        f"(file_id, record_type, month, organisation_id, contract_id, {names}) "
        f"SELECT %(file)s, %(type)s, %(month)s, %(org)s, f.contract_id, {select} "
        f"FROM ({checkpoint_figures_sql() if from_checkpoint else figures_sql(accounts=accounts)}) f"
        f"{where} ORDER BY f.contract_no"
    )
    with connection.cursor() as cursor:
        roomy_sort(cursor)
        cursor.execute(
            sql,
            params(
                start, end, file=file.pk, type=record_type, month=start, org=file.organisation_id, **extra
            ),
        )
        return max(cursor.rowcount, 0)


# The accounts whose figures of the month ending %(month_end)s may have changed since the previous
# file: a posting recorded after its mark (and not after this file's) that is effective on or before
# the month's end — a month's figures depend on no later posting (figures module doc). An account of
# the 2022 relief programme is a candidate for every month whatever the day of its new posting, as
# before this narrowing: its held amounts (DOMAIN.md §1 Relief programmes) follow its application.
CHANGED_ACCOUNTS = f"""
SELECT DISTINCT cp.account_id AS id FROM loans_posting cp LEFT JOIN loans_posting cr ON cr.id = cp.reverses_id
WHERE cp.id > %(since)s AND cp.id <= %(mark)s AND cp.account_id IN ({scope_accounts_sql()})
  AND (COALESCE(cr.business_date, cp.business_date) <= %(month_end)s
       OR cp.account_id IN (SELECT ra.account_id FROM loans_reliefapplication ra
                            JOIN loans_reliefprogramme g ON g.id = ra.programme_id
                            WHERE g.year = {EPIDEMIC_RELIEF_YEAR}))"""


def _reported_months(file: CreditFile) -> list[dt.date]:
    months = (
        CreditRecord.objects.filter(organisation_id=file.organisation_id)
        .exclude(file=file)
        .values_list("month", flat=True)
        .distinct()
        .order_by("-month")
    )
    return sorted(list(months)[:CORRECTION_MONTHS])


def credit_file_make(file: CreditFile, *, actor=None) -> JobRun:
    """Make the records of a requested file as a job run (resumable: each phase is one transaction
    that records its own progress; a phase done is skipped)."""
    org = file.organisation
    scope = {"path": f"{org.path}%"}
    _, last = month_bounds(file.month)
    job = Job.claim(kind=FILE_KIND, business_date=last, scope_key=f"file:{file.pk}", actor=actor)
    if file.job_run_id is None:
        CreditFile.objects.filter(pk=file.pk).update(job_run=job.run)
    previous = (
        CreditFile.objects.filter(organisation=org, sequence__lt=file.sequence, done=True)
        .order_by("-sequence")
        .first()
    )

    def corrections(job: Job) -> None:
        with transaction.atomic():
            count = 0
            if previous is not None:
                extra = {**scope, "since": previous.posting_mark, "mark": file.posting_mark}
                for month in _reported_months(file):
                    extra["month_end"] = month_bounds(month)[1]
                    count += _insert(
                        RecordType.CORRECTION,
                        file=file,
                        month=month,
                        accounts=CHANGED_ACCOUNTS,
                        extra=extra,
                        only_changed=True,
                    )
            job.progress(count, {"corrections": {"records": count}})

    def base(job: Job) -> None:
        with transaction.atomic():
            count = 0
            if (
                not CreditRecord.objects.filter(organisation_id=org.pk, month=file.month)
                .exclude(file=file)
                .exists()
            ):
                start, end = month_bounds(file.month)
                checkpoint_build(file, start=start, end=end, path=scope["path"])
                count = _insert(
                    RecordType.BASE,
                    file=file,
                    month=file.month,
                    accounts="",
                    extra={},
                    only_changed=False,
                    from_checkpoint=True,
                )
                checkpoint_prune(file)
            job.progress(count, {"base": {"records": count}})

    def summary(job: Job) -> tuple[dict, dict]:
        records = CreditRecord.objects.filter(file=file)
        counts = {
            "base_records": records.filter(record_type=RecordType.BASE).count(),
            "corrections": records.filter(record_type=RecordType.CORRECTION).count(),
            "not_reportable": records.exclude(waived_amount=0, held_overdue=0).count(),
        }
        CreditFile.objects.filter(pk=file.pk).update(done=True, **counts)
        return {"file": file.pk, **counts}, {"file": file.pk, "month": file.month.strftime("%Y-%m"), **counts}

    # The progress bar's whole: the contracts in scope (the base records are at most that many).
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({scope_accounts_sql()}) s", scope)
        total = cursor.fetchone()[0]
    return job_execute(
        job,
        [("corrections", corrections), ("base", base)],
        total=total,
        action="reports.credit_file_make",
        summary=summary,
    )
