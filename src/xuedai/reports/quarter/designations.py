"""关注 and 损失 set by hand, with a reason [004 第七条 (二)(五)]; each one audited.

关注: repaying, but only after collection or other measures — needs collection, lost contact (失联),
repeated failed deductions. 损失: the borrower died, or cannot repay after recovery measures.

A designation applies at every later quarter end while it is not withdrawn (``snapshot`` step 4).
Made while the latest quarter's 认定表 of the contract's unit and project year is still open, it also
moves that quarter's grade now, as a :class:`GradeMove` naming who and why; once that table is
submitted, the quarter is locked and the designation counts from the next quarter end.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from xuedai import businessdate
from xuedai.audit.services import audit_record
from xuedai.core.classification import Grade
from xuedai.origination.models import Contract

from .lines import chunks, members
from .models import (
    GRADE_LABELS,
    LOCKED_STATUSES,
    LOSS_REASONS,
    SPECIAL_MENTION_REASONS,
    DesignationReason,
    GradeDesignation,
    GradeMove,
    MoveReason,
    QualityReport,
    QuarterGrade,
    QuarterNormalLine,
    QuarterSnapshot,
)

ALLOWED = {Grade.SPECIAL_MENTION.rank: SPECIAL_MENTION_REASONS, Grade.LOSS.rank: LOSS_REASONS}


class DesignationError(ValueError):
    """Bad input for a designation, in Chinese naming the field."""


def _line_of_contract(snapshot: QuarterSnapshot, contract_id: int) -> QuarterNormalLine | None:
    """The 正常 line (locked) holding the contract, if it has no row of its own in the snapshot."""
    contract = Contract.objects.filter(pk=contract_id).values("product", "county_id", "university_id",
                                                              "academic_year").first()
    if contract is None:
        return None
    first, second = (
        ("university_id", "county_id") if contract["product"] == "campus" else ("county_id", "university_id")
    )
    unit_id = contract[first] if contract[first] is not None else contract[second]
    line = (
        QuarterNormalLine.objects.select_for_update()
        .filter(snapshot=snapshot, unit_id=unit_id, project_year=contract["academic_year"])
        .first()
    )
    return line if line is not None and contract_id in dict(members(line)) else None


def _row_from_line(line: QuarterNormalLine, contract_id: int) -> QuarterGrade:
    """Take one contract out of its 正常 line into a row of its own (正常, as it was), so the open
    quarter can move it; the line's figures lose exactly that contract (``lines`` module doc)."""
    kept = members(line)
    balance = dict(kept)[contract_id]
    kept = [(c, b) for c, b in kept if c != contract_id]
    contract = Contract.objects.get(pk=contract_id)
    others: set[int] = set()
    for chunk in chunks([c for c, _ in kept]):
        others.update(Contract.objects.filter(pk__in=chunk).values_list("borrower_id", flat=True))
    line.member_ids = ",".join(str(c) for c, _ in kept)
    line.member_balances = ",".join(str(b) for _, b in kept)
    line.contracts, line.balance, line.borrowers = len(kept), line.balance - balance, len(others)
    in_line = contract.borrower_id in others
    if not in_line:  # the borrower's other rows no longer have a contract in the line
        QuarterGrade.objects.filter(
            snapshot_id=line.snapshot_id,
            unit_id=line.unit_id,
            project_year=line.project_year,
            borrower_id=contract.borrower_id,
        ).update(borrower_in_line=False)
    if kept:
        line.save(update_fields=["member_ids", "member_balances", "contracts", "balance", "borrowers"])
    else:
        line.delete()
    return QuarterGrade.objects.create(
        snapshot_id=line.snapshot_id,
        contract_id=contract_id,
        borrower_id=contract.borrower_id,
        product=contract.product,
        unit_id=line.unit_id,
        county_id=contract.county_id,
        university_id=contract.university_id,
        project_year=line.project_year,
        rule="",
        computed_rank=0,
        rank=0,
        principal_outstanding=balance,
        borrower_in_line=in_line,
    )


def _open_row(contract_id: int, *, from_line: bool = True) -> QuarterGrade | None:
    """The contract's row in the latest snapshot, when its unit's 认定表 there is not locked (a
    contract in a 正常 line gets a row of its own first: the designation moves it)."""
    snapshot = QuarterSnapshot.objects.order_by("-as_of").first()
    if snapshot is None:
        return None
    row = QuarterGrade.objects.select_for_update().filter(snapshot=snapshot, contract_id=contract_id).first()
    if row is None:
        line = _line_of_contract(snapshot, contract_id) if from_line else None
        if not from_line or line is None or _locked(snapshot, line.unit_id, line.project_year):
            return None
        return _row_from_line(line, contract_id)
    return None if _locked(snapshot, row.unit_id, row.project_year) else row


def _locked(snapshot: QuarterSnapshot, unit_id: int | None, project_year: int) -> bool:
    return QualityReport.objects.filter(
        snapshot=snapshot, unit_id=unit_id, project_year=project_year, status__in=LOCKED_STATUSES
    ).exists()


def _move(row: QuarterGrade, to_rank: int, reason: str, note: str, actor) -> GradeMove:
    move = GradeMove.objects.create(
        snapshot_id=row.snapshot_id,
        contract_id=row.contract_id,
        unit_id=row.unit_id,
        project_year=row.project_year,
        from_rank=row.rank,
        to_rank=to_rank,
        reason=reason,
        note=note[:300],
        actor=actor,
    )
    return move


@transaction.atomic(durable=True)
def grade_designate(*, actor, contract, rank: int, reason: str, note: str) -> tuple[GradeDesignation, bool]:
    """Record 关注 / 损失 for ``contract`` (already scope-checked by the caller); returns the
    designation and whether it moved the open quarter's grade."""
    return _designate(actor=actor, contract=contract, rank=rank, reason=reason, note=note)


