"""One Chinese sentence per posting for the account page: what it is and why (DOMAIN.md §4).

贴息 or 自付 with the period and who pays; a penalty with its rate and the overdue amount's due
day; an allocation with what it paid; a waiver with its programme.
"""

from __future__ import annotations

import datetime as dt

from xuedai.core.overdue import penalty_rate
from xuedai.core.rates import rate_on

from .models import Kind, Posting
from .rate_statement import period_rates_text
from .terms import rate_changes


def _d(day: dt.date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else "—"


def _previous_settlement(day: dt.date, settlement_days: list[dt.date], opened_on: dt.date) -> dt.date:
    return max((d for d in settlement_days if d < day), default=opened_on)


def explain(posting: Posting, *, contract, settlement_days: list[dt.date]) -> str:
    kind, on = posting.kind, posting.business_date
    if posting.memo and kind in (Kind.DISBURSE_UNIVERSITY, Kind.DISBURSE_STUDENT):
        return posting.memo
    if kind == Kind.REVERSAL:
        target = posting.reverses
        what = f"{_d(target.business_date)} 的「{target.get_kind_display()}」{target.amount} 元"
        return f"冲正 {what}：{posting.memo}"
    start = _previous_settlement(on, settlement_days, contract.disbursed_on or on)
    self_pay = contract.self_pay_from
    if kind == Kind.SUBSIDY_INTEREST:
        end = min(on, self_pay) if self_pay and self_pay > start else on
        rates = period_rates_text(contract, start, end)
        return (f"贴息：{_d(start)}至{_d(end)}在校期间的利息（{rates}）由财政承担，"
                f"记入应收贴息，借款人不需偿还")
    if kind == Kind.INTEREST:
        begin = max(start, self_pay) if self_pay else start
        return (f"自付利息：{_d(begin)}至{_d(on)}的利息由借款人承担（毕业后自付，"
                f"{period_rates_text(contract, begin, on)}），{_d(on)}应还")
    if kind == Kind.PRINCIPAL:
        return f"本金到期：按还款计划{_d(on)}应还本金"
    multiplier = contract.policy_version.penalty_multiplier
    # The penalty rate follows the contract rate in force (130 % of it); shown as of the posting day.
    in_force = rate_on(on, contract.annual_rate, rate_changes(contract))
    p_rate = f"{penalty_rate(in_force, multiplier) * 100:.4f}".rstrip("0").rstrip(".")
    if kind == Kind.PENALTY:
        return (f"罚息：逾期本金按合同利率的{multiplier * 100:.0f}%（年{p_rate}%）按日计收，"
                f"计至{_d(on)}还款时结计")
    if kind == Kind.COMPOUND:
        return f"复利：逾期未付的利息按罚息利率（年{p_rate}%）按日计收，计至{_d(on)}还款时结计"
    if kind in (Kind.PAY_PENALTY, Kind.PAY_COMPOUND, Kind.PAY_OVERDUE_INTEREST, Kind.PAY_OVERDUE_PRINCIPAL,
                Kind.PAY_INTEREST, Kind.PAY_PRINCIPAL):
        source = f"（{posting.memo}）" if posting.memo else ""
        paid = posting.get_kind_display()[1:]
        return f"还款分配{source}：偿还{_d(posting.due_on)}应还的{paid}，先收息、后还本"
    if kind == Kind.CREDIT_IN:
        return "多缴款：超过应还金额的部分暂存，下次款项到期时自动抵扣"
    if kind == Kind.CREDIT_APPLIED:
        return "以暂存的多缴款抵扣到期款项"
    if kind == Kind.WAIVE_INTEREST:
        return f"免息政策：{on.year}年度自付利息免除{('（' + posting.memo + '）') if posting.memo else ''}"
    if kind == Kind.WAIVE_PENALTY:
        return f"免息政策：此前的罚息、复利免除{('（' + posting.memo + '）') if posting.memo else ''}"
    if kind == Kind.DEFER_PRINCIPAL:
        return "本金延期：本期本金顺延一年，不计罚息"
    return posting.memo or posting.get_kind_display()
