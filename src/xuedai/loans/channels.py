"""Where a contract's repayments are collected: the borrower's Alipay account, or the agent bank
that serves the signing county (DOMAIN.md §4 Channels; [001] 三 本息还款流程).

One rule for the deduction run (which channel's file a line goes in) and for every page that tells
a borrower where to deposit: a home-county contract signed in a county served by an agent bank is
repaid through that county centre and its agent bank ("利用代理行还款 … 将足额资金交至资助中心");
every other contract through the Alipay account the bank's system opened with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Channel


def collecting_agent_bank(contract):
    """The agent bank (代理行) that collects ``contract``'s repayments, or None for Alipay."""
    county = contract.county
    if county is None or not county.agent_bank_id:
        return None
    return county.agent_bank


def mask_account(account: str) -> str:
    """An Alipay account for a page: the first and last four characters of its name, the domain
    whole (zxdk00012345@alipay.cdb → zxdk****2345@alipay.cdb)."""
    name, at, domain = account.partition("@")
    if len(name) <= 8:
        name = name[:2] + "*" * max(len(name) - 2, 0)
    else:
        name = f"{name[:4]}****{name[-4:]}"
    return f"{name}{at}{domain}"


@dataclass(frozen=True)
class PaymentChannel:
    kind: str  # Channel.ALIPAY or Channel.AGENT_BANK
    name: str  # 支付宝 / the agent bank's name
    account: str  # the Alipay account, masked ("" for an agent bank, or when not opened yet)
    county: str  # the county centre that takes an agent bank's repayments

    @property
    def where(self) -> str:
        """Where to deposit, in one sentence."""
        if self.kind == Channel.AGENT_BANK:
            return f"代理行还款：请将足额款项交至{self.county}，由{self.name}代为划转"
        if self.account:
            return f"支付宝账户 {self.account}（本人还款账户）"
        return "支付宝账户：签订合同时开立的本人还款账户"

    @property
    def short(self) -> str:
        """For a text message: "支付宝账户zxdk****2345@alipay.cdb" or "三台县…（代理行）"."""
        if self.kind == Channel.AGENT_BANK:
            return f"{self.county}（{self.name}代理）"
        return f"支付宝账户{self.account}" if self.account else "本人支付宝还款账户"


def payment_channel(contract, account=None) -> PaymentChannel:
    """``contract``'s channel; ``account`` is its LoanAccount (None: not opened yet)."""
    agent = collecting_agent_bank(contract)
    if agent is not None:
        return PaymentChannel(Channel.AGENT_BANK, agent.name, "", contract.county.name)
    raw = account.channel_account if account is not None else ""
    return PaymentChannel(Channel.ALIPAY, "支付宝", mask_account(raw) if raw else "", "")
