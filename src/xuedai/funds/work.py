"""The state's money as work items on each responsible role's home page, each with its clock
(funds.calendar for the deadlines; DOMAIN.md §6, §8). Plain dicts (label, value, url, hint), like
reports.quarter.work: the web app turns them into home-page numbers.

Who sees what (seed [003] 资金管理办法 第二十一、二十四条): universities and counties report the
quarter's 贴息资金汇总表, check the pre-settlement list and count the year's disbursements; the
province office summarises, sends the 申请书 and records the money; the bank confirms (确认书) and
settles on 20 Dec; the finance department sees what it has to pay and by when. Each item is a
COUNT or a SUM in the user's scope, so a home page stays cheap at a million contracts.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.urls import reverse

from xuedai.core.money import ZERO, display_money
from xuedai.orgs.models import OrgKind, Role, User

from . import calendar, selectors
from .access import is_bank, is_province_office
from .models import AccrualStatus

UNIT_KINDS = (OrgKind.UNIVERSITY, OrgKind.COUNTY_CENTRE)


def _item(label: str, value, url: str, deadline: dt.date, today: dt.date, done: bool = False,
          what: str = "期限") -> dict:
    hint = f"{what} {deadline:%m月%d日}，" + ("已完成" if done else calendar.deadline_clock(deadline, today))
    return {"label": label, "value": value, "url": url, "hint": hint}


def is_unit(user: User) -> bool:
    """A university's or county's fund staff (its own fund, its own subsidy lines)."""
    kind = user.organisation.kind if user.organisation_id else ""
    return kind in UNIT_KINDS and user.has_role(Role.UNIVERSITY_OFFICER, Role.OPERATOR, Role.SUPERVISOR)


def _subsidy_items(user: User, today: dt.date) -> list[dict]:
    items = []
    year, quarter = calendar.last_quarter(today)
    due = calendar.subsidy_summary_due(year, quarter)
    if today <= due:
        url = f"{reverse('funds:subsidy')}?year={year}&quarter={quarter}"
        items.append(_item(f"{year}年第{quarter}季度贴息资金汇总表", "待报送", url, due, today,
                           what="报送期限"))
    pre_due = calendar.presettlement_list_due(today.year)
    if dt.date(today.year, 10, 1) <= today <= pre_due:
        url = f"{reverse('funds:subsidy')}?year={today.year}"
        items.append(_item(f"{today.year}年预结息名单核对", "待核对", url, pre_due, today,
                           what="结息日前30个工作日"))
    return items


def _in_season(today: dt.date) -> bool:
    """The fund's year runs from 1 Sep (the academic year just ended) to 20 Dec."""
    return dt.date(today.year, 9, 1) <= today <= calendar.settlement_day(today.year)


def _statistics_item(user: User, today: dt.date) -> dict:
    year = today.year
    done = selectors.accruals(user, year).exists()
    url = f"{reverse('funds:riskfund')}?year={year}"
    return _item(f"{year - 1}—{year}学年实际发放统计", "已统计" if done else "待统计", url,
                 calendar.statistics_due(year), today, done)


def _request_item(user: User, today: dt.date) -> dict:
    year = today.year
    n = selectors.accruals(user, year).count()
    url = f"{reverse('funds:riskfund')}?year={year}"
    return _item("风险补偿金申请书", f"已提出{n}份" if n else "待提出", url, calendar.request_due(year),
                 today, bool(n))


def _waiting(user: User, year: int):
    return selectors.accruals(user, year).filter(status=AccrualStatus.REQUESTED)


def _confirm_item(user: User, today: dt.date) -> dict:
    year = today.year
    waiting = _waiting(user, year).count()
    any_request = selectors.accruals(user, year).exists()
    url = f"{reverse('funds:riskfund')}?year={year}"
    return _item("待确认的风险补偿金(确认书)", waiting, url, calendar.request_due(year), today,
                 any_request and not waiting)


def _payment_items(user: User, today: dt.date) -> list[dict]:
    year = today.year
    due = calendar.payment_due(year)
    owed = _waiting(user, year).aggregate(total=Sum("total"))["total"] or ZERO
    items = [_item("待到位的风险补偿金", display_money(owed), f"{reverse('funds:riskfund')}?year={year}",
                   due, today, not owed and selectors.accruals(user, year).exists(), what="划付期限")]
    if today >= calendar.presettlement_list_due(year):
        receivable = selectors.dashboard_figures(user)["subsidy_receivable"]
        items.append(_item("待到位的贴息资金", display_money(receivable), reverse("funds:receivable"), due,
                           today, what="结息日前到位，期限"))
    return items


def _settlement_item(user: User, today: dt.date) -> dict:
    day = calendar.settlement_day(today.year)
    done = selectors.settlements(user, day).exists()
    return _item(f"{today.year}年风险补偿金年度结算", "已结算" if done else "待结算",
                 reverse("funds:settlements"), day, today, done, what="结算日")


def funds_work_items(user: User, today: dt.date) -> list[dict]:
    """The items due for this user now, most urgent first within each role."""
    items: list[dict] = []
    if user.organisation_id is None and not user.is_superuser:
        return items
    province, bank = is_province_office(user), is_bank(user)
    finance = user.has_role(Role.FINANCE)
    if is_unit(user) or province:
        items += _subsidy_items(user, today)
    if not _in_season(today):
        return items
    if is_unit(user) or province:
        items.append(_statistics_item(user, today))
    if province:
        items.append(_request_item(user, today))
    if bank:
        items.append(_confirm_item(user, today))
    if province or finance:
        items += _payment_items(user, today)
    if bank and today >= dt.date(today.year, 11, 1):
        items.append(_settlement_item(user, today))
    return items
