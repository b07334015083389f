"""When a rate rule reaches an existing contract, and at what rate: the one source (DOMAIN.md §1).

DOMAIN.md §1 interest rate: "a contract keeps the policy version it was signed under, except where a
later notice applies to existing contracts (rate cuts …)", and an LPR-linked rate moves with the LPR.
Both ``policies.selectors.effective_terms`` (the rate in force on a day, for a quote or a new
contract) and ``loans.rate_schedule`` (the rate changes registered for live contracts) read the
days here, so the two can no longer disagree on when the 2023 cut arrived.

The reset rule of a version says *when* (``loans.models.RateResetRule`` stores it per version; a
version without a row uses :data:`DEFAULT_RESET`):

- an LPR change reaches a contract at the next 1 January (``next_jan_1``, the PBOC convention for
  loans over one year) or on its publication day (``publication``);
- a notice for existing contracts reaches them on its own effective date (``notice_date``) or at
  the next 1 January (``next_jan_1``).

The 2023 notice (LPR − 60 bp, "存量借款人同步下调", shipped as the national version of 2023-09-01)
reaches existing contracts on its own date, 1 September 2023 — the issue's "the notice's own date for
a national cut", and the default. (Before, effective_terms moved it to 1 January 2024 while the
registration used 1 September 2023.)

Candidate days are every 1 January, each notice's reaching day and — for a rule resetting on
publication — each LPR publication day; on each the rule in force gives the rate (LPR: the last
publication on or before that day).

Worked example (the shipped versions, a Sichuan contract signed 2021-10-15 at 4.35 %, LPR 4.65 % −
30 bp): 1 Jan 2023 → 4.30 − 0.30 = 4.00 % (LPR of 2022-08-22); 1 Sep 2023, the 2023 notice →
4.20 − 0.60 = 3.60 % (LPR of 2023-08-21); 1 Jan 2024 keeps 3.60 %; 1 Jan 2025 → 3.60 − 0.60 = 3.00 %
(LPR of 2024-10-21); 1 Jan 2026 → 3.50 − 0.60 = 2.90 % (LPR of 2025-05-20).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .models import LprRate, PolicyVersion, RateKind
from .regions import province_of

RATE_PLACES = Decimal("0.00001")  # Contract.annual_rate has five decimal places (0.03450 = 3.45%)
BASIS_POINT = Decimal("0.0001")

# The reset choices (loans.models.rates.LprReset / NoticeReset use the same values).
LPR_NEXT_JANUARY = "next_jan_1"
LPR_PUBLICATION = "publication"
NOTICE_DATE = "notice_date"
NOTICE_NEXT_JANUARY = "next_jan_1"
DEFAULT_RESET = (LPR_NEXT_JANUARY, NOTICE_DATE)

ResetOf = Callable[[PolicyVersion], tuple[str, str]]
LprHistory = Sequence[tuple[dt.date, Decimal]]


def default_reset(version: PolicyVersion) -> tuple[str, str]:
    return DEFAULT_RESET


def lpr_history_load() -> tuple[tuple[dt.date, Decimal], ...]:
    """Every 5-year-plus LPR publication, oldest first."""
    return tuple(LprRate.objects.order_by("effective_from").values_list("effective_from", "five_year_plus"))


def next_january(day: dt.date) -> dt.date:
    """The first 1 January on or after ``day`` (a notice of 1 Jan itself reaches on that day)."""
    return day if (day.month, day.day) == (1, 1) else dt.date(day.year + 1, 1, 1)


def notice_reaching_day(notice: PolicyVersion, notice_reset: str) -> dt.date:
    """The day a notice for existing contracts reaches them under its reset rule."""
    return notice.effective_from if notice_reset == NOTICE_DATE else next_january(notice.effective_from)


@dataclass(frozen=True)
class Breakpoint:
    """On ``on`` a contract of the group would carry ``annual_rate`` under ``rule``."""

    on: dt.date
    annual_rate: Decimal
    rule: PolicyVersion
    lpr_published_on: dt.date | None
    reason: str  # "notice": the rule changed here; "lpr": only the LPR did (loans RateChangeReason)


def notices_reaching(
    version: PolicyVersion, region_code: str, reset_of: ResetOf = default_reset
) -> list[tuple[dt.date, PolicyVersion]]:
    """Later versions whose rate applies to existing contracts of ``version`` in the region (national
    and the province's own), with the day each reaches them, in order."""
    province = province_of(region_code)
    later = PolicyVersion.objects.filter(
        product=version.product, region_code__in=["", province],
        rate_applies_to_existing=True, effective_from__gt=version.effective_from,
    )
    reaching = [(notice_reaching_day(n, reset_of(n)[1]), n) for n in later]
    return sorted(reaching, key=lambda pair: (pair[0], pair[1].effective_from, pair[1].region_code))


def _rule_on(day: dt.date, version: PolicyVersion,
             notices: list[tuple[dt.date, PolicyVersion]]) -> PolicyVersion:
    rule = version
    for on, notice in notices:
        if on <= day:
            rule = notice
    return rule


def lpr_on(history: LprHistory, day: dt.date) -> tuple[dt.date, Decimal] | None:
    """The last publication on or before ``day``."""
    found = None
    for published_on, rate in history:
        if published_on > day:
            break
        found = (published_on, rate)
    return found


def rule_rate(rule: PolicyVersion, day: dt.date, history: LprHistory | None = None
              ) -> tuple[Decimal, dt.date | None] | None:
    """The rate ``rule`` gives on ``day`` (and the LPR publication used); None: the contract's own
    rate (commercial loans) or no LPR yet — no change."""
    if rule.rate_kind == RateKind.FIXED:
        return Decimal(rule.fixed_rate), None
    if rule.rate_kind == RateKind.LPR_MINUS:
        lpr = lpr_on(lpr_history_load() if history is None else history, day)
        if lpr is None:
            return None
        return (lpr[1] - rule.lpr_spread_bp * BASIS_POINT).quantize(RATE_PLACES), lpr[0]
    return None


def breakpoints(version: PolicyVersion, region_code: str, after: dt.date, until: dt.date, *,
                reset_of: ResetOf = default_reset, history: LprHistory | None = None) -> list[Breakpoint]:
    """Every candidate day in ``(after, until]`` for contracts signed under ``version`` in the
    region, with the rate such a contract carries from that day (module docstring)."""
    history = lpr_history_load() if history is None else history
    notices = notices_reaching(version, region_code, reset_of)
    candidates = {dt.date(year, 1, 1) for year in range(after.year + 1, until.year + 1)}
    candidates |= {on for on, _ in notices}
    lpr_resets = {rule.pk: reset_of(rule)[0] for rule in (version, *(n for _, n in notices))}
    if LPR_PUBLICATION in lpr_resets.values():
        candidates |= {published_on for published_on, _ in history}
    points = []
    for on in sorted(d for d in candidates if after < d <= until):
        rule = _rule_on(on, version, notices)
        before = _rule_on(on - dt.timedelta(days=1), version, notices)
        new_year = (on.month, on.day) == (1, 1)
        if rule == before and not new_year and lpr_resets[rule.pk] == LPR_NEXT_JANUARY:
            continue  # an LPR publication day under a rule that resets only on 1 January
        rate = rule_rate(rule, on, history)
        if rate is None:
            continue
        reason = "notice" if before != rule else "lpr"
        points.append(Breakpoint(on, rate[0], rule, rate[1], reason))
    return points


def rate_days(until: dt.date, after: dt.date, reset_of: ResetOf = default_reset) -> set[dt.date]:
    """Days in ``(after, until]`` on which some contract may change rate: each 1 January and each
    notice's reaching day (the daily run registers changes on them; LPR publication days too when a
    version resets on publication)."""
    days = {dt.date(year, 1, 1) for year in range(after.year + 1, until.year + 1)}
    publication = False
    for version in PolicyVersion.objects.all():
        lpr_reset, notice_reset = reset_of(version)
        publication = publication or lpr_reset == LPR_PUBLICATION
        if version.rate_applies_to_existing:
            days.add(notice_reaching_day(version, notice_reset))
    if publication:
        days |= {published_on for published_on, _ in lpr_history_load()}
    return {d for d in days if after < d <= until}
