"""专户报告 (special-account report) of a unit's project year for a quarter [004 第十三、十四条].

The basic facts are written from the data, as the seed's model paragraph has them ("我校于…对4000名
贫困学生发放助学贷款…其中一年级3000名…个人贷款额度最大的为XX元…用于学费XX元，住宿费XX元，生活费XX元…
可享受贴息的学生有XX名，自付利息的学生有XX名，违约的学生有XX名。违约金额为XX元，其中本金XX元，利息XX元"):

- the contracts are those of the quarter's snapshot for the unit and project year (live on the day);
- 年级 (year of study) = project year − the borrower's enrolment year + 1;
- 生活费 = contract amount − tuition − accommodation (what went to the student), so the three add up
  to the amount to the fen;
- 贴息 borrowers: self-pay has not started on the quarter end (no self-pay date, or one after it);
  自付 borrowers: it has; 违约 borrowers: anything overdue on the day; 违约金额 = overdue principal +
  overdue interest of the snapshot;
- the risks section lists the quarter's confirmed status changes (休学、退学、出国、开除学籍、转学、死亡),
  extensions (展期) and early repayments done — by contract number, no personal data.

Deadlines [004 第十三条]: the unit by the 15th of the quarter's next month, the province centre by
the 20th, the bank branch by the 25th (calendar days, as the article writes them).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, F, Max, Min, Q, Sum
from django.utils import timezone

from xuedai.audit.services import audit_record
from xuedai.loans.models import EarlyRepaymentApplication
from xuedai.origination.models import Contract
from xuedai.postloan.models.requests import PlanChange, PlanChangeKind, RequestStatus, StatusChange

from .figures import project_label, yuan
from .lines import lines_of, member_ids
from .models import QuarterGrade, QuarterSnapshot, ReportStatus, SpecialAccountReport
from .submissions import SubmissionError, may_prepare, may_review, review_comment, review_record

TEXT_FIELDS = ("post_graduation_risk", "agent_bank_issues", "other_issues", "measures")
CHINESE_YEARS = "一二三四五六七八九十"


def quarter_start(as_of: dt.date) -> dt.date:
    """>>> quarter_start(dt.date(2020, 3, 31)), quarter_start(dt.date(2020, 12, 31))
    (datetime.date(2020, 1, 1), datetime.date(2020, 10, 1))
    """
    return dt.date(as_of.year, as_of.month - 2, 1)


def deadlines(as_of: dt.date) -> dict[str, dt.date]:
    """>>> deadlines(dt.date(2020, 12, 31))["unit"]
    datetime.date(2021, 1, 15)
    """
    first = as_of + dt.timedelta(days=1)
    return {level: first.replace(day=day) for level, day in (("unit", 15), ("province", 20), ("bank", 25))}


def quarter_label(as_of: dt.date) -> str:
    return f"{as_of.year}年第{'一二三四'[(as_of.month - 1) // 3]}季度"


def _year_of_study(n: int) -> str:
    return f"{CHINESE_YEARS[n - 1]}年级" if 1 <= n <= len(CHINESE_YEARS) else f"第{n}学年"


def special_account_facts(snapshot: QuarterSnapshot, unit_id: int, project_year: int) -> dict:
    """The report's data (module doc); plain JSON so a submitted report keeps it."""
    as_of = snapshot.as_of
    rows = QuarterGrade.objects.filter(snapshot=snapshot, unit_id=unit_id, project_year=project_year)
    # The rows' contracts and the 正常 line's members (``lines``): together the quarter's contracts.
    in_line = member_ids(lines_of(snapshot, [unit_id], project_year))
    contracts = Contract.objects.filter(Q(pk__in=rows.values("contract_id")) | Q(pk__in=in_line))
    money = contracts.aggregate(
        borrowers=Count("borrower_id", distinct=True),
        contracts=Count("id"),
        total=Sum("amount"),
        largest=Max("amount"),
        smallest=Min("amount"),
        fees=Sum("tuition"),
        rooms=Sum("accommodation"),
        first_paid=Min("disbursed_on"),
    )
    # Aliases differ from the field names: Django refuses an aggregate named like the field it sums.
    living = (money["total"] or 0) - (money["fees"] or 0) - (money["rooms"] or 0)
    by_year = [
        {"year": _year_of_study(r["n"]), "borrowers": r["borrowers"]}
        for r in contracts.annotate(n=project_year - F("borrower__enrolled_year") + 1)
        .values("n")
        .annotate(borrowers=Count("borrower_id", distinct=True))
        .order_by("n")
    ]
    subsidised = contracts.filter(Q(self_pay_from__isnull=True) | Q(self_pay_from__gt=as_of))
    default = rows.filter(days_overdue__gt=0).aggregate(
        borrowers=Count("borrower_id", distinct=True),
        principal=Sum("principal_overdue"),
        interest=Sum("interest_overdue"),
    )
    principal, interest = default["principal"] or 0, default["interest"] or 0
    start = quarter_start(as_of)
    changes = (
        StatusChange.objects.filter(
            contract__in=contracts,
            status=RequestStatus.APPROVED,
            handled_on__gte=start,
            handled_on__lte=as_of,
        )
        .select_related("contract")
        .order_by("handled_on", "pk")
    )
    extensions = PlanChange.objects.filter(
        contract__in=contracts,
        kind=PlanChangeKind.EXTENSION,
        status=RequestStatus.APPROVED,
        decided_at__date__gte=start,
        decided_at__date__lte=as_of,
    ).count()
    early = EarlyRepaymentApplication.objects.filter(
        account__contract__in=contracts, status="done", deduct_on__gte=start, deduct_on__lte=as_of
    ).count()
    facts = {
        "as_of": as_of.isoformat(),
        "quarter": quarter_label(as_of),
        "project": project_label(project_year),
        "borrowers": money["borrowers"],
        "contracts": money["contracts"],
        "amount": yuan(money["total"]),
        "first_paid": money["first_paid"].isoformat() if money["first_paid"] else "",
        "largest": yuan(money["largest"]),
        "smallest": yuan(money["smallest"]),
        "by_year": by_year,
        "tuition": yuan(money["fees"]),
        "accommodation": yuan(money["rooms"]),
        "living": yuan(living),
        "subsidised": subsidised.values("borrower_id").distinct().count(),
        "self_paying": contracts.exclude(pk__in=subsidised.values("pk"))
        .values("borrower_id")
        .distinct()
        .count(),
        "defaulting": default["borrowers"],
        "default_amount": yuan(principal + interest),
        "default_principal": yuan(principal),
        "default_interest": yuan(interest),
        "status_changes": [
            {
                "contract_no": c.contract.contract_no,
                "kind": c.get_kind_display(),
                "handled_on": c.handled_on.isoformat(),
                "note": c.note,
            }
            for c in changes
        ],
        "extensions": extensions,
        "early_repayments": early,
    }
    facts["paragraph"] = facts_paragraph(facts)
    return facts


