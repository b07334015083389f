"""Who pays the interest on a given day: the state (贴息) or the borrower (自付利息).

DOMAIN.md §1 "student pays interest from" and §4 Subsidy split / Status changes; seeds
[001 附件四] (生源地: from 1 September of the graduation year), [002][003 第十九条] (campus: the 1st of
the month after the graduation certificate, or that day if it is a 1st), [003 资金办法 第十八条]
(dropout, suspension …: from the 1st of the next month; after a suspension, the subsidy resumes on
the 1st of the month of return).

Which rule applies to a contract is a policy parameter decided outside ``core`` and passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Literal

from xuedai.core.daycount import first_of_next_month

SelfPayRule = Literal["sep1_of_graduation_year", "month_after_certificate"]
SELF_PAY_RULES: tuple[SelfPayRule, ...] = ("sep1_of_graduation_year", "month_after_certificate")

Payer = Literal["state", "borrower"]


def self_pay_start(graduated_on: date, rule: SelfPayRule) -> date:
    """First day whose interest the borrower pays, after graduating on ``graduated_on``.

    - ``sep1_of_graduation_year`` — 生源地 loans [001 附件四] and the newer policy for all loans.
    - ``month_after_certificate`` — campus loans [003 第十九条]: the 1st of the month after the
      certificate date, or the certificate date itself when it is a 1st.

    Worked examples: graduating 30 Jun 2019 → 1 Sep 2019 (生源地) or 1 Jul 2019 (campus);
    a certificate dated 1 Jul 2019 → 1 Jul 2019.

    >>> self_pay_start(date(2019, 6, 30), "month_after_certificate")
    datetime.date(2019, 7, 1)
    """
    if rule == "sep1_of_graduation_year":
        return date(graduated_on.year, 9, 1)
    if rule == "month_after_certificate":
        return graduated_on if graduated_on.day == 1 else first_of_next_month(graduated_on)
    raise ValueError(f"unknown self-pay rule {rule!r}")


def status_change_self_pay_start(handled_on: date) -> date:
    """Self-pay start after a dropout, suspension, expulsion, going abroad or death is handled.

    [003 资金办法 第十八条] 自办理有关手续之日的下月1日起自付利息 — the 1st of the next month, even when
    the papers are handled on a 1st.

    >>> status_change_self_pay_start(date(2020, 3, 17))
    datetime.date(2020, 4, 1)
    """
    return first_of_next_month(handled_on)


def subsidy_resumes_on(returned_on: date) -> date:
    """After a suspension (休学) the subsidy resumes on the 1st of the month of return [003 第十八条].

    >>> subsidy_resumes_on(date(2021, 3, 5))
    datetime.date(2021, 3, 1)
    """
    return returned_on.replace(day=1)


@dataclass(frozen=True)
class Period:
    """Days ``[start, end)`` (``end`` None: open-ended) in which the borrower pays the interest."""

    start: date
    end: date | None = None

    def contains(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Suspension:
    """A suspension (休学) handled on ``handled_on``; ``returned_on`` None while still suspended."""

    handled_on: date
    returned_on: date | None = None


def borrower_periods(
    *,
    self_pay_from: date | None,
    suspensions: Sequence[Suspension] = (),
    final_change_on: date | None = None,
) -> tuple[Period, ...]:
    """The periods in which the borrower pays interest, from the contract's events.

    ``self_pay_from`` is the graduation self-pay start (see :func:`self_pay_start`; None while
    studying). A suspension makes the borrower pay from the 1st of the next month until the subsidy
    resumes; ``final_change_on`` (dropout, expulsion, abroad, death) makes the borrower pay for good.

    Worked example: suspended 17 Mar 2020, back 5 Sep 2020, self-pay from 1 Sep 2022 →
    borrower pays [1 Apr 2020, 1 Sep 2020) and from 1 Sep 2022 on.

    >>> periods = borrower_periods(self_pay_from=date(2022, 9, 1),
    ...                            suspensions=[Suspension(date(2020, 3, 17), date(2020, 9, 5))])
    >>> [(p.start.isoformat(), p.end and p.end.isoformat()) for p in periods]
    [('2020-04-01', '2020-09-01'), ('2022-09-01', None)]
    """
    periods: list[Period] = []
    if self_pay_from is not None:
        periods.append(Period(self_pay_from))
    if final_change_on is not None:
        periods.append(Period(status_change_self_pay_start(final_change_on)))
    for suspension in suspensions:
        start = status_change_self_pay_start(suspension.handled_on)
        end = None if suspension.returned_on is None else subsidy_resumes_on(suspension.returned_on)
        if end is None or start < end:  # back within the same month: no self-pay days at all
            periods.append(Period(start, end))
    return merge_periods(periods)


def merge_periods(periods: Iterable[Period]) -> tuple[Period, ...]:
    """Sort and merge overlapping or touching periods."""
    merged: list[Period] = []
    for period in sorted(periods, key=lambda p: p.start):
        if merged:
            last = merged[-1]
            if last.end is None or period.start <= last.end:
                end = None if last.end is None or period.end is None else max(last.end, period.end)
                merged[-1] = Period(last.start, end)
                continue
        merged.append(period)
    return tuple(merged)


def split_by_payer(start: date, end: date, periods: Sequence[Period]) -> list[tuple[date, date, Payer]]:
    """Cut ``[start, end)`` where the payer changes (DOMAIN.md §4 Subsidy split).

    Worked example: 20 Dec 2018 → 20 Dec 2019 with self-pay from 1 Sep 2019 →
    state for 255 days, then borrower for 110 days.

    >>> pieces = split_by_payer(date(2018, 12, 20), date(2019, 12, 20), [Period(date(2019, 9, 1))])
    >>> [(payer, (end - start).days) for start, end, payer in pieces]
    [('state', 255), ('borrower', 110)]
    """
    cuts = {start, end}
    for period in periods:
        for edge in (period.start, period.end):
            if edge is not None and start < edge < end:
                cuts.add(edge)
    ordered = sorted(cuts)
    pieces: list[tuple[date, date, Payer]] = []
    for piece_start, piece_end in pairwise(ordered):
        payer: Payer = "borrower" if any(p.contains(piece_start) for p in periods) else "state"
        if pieces and pieces[-1][2] == payer:
            pieces[-1] = (pieces[-1][0], piece_end, payer)
        else:
            pieces.append((piece_start, piece_end, payer))
    return pieces
