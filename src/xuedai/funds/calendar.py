"""The state's money through the year, as deadlines (DOMAIN.md §6, §8; seed [003] 资金管理办法
第二十一、二十四条; [002] (5)(1)):

- 贴息资金汇总表 (each quarter): 10 working days after the quarter end — universities and
  counties report, the province office summarises;
- 预结息名单 (pre-settlement list): 30 working days before 20 Dec — the same;
- 实际发放统计 (risk-fund statistics): 30 Sep — the same;
- 风险补偿金申请书: 31 Oct — the province office; 确认书: 31 Oct — the bank;
- the fund's money and the subsidy in the bank (payment): 20 Dec — the finance department (the
  province office records it);
- 年度结算 (settlement): 20 Dec — the bank.

Working days follow the official calendar with the administrator's overrides
(``policies.working_days``). Worked example: Q3 2025 ends Tue 30 Sep; 1–8 Oct are holidays and
Sat 11 Oct a workday, so the summary is due Tue 21 Oct 2025 (tests/funds/test_work.py).
"""

from __future__ import annotations

import datetime as dt

from xuedai.policies.working_days import working_days_between

from .subsidy_summary import presettlement_due, summary_due

QUARTER_ENDS = ((3, 31), (6, 30), (9, 30), (12, 31))


def last_quarter(today: dt.date) -> tuple[int, int]:
    """The last quarter that has ended on or before ``today``: (year, quarter).

    >>> last_quarter(dt.date(2026, 10, 1)), last_quarter(dt.date(2026, 3, 31))
    ((2026, 3), (2026, 1))
    """
    for quarter in (4, 3, 2, 1):
        month, day = QUARTER_ENDS[quarter - 1]
        if dt.date(today.year, month, day) <= today:
            return today.year, quarter
    return today.year - 1, 4


def statistics_due(year: int) -> dt.date:
    """实际发放 statistics of the academic year ending 31 Aug ``year``: by the end of September."""
    return dt.date(year, 9, 30)


def request_due(year: int) -> dt.date:
    """风险补偿金申请书 (to finance and the universities) and the bank's 确认书: by the end of October."""
    return dt.date(year, 10, 31)


def payment_due(year: int) -> dt.date:
    """The fund's money and the subsidy in the bank by the settlement day, 20 Dec."""
    return dt.date(year, 12, 20)


def settlement_day(year: int) -> dt.date:
    return dt.date(year, 12, 20)


def subsidy_summary_due(year: int, quarter: int) -> dt.date:
    return summary_due(year, quarter)


def presettlement_list_due(year: int) -> dt.date:
    return presettlement_due(year)


def deadline_clock(deadline: dt.date, today: dt.date) -> str:
    """Working days left, due today, or overdue by how many (the quarter pages' clock, in words)."""
    if today > deadline:
        return f"已超期{working_days_between(deadline, today)}个工作日"
    if today == deadline:
        return "今日截止"
    return f"剩余{working_days_between(today, deadline)}个工作日"
