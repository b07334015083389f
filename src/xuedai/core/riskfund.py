"""The risk-compensation fund (风险补偿金): accrual and the 20 Dec settlement waterfall.

DOMAIN.md §6 and seed [003] 资金管理办法 第二十二–二十八条. Pure rules: no Django, ``Decimal`` yuan,
every amount rounded by :func:`xuedai.core.money.round_fen` and nowhere else.

**Accrual.** rate × the academic year's disbursements (1 Sep – 31 Aug), split between finance and the
university per the policy version (14 %, 50/50 in the 2007 Jilin seed; 5 % in the 2021 notice).

**Waterfall.** risk ratio = defaulted principal and interest ÷ total loans. With ``T1`` = rate × total
loans and ``T2`` = 20 % × total loans:

- the fund covers the defaults up to ``T1`` (``from_fund``); what the fund holds beyond what it
  covered is returned to the university as a reward (``reward``: "低于14%时，将其差额部分返还高校");
- defaults between ``T1`` and ``T2`` are shared university : bank : province office = 5 : 4 : 1;
- defaults above ``T2`` are borne by the university (``above_cap``).

**Cumulative settlement, recoveries in reverse order.** Each 20 Dec the waterfall is drawn over the
portfolio's *cumulative* figures (defaults net of what borrowers paid back later); the year's
movement is the difference from the parts already settled (:func:`movement`). A recovery lowers the
defaults, so it comes off the top band first — the university's part above 20 %, then the 5 : 4 : 1
shares, then the fund's cover (which the fund then holds again) — exactly the "逆向返还" of
第二十八条. :func:`recovery_return` names that for one recovered amount.

Worked example (seed rate 14 %, total loans 1,000,000.00, fund holds 140,000.00):

=============  ==========  ==========  =======================  ==========  =========
defaults        ratio      from fund    5 : 4 : 1 shares        above 20 %   reward
=============  ==========  ==========  =======================  ==========  =========
100,000.00      10 %       100,000.00   0                        0           40,000.00
140,000.00      14 %       140,000.00   0                        0           0
170,000.00      17 %       140,000.00   15,000 / 12,000 / 3,000  0           0
200,000.00      20 %       140,000.00   30,000 / 24,000 / 6,000  0           0
250,000.00      25 %       140,000.00   30,000 / 24,000 / 6,000  50,000.00   0
=============  ==========  ==========  =======================  ==========  =========
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from decimal import Decimal

from .money import ZERO, round_fen

CAP_RATE = Decimal("0.20")  # [003] 第二十七条: above 20 % the university bears the rest
SHARES = (5, 4, 1)  # university : bank : province office, [003] 第二十七条


class RiskFundError(ValueError):
    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


def split(amount: Decimal, weights: Sequence[int | Decimal]) -> list[Decimal]:
    """``amount`` split in proportion to ``weights``, each part to the fen, the parts adding up to
    ``amount`` exactly.

    Cumulative rounding: part i = round(amount × W_i / W) − round(amount × W_{i−1} / W) with W_i the
    running sum of weights — one rounding function, and the last running sum is ``amount`` itself,
    so nothing is lost or made. Worked example: 0.03 yuan in 5 : 4 : 1 → 0.02, 0.01, 0.00
    (0.015 → 0.02, 0.027 → 0.03, 0.03).

    >>> split(Decimal("0.03"), (5, 4, 1))
    [Decimal('0.02'), Decimal('0.01'), Decimal('0.00')]
    >>> split(Decimal("100.00"), (Decimal("0.5"), Decimal("0.5")))
    [Decimal('50.00'), Decimal('50.00')]
    """
    total = sum((Decimal(w) for w in weights), ZERO)
    if total <= 0 or any(Decimal(w) < 0 for w in weights):
        raise RiskFundError("分摊比例必须为非负数且合计大于零")
    parts, running, previous = [], ZERO, round_fen(ZERO)
    for weight in weights:
        running += Decimal(weight)
        upto = round_fen(amount) if running == total else round_fen(amount * running / total)
        parts.append(upto - previous)
        previous = upto
    return parts


@dataclass(frozen=True)
class Accrual:
    """One academic year's accrual for one fund: the base, the rate, the finance and university parts."""

    disbursed: Decimal
    rate: Decimal
    total: Decimal
    finance: Decimal
    university: Decimal