def _designate(*, actor, contract, rank: int, reason: str, note: str) -> tuple[GradeDesignation, bool]:
    """grade_designate's work, inside the caller's transaction (a lost-contact flag's, below)."""
    if rank not in ALLOWED:
        raise DesignationError("认定分类：只能人工认定为“关注”或“损失”。")
    if reason not in ALLOWED[rank]:
        allowed = "、".join(DesignationReason(r).label for r in ALLOWED[rank])
        raise DesignationError(f"原因：认定为“{GRADE_LABELS[rank]}”的原因只能是{allowed}。")
    note = (note or "").strip()
    if not note:
        raise DesignationError("说明：请写明认定的依据（如催收记录、失联情况、死亡证明）。")
    designation = GradeDesignation.objects.create(
        contract_id=contract.pk,
        rank=rank,
        reason=reason,
        note=note[:300],
        designated_on=businessdate.today(),
        designated_by=actor,
    )
    row = _open_row(contract.pk)
    moved = row is not None and row.rank < rank
    if moved:
        assert row is not None
        _move(row, rank, MoveReason.DESIGNATED, f"{DesignationReason(reason).label}：{note}", actor)
        QuarterGrade.objects.filter(pk=row.pk).update(rank=rank, reason=reason)
    audit_record(
        actor=actor,
        action="reports.grade_designate",
        obj=designation,
        subject=contract,
        after={
            "grade": GRADE_LABELS[rank],
            "reason": DesignationReason(reason).label,
            "note": note,
            "moved_open_quarter": moved,
        },
    )
    return designation, moved


@transaction.atomic(durable=True)
def grade_designation_withdraw(*, actor, designation: GradeDesignation, note: str) -> bool:
    """Withdraw a designation from today; in the open quarter the grade goes back to the computed one
    when this designation was what set it (other designations still in force keep theirs)."""
    return _withdraw(actor=actor, designation=designation, note=note)


def _withdraw(*, actor, designation: GradeDesignation, note: str) -> bool:
    note = (note or "").strip()
    if not note:
        raise DesignationError("说明：请写明撤销认定的原因。")
    if designation.withdrawn_on is not None:
        raise DesignationError("该认定已撤销。")
    designation.withdrawn_on, designation.withdrawn_by = businessdate.today(), actor
    designation.save(update_fields=["withdrawn_on", "withdrawn_by"])
    row = _open_row(designation.contract_id, from_line=False)  # a line member has no designation to undo
    moved = False
    if row is not None and row.reason == designation.reason:
        others = (
            GradeDesignation.objects.filter(contract_id=designation.contract_id, withdrawn_on__isnull=True)
            .order_by("-rank", "-id")
            .first()
        )
        rank, reason = (
            (max(others.rank, row.computed_rank), others.reason) if others else (row.computed_rank, "")
        )
        if others and others.rank <= row.computed_rank:
            reason = ""
        if rank != row.rank:
            _move(row, rank, MoveReason.WITHDRAWN, note, actor)
            moved = True
        QuarterGrade.objects.filter(pk=row.pk).update(rank=rank, reason=reason)
    audit_record(
        actor=actor,
        action="reports.grade_designation_withdraw",
        obj=designation,
        after={"note": note, "moved_open_quarter": moved},
    )
    return moved


# 失联 from the contact register (postloan.services.contacts): a borrower nobody can reach is
# repaying, if at all, only "通过催收或采用其他措施" — 关注 [004 第七条 (二); issue 10 item 1]. The
# designation is per contract, the flag per borrower: each of the borrower's contracts that still owes
# gets one, inside the flag's transaction and through the same audit path as one set by hand.


def _owing_contracts(borrower_id: int):
    owes = (
        Q(account__principal_outstanding__gt=0)
        | Q(account__principal_due__gt=0)
        | Q(account__interest_due__gt=0)
        | Q(account__penalty_due__gt=0)
    )
    return Contract.objects.filter(borrower_id=borrower_id, account__isnull=False).filter(owes).order_by("pk")


def lost_contact_designate(*, actor, borrower_id: int, note: str) -> list[GradeDesignation]:
    """关注 for 失联 on each contract of the borrower that still owes and has no 失联 designation in
    force (a second 失联 contact adds none). Call inside a transaction."""
    contracts = list(_owing_contracts(borrower_id))
    already = set(
        GradeDesignation.objects.filter(
            contract_id__in=[c.pk for c in contracts],
            reason=DesignationReason.LOST_CONTACT,
            withdrawn_on__isnull=True,
        ).values_list("contract_id", flat=True)
    )
    return [
        _designate(
            actor=actor,
            contract=contract,
            rank=Grade.SPECIAL_MENTION.rank,
            reason=DesignationReason.LOST_CONTACT,
            note=note,
        )[0]
        for contract in contracts
        if contract.pk not in already
    ]


def lost_contact_withdraw(*, actor, borrower_id: int, note: str) -> int:
    """The borrower is found (reached again, or traced by the county): the 失联 designations in force
    on their contracts no longer hold and are withdrawn from today; another reason (needs collection,
    failed deductions) is a designation of its own and stays. Call inside a transaction."""
    designations = GradeDesignation.objects.filter(
        contract_id__in=Contract.objects.filter(borrower_id=borrower_id).values("pk"),
        reason=DesignationReason.LOST_CONTACT,
        withdrawn_on__isnull=True,
    ).order_by("pk")
    count = 0
    for designation in designations:
        _withdraw(actor=actor, designation=designation, note=note)
        count += 1
    return count
