"""已结清凭证 [001 (三)] and 非恶意逾期证明 (DOMAIN.md §4 Settled contracts, §9).

The settlement certificate is printed from the system for a settled contract only and stamped by
the county (no bank stamp needed), so the PDF carries the county's stamp box. The 非恶意逾期证明 is
printed once county or university staff have approved the request; it names who approved it.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Max, Q, Sum

from xuedai.documents.amounts import amount_in_words, money
from xuedai.documents.context import cn_date
from xuedai.documents.pdf import render_pdf
from xuedai.identity.masking import mask_id_number
from xuedai.origination.models import Contract, ContractState

from ..models import OverdueCertificate, RequestStatus

SETTLEMENT_TITLE = "已结清凭证"
NON_MALICIOUS_TITLE = "非恶意逾期证明"


def _repaid(contract: Contract) -> dict:
    """Totals from the ledger (the truth): what was repaid, and the last payment day."""
    from xuedai.loans.models import PAY_KINDS, Kind, Posting

    rows = Posting.objects.filter(account_id=contract.pk, kind__in=PAY_KINDS, reverses__isnull=True)
    principal_kinds = (Kind.PAY_OVERDUE_PRINCIPAL, Kind.PAY_PRINCIPAL)
    figures = rows.aggregate(total=Sum("amount"), last=Max("business_date"),
                             principal=Sum("amount", filter=Q(kind__in=principal_kinds)))
    return {"total": figures["total"], "last": figures["last"], "principal": figures["principal"]}


def settlement_certificate_pdf(contract: Contract, today: dt.date) -> bytes:
    if contract.state != ContractState.SETTLED:
        raise ValidationError("合同尚未结清，不能打印已结清凭证")
    repaid = _repaid(contract)
    borrower = contract.borrower
    return render_pdf("postloan/print/settlement.html", {
        "title": SETTLEMENT_TITLE, "contract": contract, "borrower": borrower,
        "masked_id": mask_id_number(borrower.id_number), "amount": money(contract.amount),
        "amount_words": amount_in_words(contract.amount),
        "repaid_total": money(repaid["total"] or 0), "repaid_principal": money(repaid["principal"] or 0),
        "settled_on": cn_date(repaid["last"]) if repaid["last"] else "",
        "disbursed_on": cn_date(contract.disbursed_on),
        "county": getattr(contract.county, "name", "") or "县学生资助管理中心", "printed_on": cn_date(today),
    })


def non_malicious_certificate_pdf(certificate: OverdueCertificate, today: dt.date) -> bytes:
    if certificate.status != RequestStatus.APPROVED:
        raise ValidationError("申请尚未审核通过，不能打印证明")
    contract = certificate.contract
    borrower = contract.borrower
    approver = certificate.decided_by
    issuer = getattr(approver, "organisation", None) or contract.county
    return render_pdf("postloan/print/non_malicious.html", {
        "title": NON_MALICIOUS_TITLE, "certificate": certificate, "contract": contract, "borrower": borrower,
        "masked_id": mask_id_number(borrower.id_number), "issuer": getattr(issuer, "name", ""),
        "approver": getattr(approver, "real_name", "") or getattr(approver, "username", ""),
        "decided_on": cn_date(certificate.decided_at.date()) if certificate.decided_at else "",
        "printed_on": cn_date(today),
    })