def accrual(disbursed: Decimal, rate: Decimal, finance_share: Decimal, university_share: Decimal) -> Accrual:
    """rate × disbursements, split finance : university (DOMAIN.md §1 risk compensation fund).

    Worked example (seed [003] 第二十二条): 1,234,567.89 disbursed at 14 % → 172,839.50 (172,839.5046
    rounded), split 50/50 → 86,419.75 + 86,419.75.

    >>> a = accrual(Decimal("1234567.89"), Decimal("0.14"), Decimal("0.5"), Decimal("0.5"))
    >>> a.total, a.finance, a.university
    (Decimal('172839.50'), Decimal('86419.75'), Decimal('86419.75'))
    """
    if disbursed < 0:
        raise RiskFundError("发放额不能为负数")
    if not 0 <= rate <= 1:
        raise RiskFundError(f"风险补偿金比例须在0至100%之间：{rate}")
    total = round_fen(disbursed * rate)
    finance, university = split(total, (finance_share, university_share))
    return Accrual(disbursed=round_fen(disbursed), rate=rate, total=total, finance=finance,
                   university=university)


@dataclass(frozen=True)
class Parts:
    """Who bears the defaults, and what goes back to the university (all ≥ 0 for one waterfall;
    a :func:`movement` may hold negatives: money flowing back)."""

    from_fund: Decimal  # the fund's cover, up to rate × total loans (paid to the bank)
    university_share: Decimal  # 5/10 of the band rate … 20 %
    bank_share: Decimal  # 4/10: the bank's own loss
    province_share: Decimal  # 1/10: the province office
    above_cap: Decimal  # the university's part above 20 %
    reward: Decimal  # 奖励性返还: what the fund holds beyond its cover, back to the university
    shortfall: Decimal  # cover the fund did not hold (an accrual not paid in): still owed to the bank

    @property
    def defaulted(self) -> Decimal:
        """The whole the bearers' parts add up to."""
        return (self.from_fund + self.university_share + self.bank_share + self.province_share
                + self.above_cap)

    @property
    def university_total(self) -> Decimal:
        return self.university_share + self.above_cap

    def minus(self, other: Parts) -> Parts:
        return Parts(**{f.name: getattr(self, f.name) - getattr(other, f.name) for f in fields(self)})


NO_PARTS = Parts(*(round_fen(ZERO),) * 7)


@dataclass(frozen=True)
class Waterfall:
    total_loans: Decimal
    defaulted: Decimal
    fund_held: Decimal
    rate: Decimal
    cap_rate: Decimal
    fund_limit: Decimal  # T1 = rate × total loans
    cap_limit: Decimal  # T2 = 20 % × total loans
    parts: Parts

    @property
    def risk_ratio(self) -> Decimal:
        """违约贷款本息 ÷ 贷款总额, for display (the bands compare amounts, not this ratio)."""
        return self.defaulted / self.total_loans if self.total_loans else ZERO

    @property
    def band(self) -> str:
        d, t1, t2 = self.defaulted, self.fund_limit, self.cap_limit
        if d < t1:
            return "低于补偿比例"
        if d == t1:
            return "等于补偿比例"
        if d < t2:
            return "补偿比例至20%之间"
        if d == t2:
            return "等于20%"
        return "超过20%"


def waterfall(*, total_loans: Decimal, defaulted: Decimal, fund_held: Decimal, rate: Decimal,
              cap_rate: Decimal = CAP_RATE, shares: Sequence[int] = SHARES) -> Waterfall:
    """The 20 Dec settlement of one fund ([003] 第二十七条; module doc for the worked example).

    The bands compare amounts rounded to the fen (T1, T2), so "exactly 14 %" and "exactly 20 %"
    mean to the fen. Parts add up: from_fund + the three shares + above_cap = defaulted, and
    from_fund − shortfall + reward = fund_held, each to the fen.
    """
    if total_loans < 0 or defaulted < 0 or fund_held < 0:
        raise RiskFundError("贷款总额、违约本息和补偿金余额不能为负数")
    if not 0 <= rate <= cap_rate:
        raise RiskFundError(f"风险补偿金比例须在0至{cap_rate:.0%}之间：{rate}")
    defaulted, fund_held = round_fen(defaulted), round_fen(fund_held)
    if defaulted > total_loans:
        raise RiskFundError("违约本息不能超过贷款总额")
    t1 = round_fen(total_loans * rate)
    t2 = round_fen(total_loans * cap_rate)
    parts = parts_at(defaulted=defaulted, fund_held=fund_held, fund_limit=t1, cap_limit=t2, shares=shares)
    return Waterfall(total_loans=round_fen(total_loans), defaulted=defaulted, fund_held=fund_held,
                     rate=rate, cap_rate=cap_rate, fund_limit=t1, cap_limit=t2, parts=parts)


def parts_at(*, defaulted: Decimal, fund_held: Decimal, fund_limit: Decimal, cap_limit: Decimal,
             shares: Sequence[int] = SHARES) -> Parts:
    """The waterfall's parts for limits already drawn (T1 = rate × loans, T2 = 20 % × loans, both
    to the fen): the bands of :func:`waterfall`, reusable with a past settlement's stored limits."""
    from_fund = min(defaulted, fund_limit)
    band = min(defaulted, cap_limit) - from_fund
    university, bank, province = split(band, shares)
    above = defaulted - min(defaulted, cap_limit)
    covered = min(from_fund, fund_held)
    return Parts(from_fund=from_fund, university_share=university, bank_share=bank,
                 province_share=province, above_cap=above, reward=fund_held - covered,
                 shortfall=from_fund - covered)


