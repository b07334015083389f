"""The state's money in the demo (DOMAIN.md §6), so the funds pages and their work items are not
empty: every academic year's 风险补偿金 requested by the province office (20 Oct) and confirmed by
the bank (10 Dec) up to 2025, the 2026 request still waiting for the bank; the 20 Dec 2025
settlement; and one finance transfer of subsidy for 三台县 (18 Dec 2025). Through the funds services,
each in its own transaction with its audit entry, after the portfolio is written.

The settlement reads the accounts as they stand on the demo's business date (the portfolio is drawn
once, as of 2026-11-20), so its defaults are today's overdue amounts that fell due before
20 Dec 2025."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.db.models import Min

from xuedai.funds.services import FundsError, accrual_confirm, accrual_request, settlement_run
from xuedai.funds.services.subsidy import PaymentLine, SubsidyPaymentRejected, subsidy_payment_record
from xuedai.loans.models import LoanAccount
from xuedai.orgs.models import User

LAST_CONFIRMED = 2025  # the 2026 request waits for the bank (its 确认书 is a work item on 20 Nov 2026)
REQUESTED_YEAR = 2026
SETTLED_ON = dt.date(2025, 12, 20)
PAID_COUNTY = "510722"  # 三台县, the demo's county
PAYMENT_LINES = 2_000  # one transfer's worth; the rest of the receivable stays owed (a work item)


def add_state_money(out: TextIO) -> None:
    province = User.objects.filter(username="province_op").first()
    bank = User.objects.filter(username="bank_approver").first()
    first = LoanAccount.objects.aggregate(first=Min("opened_on"))["first"]
    if province is None or bank is None or first is None:
        return
    # the academic year ending 31 Aug: one opened on 1 Sep 2018 belongs to 2019
    for year in range(first.year + (first.month >= 9), REQUESTED_YEAR + 1):
        try:
            created = accrual_request(actor=province, year=year, on=dt.date(year, 10, 20))
        except FundsError:
            continue  # nothing disbursed that year
        if year <= LAST_CONFIRMED:
            accrual_confirm(actor=bank, accruals=created, on=dt.date(year, 12, 10))
    try:
        settled = settlement_run(actor=bank, on=SETTLED_ON)
        out.write(f"  风险补偿金：{SETTLED_ON:%Y-%m-%d} 结算 {len(settled)} 个账户\n")
    except FundsError as refused:
        out.write(f"  风险补偿金：未结算（{refused}）\n")
    owed = list(
        LoanAccount.objects.filter(subsidy_receivable__gt=0, contract__county__region_code=PAID_COUNTY)
        .order_by("contract__contract_no")
        .values_list("contract__contract_no", "subsidy_receivable")[:PAYMENT_LINES]
    )
    if not owed:
        return
    lines = [PaymentLine(row_number=i + 2, contract_no=no, amount=amount)
             for i, (no, amount) in enumerate(owed)]
    try:
        subsidy_payment_record(actor=province, received_on=dt.date(2025, 12, 18), payer="四川省财政厅",
                               reference="川财教〔2025〕88号", lines=lines, source_name="演示数据")
    except SubsidyPaymentRejected as refused:
        out.write(f"  贴息到账：未录入（{refused}）\n")
