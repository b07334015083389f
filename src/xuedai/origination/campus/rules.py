"""Campus loan rules with their sources (DOMAIN.md §3.2; [002 (一)–(三)];
[003 第八–十五条, 合作协议 第十一条]).

Pure functions of dates and numbers, so the tests state each rule with a worked example.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from xuedai.policies.working_days import add_working_days, working_days_between

# 第十二条: "初审结束后进行为期5天的公示" — five calendar days, the review day being the first.
NOTICE_DAYS = 5
# 第十四条: the province office forwards within 3 working days; 第十五条: the bank approves within 5.
PROVINCE_WORKING_DAYS = 3
BANK_WORKING_DAYS = 5
# 第八条 / 第九条: quota requested by 5 September, granted by 25 September.
QUOTA_REQUEST_BY = (9, 5)
QUOTA_GRANT_BY = (9, 25)
# [002 (三)]: "每年的2月和8月不发放生活费贷款".
NO_LIVING_MONTHS = frozenset({2, 8})
LIVING_DAY = 10  # the day of the month living expenses are paid (an operating choice, not a seed rule)


def notice_period(reviewed_on: dt.date) -> tuple[dt.date, dt.date]:
    """(start, end) of the 公示: reviewed 2025-09-10 → 2025-09-10 … 2025-09-14."""
    return reviewed_on, reviewed_on + dt.timedelta(days=NOTICE_DAYS - 1)


def office_review_error(notice_end: dt.date | None, open_objections: int, today: dt.date) -> str | None:
    """The loan office may review only once the notice is over and no objection is open
    ("公示期满、初审无误后" [003 第十二条])."""
    if notice_end is None:
        return "该申请尚未公示，不能审核。"
    if today <= notice_end:
        after = notice_end + dt.timedelta(days=1)
        return f"公示期至{notice_end:%Y年%m月%d日}止，公示期满后（{after:%m月%d日}起）才能审核。"
    if open_objections:
        return f"公示期间有{open_objections}条异议尚未处理，处理完毕后才能审核。"
    return None


@dataclass(frozen=True)
class Clock:
    """A working-day clock: started on `start`, due by `deadline`; `used` working days so far."""

    label: str
    start: dt.date
    allowed: int
    deadline: dt.date
    used: int
    done_on: dt.date | None

    @property
    def overdue(self) -> bool:
        return self.done_on > self.deadline if self.done_on else self.used > self.allowed

    @property
    def text(self) -> str:
        state = f"于{self.done_on:%m-%d}完成" if self.done_on else f"已用{self.used}个工作日"
        flag = "，已超期" if self.overdue else ""
        limit = f"{self.start:%m-%d}起{self.allowed}个工作日内（至{self.deadline:%m-%d}）"
        return f"{self.label}：{limit}，{state}{flag}"


def clock(label: str, start: dt.date, allowed: int, today: dt.date, done_on: dt.date | None = None) -> Clock:
    """Example (National Day 2025): sent Tue 30 Sep, 3 working days → deadline Sat 11 Oct (an adjusted
    workday); on 9 Oct 1 working day has been used (the 9th), so it is not overdue."""
    deadline = add_working_days(start, allowed)
    used = working_days_between(start, done_on or today)
    return Clock(label, start, allowed, deadline, used, done_on)


def quota_cap(policy, enrolled_students: int) -> Decimal | None:
    """合作协议 第十一条: ≤ 15% of enrolled students × ≤ 4500 yuan (policy quota_rule "enrolment_share").
    Example: 20000 students → 3000 × 4500 = 13,500,000. None when the version sets no rule."""
    if policy.quota_rule == "none" or policy.quota_student_share is None:
        return None
    students = (Decimal(enrolled_students) * policy.quota_student_share).quantize(Decimal(1), ROUND_DOWN)
    return students * policy.quota_amount_per_student


def quota_late(on: dt.date, academic_year: int, by: tuple[int, int]) -> bool:
    return on > dt.date(academic_year, *by)


def living_schedule(living: Decimal, academic_year: int, first_day: dt.date) -> list[tuple[dt.date, Decimal]]:
    """Monthly living-expense payments from the disbursement month to July of the academic year,
    never in February or August [002 (三)]; whole yuan each month, the remainder in the last.

    Example: 3000 for 2025, disbursed 2025-10-20 → 10th of Nov, Dec, Jan, Mar, Apr, May, Jun, Jul
    (8 months): 375 each."""
    living = Decimal(living)
    if living <= 0:
        return []
    months = []
    year, month = (
        (first_day.year, first_day.month)
        if first_day.day <= LIVING_DAY
        else (first_day.year + (first_day.month == 12), first_day.month % 12 + 1)
    )
    if (year, month) < (academic_year, 9):
        year, month = academic_year, 9
    while (year, month) <= (academic_year + 1, 7):
        if month not in NO_LIVING_MONTHS:
            months.append(dt.date(year, month, LIVING_DAY))
        year, month = year + (month == 12), month % 12 + 1
    if not months:  # disbursed after July: the whole living part at once, on the next allowed day
        day = (
            first_day
            if first_day.month not in NO_LIVING_MONTHS
            else dt.date(first_day.year, first_day.month + 1, 1)
        )
        return [(day, living.quantize(Decimal("0.01"), ROUND_HALF_UP))]
    each = (living / len(months)).quantize(Decimal(1), ROUND_DOWN)
    plan = [(day, each) for day in months]
    plan[-1] = (months[-1], living - each * (len(months) - 1))
    return plan
