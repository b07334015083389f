"""A student's own servicing requests: early repayment (through loans' service) and the
非恶意逾期 certificate (DOMAIN.md §4 Early repayment, §9 "needing a certificate that an overdue was
not malicious"). Staff approve certificates; maker ≠ checker (ARCHITECTURE principle 3)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xuedai import businessdate
from xuedai.audit.services import audit_record
from xuedai.loans.models import Kind, LoanAccount
from xuedai.loans.services import early_repayment_apply
from xuedai.loans.services.servicing import ServicingError
from xuedai.orgs.models import Role
from xuedai.origination.models import Contract

from ..models import OverdueCertificate, RequestStatus
from .common import require

# County centre staff or the university's loan office may vouch that an overdue was not malicious.
CERTIFICATE_ROLES = (Role.OPERATOR, Role.SUPERVISOR, Role.UNIVERSITY_OFFICER)
OVERDUE_KINDS = (Kind.PENALTY, Kind.COMPOUND, Kind.PAY_OVERDUE_INTEREST, Kind.PAY_OVERDUE_PRINCIPAL)
MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
EVIDENCE_TYPES = (".pdf", ".jpg", ".jpeg", ".png")


def early_repayment_request(*, actor, account: LoanAccount, principal: Decimal | None = None,
                            on: dt.date | None = None):
    """The student's 提前还款申请; loans decides the deduction day and the window (DOMAIN.md §1)."""
    try:
        return early_repayment_apply(actor=actor, account=account, applied_on=on or businessdate.today(),
                                     principal=principal)
    except ServicingError as exc:
        raise ValidationError(str(exc)) from exc


def was_overdue(contract: Contract) -> bool:
    """Only a contract that has been overdue needs the certificate: the ledger holds a penalty or a
    payment of overdue amounts, or the contract is overdue now."""
    if contract.overdue_since is not None:
        return True
    return LoanAccount.objects.filter(pk=contract.pk, postings__kind__in=OVERDUE_KINDS).exists()


def check_evidence(upload) -> None:
    if upload is None:
        return
    name = upload.name.lower()
    if not name.endswith(EVIDENCE_TYPES):
        raise ValidationError("证明材料只接受 PDF、JPG 或 PNG 文件")
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError("证明材料不能超过 5 MB")


@transaction.atomic(durable=True)
def certificate_request(*, actor, contract: Contract, reason: str, evidence=None,
                        on: dt.date | None = None) -> OverdueCertificate:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError("请写明逾期原因（至少 5 个字），例如支付宝账户被冻结、扣款时系统故障")
    if not was_overdue(contract):
        raise ValidationError("该合同没有逾期记录，无需开具非恶意逾期证明")
    if contract.overdue_certificates.filter(status=RequestStatus.PENDING).exists():
        raise ValidationError("该合同已有一份待审核的申请，请等待审核结果")
    check_evidence(evidence)
    certificate = OverdueCertificate(contract=contract, reason=reason, applied_on=on or businessdate.today(),
                                     applied_by=actor)
    if evidence is not None:
        certificate.evidence.save(f"{contract.pk}.{evidence.name.rsplit('.', 1)[-1][:4].lower()}",
                                  evidence, save=False)
    certificate.save()
    audit_record(actor=actor, action="postloan.certificate_request", obj=certificate, subject=contract,
                 after={"reason": reason[:100], "evidence": bool(evidence)})
    return certificate


@transaction.atomic(durable=True)
def certificate_decide(*, actor, certificate: OverdueCertificate, approve: bool, note: str = "",
                       ) -> OverdueCertificate:
    require(actor, CERTIFICATE_ROLES, "只有县资助中心或高校贷款经办人可以审核非恶意逾期证明")
    certificate = OverdueCertificate.objects.select_for_update(of=("self",)).get(pk=certificate.pk)
    if certificate.status != RequestStatus.PENDING:
        raise ValidationError("该申请已审核")
    if certificate.applied_by_id == actor.pk:
        raise PermissionDenied("申请人不能审核自己的申请")
    if not approve and not note.strip():
        raise ValidationError("退回时请写明原因")
    before = certificate.status
    certificate.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    certificate.decided_by, certificate.decided_at = actor, timezone.now()
    certificate.decision_note = note.strip()[:200]
    certificate.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, action="postloan.certificate_decide", obj=certificate,
                 subject=certificate.contract, before={"status": before},
                 after={"status": certificate.status, "note": certificate.decision_note})
    return certificate
