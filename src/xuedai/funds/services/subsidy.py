"""The finance department's subsidy transfer (贴息资金到账), recorded by the province office and
posted contract by contract against each receivable (DOMAIN.md §6; seed [003] 资金管理办法 第二十一
条: the province office collects the subsidy and pays it to the bank before 20 Dec).

All or nothing: every line of a transfer (typed on the page or imported from the finance
department's .xlsx) is checked — the contract exists and is in the recorder's scope, appears once,
and its amount does not exceed its receivable — before anything is saved; one bad line refuses the
whole transfer with every problem listed by row, in Chinese.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db import connection, transaction

from xuedai.audit.services import audit_record
from xuedai.batch import exact, io
from xuedai.batch.pgbinary import Block
from xuedai.documents.imports import RowError
from xuedai.loans.services.subsidy import SubsidyReceiptError, subsidy_received_post
from xuedai.orgs.scope import record_scope_q
from xuedai.origination.models import Contract

from ..models import SubsidyPayment, SubsidyPaymentLine


@dataclass(frozen=True)
class PaymentLine:
    row_number: int  # the Excel row (or the page's line number) named in errors
    contract_no: str
    amount: Decimal


class SubsidyPaymentRejected(ValueError):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"贴息到账有 {len(errors)} 处错误，未保存任何数据。")
        self.errors = errors


CONTRACT_HEADER, AMOUNT_HEADER = "合同编号", "到账贴息"
LOOKUP_CHUNK = 5000


def _lines_write(payment: SubsidyPayment, amounts: dict[int, Decimal]) -> None:
    """The transfer's lines: a binary COPY on PostgreSQL (an ORM object per line cost 30 s for a
    166,664-line transfer), bulk_create on SQLite."""
    if connection.vendor == "postgresql":
        ids = sorted(amounts)
        block = (
            Block(len(ids))
            .int8(payment.pk)
            .int8(np.array(ids, dtype=np.int64))
            .numeric(np.array([exact.fen(amounts[i]) for i in ids], dtype=np.int64), 2)
        )
        io.copy_in(
            connection.connection,
            SubsidyPaymentLine._meta.db_table,
            ("payment_id", "contract_id", "amount"),
            [block],
        )
        return
    SubsidyPaymentLine.objects.bulk_create(
        [
            SubsidyPaymentLine(payment=payment, contract_id=cid, amount=amount)
            for cid, amount in amounts.items()
        ],
        batch_size=5000,
    )


@transaction.atomic(durable=True)
def subsidy_payment_record(
    *,
    actor,
    received_on: dt.date,
    payer: str,
    reference: str,
    lines: list[PaymentLine],
    source_name: str = "",
) -> SubsidyPayment:
    """Record the transfer and post each line as 贴息到账 against its contract's receivable."""
    errors: list[RowError] = []
    payer, reference = payer.strip(), reference.strip()
    if not payer:
        errors.append(RowError(0, "拨付单位", "请填写拨付单位。"))
    if not reference:
        errors.append(RowError(0, "拨款凭证号", "请填写拨款凭证号。"))
    elif SubsidyPayment.objects.filter(payer=payer, reference=reference).exists():
        errors.append(RowError(0, "拨款凭证号", f"凭证号“{reference}”已录入过，不能重复入账。"))
    if not lines:
        errors.append(RowError(0, "", "没有到账明细。"))
    numbers = [line.contract_no for line in lines]
    found: dict[str, int] = {}
    scope = Contract.objects.filter(record_scope_q(actor))
    for start in range(0, len(numbers), LOOKUP_CHUNK):  # bound parameters stay under the drivers' limits
        part = numbers[start : start + LOOKUP_CHUNK]
        found.update(scope.filter(contract_no__in=part).values_list("contract_no", "pk"))
    seen: dict[str, int] = {}
    for line in lines:
        if line.contract_no in seen:
            errors.append(
                RowError(
                    line.row_number,
                    CONTRACT_HEADER,
                    f"合同“{line.contract_no}”与第{seen[line.contract_no]}行重复。",
                )
            )
            continue
        seen[line.contract_no] = line.row_number
        if line.contract_no not in found:
            errors.append(
                RowError(
                    line.row_number,
                    CONTRACT_HEADER,
                    f"没有合同“{line.contract_no}”，或不在本机构管辖范围内。",
                )
            )
        if line.amount <= 0:
            errors.append(RowError(line.row_number, AMOUNT_HEADER, "到账贴息须大于零。"))
    if errors:
        raise SubsidyPaymentRejected(errors)
    amounts = {found[line.contract_no]: line.amount for line in lines}
    payment = SubsidyPayment.objects.create(
        received_on=received_on,
        payer=payer,
        reference=reference,
        total=sum(amounts.values()),
        lines=len(amounts),
        source_name=source_name[:200],
        recorded_by=actor,
    )
    try:
        subsidy_received_post(actor=actor, amounts=amounts, on=received_on, memo=f"贴息到账 {reference}")
    except SubsidyReceiptError as refused:
        rows = {found[line.contract_no]: line for line in lines}
        raise SubsidyPaymentRejected(
            [
                RowError(rows[cid].row_number, AMOUNT_HEADER, reason + "。")
                for cid, reason in sorted(refused.problems.items(), key=lambda kv: rows[kv[0]].row_number)
            ]
        ) from None
    _lines_write(payment, amounts)
    audit_record(
        actor=actor,
        action="funds.subsidy_payment_record",
        obj=payment,
        after={
            "payer": payer,
            "reference": reference,
            "total": payment.total,
            "lines": payment.lines,
            "received_on": received_on,
            "source": source_name,
        },
    )
    return payment