def movement(previous: Parts | None, current: Parts) -> Parts:
    """What this settlement moves: the cumulative parts now minus those already settled. A negative
    part flows back (a recovery returned, a cover the fund takes back)."""
    return current.minus(previous or NO_PARTS)


def recovery_return(*, total_loans: Decimal, defaulted: Decimal, recovered: Decimal, fund_held: Decimal,
                    rate: Decimal, cap_rate: Decimal = CAP_RATE) -> Parts:
    """Where ``recovered`` (defaults paid back after they were compensated) goes at the next
    settlement, as positive amounts returned: above 20 % first, then the 5 : 4 : 1 shares, then the
    fund's cover ([003] 第二十八条 逆向返还).

    Worked example (14 %, 1,000,000.00 loans, 250,000.00 defaulted, fund 140,000.00), 70,000.00
    recovered: 50,000.00 back to the university (above 20 %), then 20,000.00 of the band in 5 : 4 : 1
    (10,000 / 8,000 / 2,000); the fund's cover stays.
    """
    if not 0 <= recovered <= defaulted:
        raise RiskFundError("收回金额须在0与违约本息之间")
    before = waterfall(total_loans=total_loans, defaulted=defaulted, fund_held=fund_held, rate=rate,
                       cap_rate=cap_rate)
    after = waterfall(total_loans=total_loans, defaulted=defaulted - recovered, fund_held=fund_held,
                      rate=rate, cap_rate=cap_rate)
    # A recovery that reaches the fund's own band frees cover: the fund then holds more than it
    # covers, so the reward grows — a negative ``reward`` here (money *to* the university).
    return before.parts.minus(after.parts)


@dataclass(frozen=True)
class Steps:
    """One settlement's movement in the two steps of [003] 第二十八条.

    ``recovered``: what borrowers paid back on defaults already compensated, taken into the fund
    first; ``returned``: how it goes back, in reverse order, as amounts ≥ 0 per part (above 20 %,
    then the 5 : 4 : 1 shares, then the fund's own cover — ``reward`` ≤ 0: the cover freed goes to
    the university); ``rest``: the remainder of the movement (new defaults, limits grown with new
    loans, money paid in), signed. ``rest − returned`` is the movement, part by part, to the fen.
    """

    recovered: Decimal
    returned: Parts
    rest: Parts

    @property
    def movement(self) -> Parts:
        return self.rest.minus(self.returned)


def settlement_steps(*, previous: Parts | None, previous_defaulted: Decimal, previous_fund_held: Decimal,
                     previous_limits: tuple[Decimal, Decimal] | None, recovered: Decimal,
                     current: Parts, shares: Sequence[int] = SHARES) -> Steps:
    """Split a settlement's movement into the recovery returned and the rest.

    The recovery is returned against the previous settlement's own figures (its defaults, what the
    fund held, its limits): ``returned`` = parts(D) − parts(D − R), with R capped at D (money paid
    on amounts that were never compensated returns nothing). Without a previous settlement, or
    with one whose limits are unknown, nothing is returned and the movement is all ``rest``.

    Worked example (14 %, 1,000,000.00 loans, limits 140,000.00 / 200,000.00, fund 140,000.00):
    defaults 250,000.00 settled last year, 70,000.00 recovered, 180,000.00 defaulted now: the
    recovery goes back 50,000.00 above 20 % and 10,000 / 8,000 / 2,000 of the band; the rest is
    zero (the defaults now are exactly those left after the recovery).
    """
    zero = round_fen(ZERO)
    if previous is None or previous_limits is None:
        return Steps(recovered=zero, returned=NO_PARTS, rest=movement(previous, current))
    fund_limit, cap_limit = previous_limits
    taken = min(round_fen(recovered), previous_defaulted)
    if taken <= 0:
        return Steps(recovered=zero, returned=NO_PARTS, rest=movement(previous, current))
    before = parts_at(defaulted=previous_defaulted, fund_held=previous_fund_held, fund_limit=fund_limit,
                      cap_limit=cap_limit, shares=shares)
    after = parts_at(defaulted=previous_defaulted - taken, fund_held=previous_fund_held,
                     fund_limit=fund_limit, cap_limit=cap_limit, shares=shares)
    returned = before.minus(after)
    # rest = current − (previous − returned): exact whatever rounding the stored parts carry.
    return Steps(recovered=taken, returned=returned, rest=current.minus(previous.minus(returned)))
