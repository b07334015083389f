"""Which rate changes a contract gets, from the policy versions and the LPR history (DOMAIN.md §1).

A contract's rate rule is its signing version's, until a later version whose rate applies to
existing contracts (``rate_applies_to_existing``: the 2023 LPR − 60 bp cut) reaches it; that
notice's rule then governs. The rule gives the rate: a fixed rate, or the 5-year-plus LPR minus a
spread. *When* a change reaches a contract is the version's :class:`~xuedai.loans.models.RateResetRule`
(defaults: an LPR change at the next 1 January, the PBOC convention for loans over one year; a
notice on its own effective date):

- the candidate days are every 1 January, each notice's reaching day and — for a rule resetting on
  publication — each LPR publication day;
- on each candidate day the rule in force is found and the rate computed (LPR: the last publication
  on or before that day); the contract changes rate there if it differs from the rate it had.

The result depends only on the signing version, the province and the day, not on the contract
(except its signing rate and dates), so a portfolio is repriced one (version, province) group and
one candidate day at a time (``loans.services.rates``).

Worked example (the shipped versions): a Sichuan contract signed 2021-10-15 at 4.35 % (2021 notice,
LPR 4.65 % − 30 bp) resets to 4.30 − 0.30 = 4.00 % on 1 Jan 2023 (LPR of 2022-08-22), and to
4.20 − 0.60 = 3.60 % on 1 Sep 2023 when the 2023 notice reaches it (LPR of 2023-08-21), keeps
3.60 % on 1 Jan 2024, then 3.60 − 0.60 = 3.00 % on 1 Jan 2025 (LPR of 2024-10-21) and
3.50 − 0.60 = 2.90 % on 1 Jan 2026 (LPR of 2025-05-20).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from xuedai.core.rates import RateChange as CoreRateChange
from xuedai.policies.models import LprRate, PolicyVersion, RateKind
from xuedai.policies.regions import province_of
from xuedai.policies.selectors import BASIS_POINT, RATE_PLACES, versions_for_region

from .models.rates import LprReset, NoticeReset, RateChangeReason, RateResetRule


@dataclass(frozen=True)
class Breakpoint:
    """On ``on`` a contract of the group would carry ``annual_rate`` under ``rule``."""

    on: dt.date
    annual_rate: Decimal
    rule: PolicyVersion
    lpr_published_on: dt.date | None
    reason: str  # RateChangeReason: the rule changed here (notice) or only the LPR did


def reset_rule(version: PolicyVersion) -> tuple[str, str]:
    """(LPR reset, notice reset) of ``version``: its row, or the defaults."""
    row = RateResetRule.objects.filter(policy_version=version).first()
    if row is None:
        return LprReset.NEXT_JANUARY, NoticeReset.NOTICE_DATE
    return row.lpr_reset, row.notice_reset


def _next_january(day: dt.date) -> dt.date:
    """The first 1 January strictly after ``day`` (a notice of 1 Jan itself reaches on that day)."""
    return day if (day.month, day.day) == (1, 1) else dt.date(day.year + 1, 1, 1)


def notices_reaching(version: PolicyVersion, region_code: str) -> list[tuple[dt.date, PolicyVersion]]:
    """Later versions whose rate applies to existing contracts of ``version`` in the region, with
    the day each reaches them, in order."""
    later = versions_for_region(version.product, region_code).filter(
        rate_applies_to_existing=True, effective_from__gt=version.effective_from
    )
    reaching = []
    for notice in later:
        _, notice_reset = reset_rule(notice)
        on = (
            notice.effective_from
            if notice_reset == NoticeReset.NOTICE_DATE
            else _next_january(notice.effective_from)
        )
        reaching.append((on, notice))
    return sorted(reaching, key=lambda pair: (pair[0], pair[1].effective_from, pair[1].region_code))


def _rule_on(
    day: dt.date, version: PolicyVersion, notices: list[tuple[dt.date, PolicyVersion]]
) -> PolicyVersion:
    rule = version
    for on, notice in notices:
        if on <= day:
            rule = notice
    return rule


@cache
def _lpr_history() -> tuple[tuple[dt.date, Decimal], ...]:
    return tuple(LprRate.objects.order_by("effective_from").values_list("effective_from", "five_year_plus"))


def lpr_history_clear() -> None:
    """Forget the cached LPR history (after a new publication is recorded, and between tests)."""
    _lpr_history.cache_clear()


def _lpr_on(day: dt.date) -> tuple[dt.date, Decimal] | None:
    found = None
    for published_on, rate in _lpr_history():
        if published_on > day:
            break
        found = (published_on, rate)
    return found


def rule_rate(rule: PolicyVersion, day: dt.date) -> tuple[Decimal, dt.date | None] | None:
    """The rate ``rule`` gives on ``day`` (and the LPR publication used); None: the contract's own
    rate (commercial loans) or no LPR yet — no change."""
    if rule.rate_kind == RateKind.FIXED:
        return Decimal(rule.fixed_rate), None
    if rule.rate_kind == RateKind.LPR_MINUS:
        lpr = _lpr_on(day)
        if lpr is None:
            return None
        return (lpr[1] - rule.lpr_spread_bp * BASIS_POINT).quantize(RATE_PLACES), lpr[0]
    return None


def breakpoints(version: PolicyVersion, region_code: str, after: dt.date, until: dt.date) -> list[Breakpoint]:
    """Every candidate day in ``(after, until]`` for contracts signed under ``version`` in the
    region, with the rate such a contract carries from that day (module docstring)."""
    notices = notices_reaching(version, region_code)
    candidates = {dt.date(year, 1, 1) for year in range(after.year + 1, until.year + 1)}
    candidates |= {on for on, _ in notices}
    lpr_resets = {rule.pk: reset_rule(rule)[0] for rule in (version, *(n for _, n in notices))}
    if LprReset.PUBLICATION in lpr_resets.values():
        candidates |= {published_on for published_on, _ in _lpr_history()}
    points = []
    for on in sorted(d for d in candidates if after < d <= until):
        rule = _rule_on(on, version, notices)
        before = _rule_on(on - dt.timedelta(days=1), version, notices)
        new_year = (on.month, on.day) == (1, 1)
        if rule == before and not new_year and lpr_resets[rule.pk] == LprReset.NEXT_JANUARY:
            continue  # an LPR publication day under a rule that resets only on 1 January
        rate = rule_rate(rule, on)
        if rate is None:
            continue
        reason = RateChangeReason.NOTICE if before != rule else RateChangeReason.LPR
        points.append(Breakpoint(on, rate[0], rule, rate[1], reason))
    return points


@dataclass(frozen=True)
class PlannedChange:
    effective_from: dt.date
    annual_rate: Decimal
    reason: str
    rule: PolicyVersion
    lpr_published_on: dt.date | None

    def as_core(self) -> CoreRateChange:
        return CoreRateChange(self.effective_from, self.annual_rate)


def changes_from(
    points: list[Breakpoint], *, signing_rate: Decimal, disbursed_on: dt.date, maturity: dt.date
) -> list[PlannedChange]:
    """One contract's changes: the breakpoints strictly inside its life where its rate moves."""
    changes, rate = [], signing_rate
    for point in points:
        if not disbursed_on < point.on < maturity or point.annual_rate == rate:
            continue
        changes.append(
            PlannedChange(point.on, point.annual_rate, point.reason, point.rule, point.lpr_published_on)
        )
        rate = point.annual_rate
    return changes


def contract_region(contract) -> str:
    from xuedai.policies.selectors import contract_region_code

    return contract_region_code(contract)


def schedule_for(contract, until: dt.date) -> list[PlannedChange]:
    """The changes ``contract`` (disbursed) is due by ``until`` (the scalar reference for the
    set-based ``loans.services.rates.rate_changes_post``)."""
    if contract.disbursed_on is None:
        return []
    region = province_of(contract_region(contract))
    points = breakpoints(contract.policy_version, region, contract.disbursed_on, until)
    return changes_from(
        points,
        signing_rate=contract.annual_rate,
        disbursed_on=contract.disbursed_on,
        maturity=contract.maturity_date,
    )
