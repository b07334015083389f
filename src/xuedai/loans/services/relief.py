"""Recording a relief notice (免息延期政策, DOMAIN.md §1): the programme itself; applying it to a
population is the relief batch (loans.batches.relief_batch)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from xuedai.audit.services import audit_record

from ..models import ReliefProgramme


@transaction.atomic(durable=True)
def relief_programme_create(*, actor, name: str, year: int, source: str = "", waive_interest: bool = True,
                            waive_penalty: bool = True, allow_deferral: bool = True) -> ReliefProgramme:
    name, source = (name or "").strip(), (source or "").strip()
    errors = {}
    if not name:
        errors["name"] = "名称：请填写政策名称，如“2024年国家助学贷款免息及本金延期偿还政策”。"
    if not 2000 <= int(year) <= 2100:
        errors["year"] = "适用年度：请填写四位年份。"
    if not (waive_interest or waive_penalty or allow_deferral):
        errors["waive_interest"] = "政策内容：至少选择一项（免除利息、免除罚息、允许本金延期）。"
    if errors:
        raise ValidationError(errors)
    programme = ReliefProgramme.objects.create(name=name[:120], year=year, source=source[:200],
                                               waive_interest=waive_interest, waive_penalty=waive_penalty,
                                               allow_deferral=allow_deferral)
    audit_record(actor=actor, action="loans.relief_programme_create", obj=programme,
                 after={"name": programme.name, "year": year, "waive_interest": waive_interest,
                        "waive_penalty": waive_penalty, "allow_deferral": allow_deferral})
    return programme
