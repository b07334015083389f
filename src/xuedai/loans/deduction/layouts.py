"""The two deduction layouts: one list of (key, Chinese header) each, shared by writer and reader.

Seed [001] 三 names the tables: Alipay deductions come back to the county as the 扣款明细表;
agent-bank counties fill the 批量扣款信息表(代理行版) with what each student paid and import it.
The seed does not print their columns; these follow the system's fields (contract, borrower, the
amounts by category, the result, the amount taken, the reason), in the order a county clerk reads
them. The result columns are blank in the file we send and filled in the file the channel returns.
"""

from __future__ import annotations

from dataclasses import dataclass

ALIPAY = "扣款明细表"
AGENT_BANK = "批量扣款信息表(代理行版)"

SUCCESS_WORDS = {"成功", "扣款成功", "还款成功", "已还款"}
FAILURE_WORDS = {"失败", "扣款失败", "还款失败", "未还款"}
MONEY_KEYS = ("principal", "interest", "penalty", "amount", "paid")


@dataclass(frozen=True)
class Layout:
    name: str
    columns: tuple[tuple[str, str], ...]  # (key, header)

    @property
    def headers(self) -> list[str]:
        return [header for _, header in self.columns]

    @property
    def keys(self) -> list[str]:
        return [key for key, _ in self.columns]


LAYOUTS = {
    ALIPAY: Layout(ALIPAY, (
        ("seq", "序号"), ("contract_no", "合同编号"), ("name", "借款学生"), ("id_number", "身份证号"),
        ("channel_account", "支付宝账号"), ("county", "县资助中心"), ("kind", "扣款类型"),
        ("principal", "应扣本金"), ("interest", "应扣利息"), ("penalty", "应扣罚息复利"),
        ("amount", "应扣合计"), ("result", "扣款结果"), ("paid", "实扣金额"), ("reason", "失败原因"),
    )),
    AGENT_BANK: Layout(AGENT_BANK, (
        ("seq", "序号"), ("contract_no", "合同编号"), ("name", "借款学生"), ("id_number", "身份证号"),
        ("county", "县资助中心"), ("agent_bank", "代理行"), ("kind", "还款类型"),
        ("principal", "应还本金"), ("interest", "应还利息"), ("penalty", "应还罚息"),
        ("amount", "应还合计"), ("result", "还款结果"), ("paid", "实还金额"), ("reason", "备注"),
    )),
}