def facts_paragraph(f: dict) -> str:
    """The seed's model paragraph with the project's numbers."""
    years = "，".join(f"{y['year']}{y['borrowers']}名" for y in f["by_year"])
    first = (
        dt.date.fromisoformat(f["first_paid"]).strftime("%Y年%m月%d日") if f["first_paid"] else "本项目期间"
    )
    return (
        f"本项目自{first}起对{f['borrowers']}名学生发放助学贷款{f['contracts']}笔，合计{f['amount']}元"
        f"{'，其中' + years if years else ''}。"
        f"个人贷款额度最大的为{f['largest']}元，最小的为{f['smallest']}元。"
        f"贷款用于学费{f['tuition']}元，住宿费{f['accommodation']}元，生活费{f['living']}元。"
        f"截至{dt.date.fromisoformat(f['as_of']):%Y年%m月%d日}，本项目可享受贴息的学生有{f['subsidised']}名，"
        f"自付利息的学生有{f['self_paying']}名，违约的学生有{f['defaulting']}名。违约金额为{f['default_amount']}元，"
        f"其中本金{f['default_principal']}元，利息{f['default_interest']}元。"
    )


def special_report_get(snapshot: QuarterSnapshot, unit, project_year: int) -> SpecialAccountReport:
    """The report of (quarter, unit, project year); unsaved until first submitted (a page writes nothing)."""
    found = SpecialAccountReport.objects.filter(
        snapshot=snapshot, unit=unit, project_year=project_year
    ).first()
    return found or SpecialAccountReport(
        snapshot=snapshot, unit=unit, project_year=project_year, due_on=deadlines(snapshot.as_of)["unit"]
    )


def _locked(report: SpecialAccountReport, *, create: bool = False) -> SpecialAccountReport:
    key = {"snapshot_id": report.snapshot_id, "unit_id": report.unit_id, "project_year": report.project_year}
    if create:
        SpecialAccountReport.objects.get_or_create(**key, defaults={"due_on": report.due_on})
    locked = (
        SpecialAccountReport.objects.select_for_update()
        .select_related("snapshot", "unit")
        .filter(**key)
        .first()
    )
    if locked is None:
        raise SubmissionError("该专户报告尚未提交，没有待批阅的版本。")
    return locked


@transaction.atomic(durable=True)
def special_report_submit(
    *, actor, report: SpecialAccountReport, texts: dict[str, str]
) -> SpecialAccountReport:
    """The officer's text saved and the report submitted for the supervisor's reading (批阅)."""
    report = _locked(report, create=True)
    if not may_prepare(actor, report.unit):
        raise SubmissionError("只有本单位的经办人可以撰写并提交专户报告。")
    if report.locked:
        raise SubmissionError(f"该专户报告{report.get_status_display()}，已锁定。")
    for field in TEXT_FIELDS:
        setattr(report, field, (texts.get(field) or "").strip())
    if not report.post_graduation_risk or not report.measures:
        raise SubmissionError(
            "借款学生离校后风险分析、建议及措施：是报告的核心内容，请填写 [专户报告第十四条]。"
        )
    report.facts = special_account_facts(report.snapshot, report.unit_id, report.project_year)
    report.status, report.version = ReportStatus.SUBMITTED, report.version + 1
    report.prepared_by, report.submitted_at = actor, timezone.now()
    report.save()
    audit_record(
        actor=actor,
        action="reports.special_report_submit",
        obj=report,
        after={"version": report.version, "borrowers": report.facts["borrowers"]},
    )
    return report


@transaction.atomic(durable=True)
def special_report_review(
    *, actor, report: SpecialAccountReport, approve: bool, comment: str
) -> SpecialAccountReport:
    report = _locked(report)
    if not may_review(actor, report.unit):
        raise SubmissionError("只有本单位的负责人可以批阅专户报告。")
    comment = review_comment(report, approve=approve, comment=comment, actor=actor,
                             maker_id=report.prepared_by_id, noun="专户报告", verb="批阅", maker="撰写人",
                             reviewer="批阅人")
    return review_record(report, actor=actor, approve=approve, comment=comment,
                         action="reports.special_report")
