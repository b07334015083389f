"""Which rate changes a contract gets, from the policy versions and the LPR history (DOMAIN.md §1).

The days and rates are ``policies.repricing`` (the one source, shared with
``policies.selectors.effective_terms``); this module adds what only loans knows: each version's
:class:`~xuedai.loans.models.RateResetRule` row (defaults: an LPR change at the next 1 January, a
notice on its own effective date), a cached LPR history for the set-based registration, and one
contract's planned changes.

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
from xuedai.policies import repricing
from xuedai.policies.models import PolicyVersion
from xuedai.policies.regions import province_of
from xuedai.policies.repricing import Breakpoint

from .models.rates import LprReset, NoticeReset, RateResetRule

__all__ = ["Breakpoint", "breakpoints", "changes_from", "lpr_history_clear", "notices_reaching",
           "reset_rule", "rule_rate", "schedule_for"]


def reset_rule(version: PolicyVersion) -> tuple[str, str]:
    """(LPR reset, notice reset) of ``version``: its row, or the defaults."""
    row = RateResetRule.objects.filter(policy_version=version).first()
    if row is None:
        return LprReset.NEXT_JANUARY, NoticeReset.NOTICE_DATE
    return row.lpr_reset, row.notice_reset


@cache
def _lpr_history() -> tuple[tuple[dt.date, Decimal], ...]:
    return repricing.lpr_history_load()


def lpr_history_clear() -> None:
    """Forget the cached LPR history (after a new publication is recorded, and between tests)."""
    _lpr_history.cache_clear()


def notices_reaching(version: PolicyVersion, region_code: str) -> list[tuple[dt.date, PolicyVersion]]:
    return repricing.notices_reaching(version, region_code, reset_rule)


def rule_rate(rule: PolicyVersion, day: dt.date) -> tuple[Decimal, dt.date | None] | None:
    return repricing.rule_rate(rule, day, _lpr_history())


def breakpoints(version: PolicyVersion, region_code: str, after: dt.date, until: dt.date) -> list[Breakpoint]:
    """``policies.repricing.breakpoints`` under the versions' reset rule rows."""
    return repricing.breakpoints(version, region_code, after, until, reset_of=reset_rule,
                                 history=_lpr_history())


def rate_days(after: dt.date, until: dt.date) -> set[dt.date]:
    """Days in ``(after, until]`` on which a registration may find changes (the daily run's)."""
    return repricing.rate_days(until, after, reset_rule)


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
