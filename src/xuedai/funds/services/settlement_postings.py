"""Every part of one fund's 20 Dec settlement as postings ([003] 资金管理办法 第二十七、二十八条):
the fund's own (cover to the bank, reward to the university, a recovery in and back out) on its
``FundPosting`` ledger, each other party's on its ``ShareAccount``.

Two steps (``core.riskfund.settlement_steps``):

1. **Recovery.** What borrowers paid back on compensated defaults comes into the fund
   (``RECOVERY_IN``, one posting per part it will go back as) and goes back out in reverse order
   (``RECOVERY_RETURNED``): the part above 20 % and the 5 share to the university, the 4 to the
   bank, the 1 to the province office; the cover it frees stays in the fund and is paid to the
   university as reward. A recovery that only cancels cover the fund never paid (a shortfall)
   stays with the bank: it reduces what the fund owes it.
2. **The rest**, signed: a positive part is borne (the fund pays cover, a party its share), a
   negative one is returned.

So the fund's balance is explained by its postings, every party's by its own, and per settlement
the parts add up to the movement of the defaults to the fen (tests/funds/test_settlement_ledger).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from xuedai.core.riskfund import Steps

from ..models import PART_LABELS, FundKind, FundPosting, Party, Settlement, ShareKind, SharePosting

# The party that bears each non-fund part.
PART_PARTY = {
    "university_share": Party.UNIVERSITY,
    "above_cap": Party.UNIVERSITY,
    "bank_share": Party.BANK,
    "province_share": Party.PROVINCE,
    "shortfall": Party.SHORTFALL,
}
# Reverse order of [003] 第二十八条: the top band first.
RETURN_ORDER = ("above_cap", "university_share", "bank_share", "province_share")


def _fund(s: Settlement, kind: str, amount: Decimal, part: str, memo: str, on: dt.date) -> FundPosting:
    return FundPosting(account_id=s.account_id, business_date=on, kind=kind, amount=amount, settlement=s,
                       part=part, memo=memo)


def _share(s: Settlement, account_id: int, kind: str, amount: Decimal, part: str,
           on: dt.date) -> SharePosting:
    return SharePosting(account_id=account_id, settlement=s, business_date=on, part=part, kind=kind,
                        amount=amount)


def settlement_postings(
    s: Settlement, steps: Steps, share_accounts: dict[str, int], on: dt.date
) -> tuple[list[FundPosting], list[SharePosting]]:
    """The postings of one settlement; ``share_accounts`` maps each Party to its account id.
    Zero amounts make no posting."""
    fund: list[FundPosting] = []
    share: list[SharePosting] = []
    year = f"{on:%Y}年结算"
    r = steps.returned
    # Step 1: the recovery into the fund, part by part, and back out in reverse order.
    if steps.recovered > 0:
        freed_cover = r.from_fund - r.shortfall
        if freed_cover > 0:
            fund.append(_fund(s, FundKind.RECOVERY_IN, freed_cover, "from_fund",
                              f"{year}：收回款(补偿金补偿部分)", on))
        for part in RETURN_ORDER:
            amount = getattr(r, part)
            if amount > 0:
                label, account = PART_LABELS[part], share_accounts[PART_PARTY[part]]
                fund.append(_fund(s, FundKind.RECOVERY_IN, amount, part, f"{year}：收回款({label})", on))
                fund.append(_fund(s, FundKind.RECOVERY_RETURNED, amount, part, f"{year}：返还{label}", on))
                share.append(_share(s, account, ShareKind.RETURNED, amount, part, on))
        if r.shortfall > 0:
            share.append(_share(s, share_accounts[Party.SHORTFALL], ShareKind.RETURNED, r.shortfall,
                                "shortfall", on))
        if r.reward < 0:  # the cover freed goes on to the university as reward
            fund.append(_fund(s, FundKind.REWARD_PAID, -r.reward, "reward", f"{year}：收回款奖励性返还", on))
    # Step 2: the rest of the movement, signed.
    rest = steps.rest
    cover = rest.from_fund - rest.shortfall  # what the fund itself pays the bank (or takes back)
    if cover:
        kind = FundKind.COVER_PAID if cover > 0 else FundKind.COVER_RETURNED
        fund.append(_fund(s, kind, abs(cover), "from_fund", year, on))
    if rest.reward:
        kind = FundKind.REWARD_PAID if rest.reward > 0 else FundKind.REWARD_RETURNED
        fund.append(_fund(s, kind, abs(rest.reward), "reward", year, on))
    for part, party in PART_PARTY.items():
        amount = getattr(rest, part)
        if amount:
            kind = ShareKind.BORNE if amount > 0 else ShareKind.RETURNED
            share.append(_share(s, share_accounts[party], kind, abs(amount), part, on))
    return fund, share
