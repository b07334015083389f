"""The bank's collection worklist (催收): overdue borrowers in the branch's scope with their last
contact; the contact itself is recorded on the post-loan borrower page, where bank roles record
contacts as department staff do (postloan.services.common.CONTACT_ROLES). One grouped query."""

from __future__ import annotations

from django.db.models import Max, Min, Sum

from xuedai.loans.models import LoanAccount
from xuedai.origination.selectors import contract_scope
from xuedai.postloan.models import ContactLog


def collection_worklist(user, *, limit: int = 200) -> list[dict]:
    rows = list(
        LoanAccount.objects.filter(contract__in=contract_scope(user), oldest_unpaid_due__isnull=False)
        .values(
            "contract__borrower_id",
            "contract__borrower__name",
            "contract__borrower__id_number",
            "contract__university__name",
        )
        .annotate(
            principal=Sum("principal_due"),
            interest=Sum("interest_due"),
            penalty=Sum("penalty_due"),
            since=Min("oldest_unpaid_due"),
        )
        .order_by("since", "contract__borrower_id")[:limit]
    )
    ids = [r["contract__borrower_id"] for r in rows]
    last = dict(
        ContactLog.objects.filter(borrower_id__in=ids)
        .values_list("borrower_id")
        .annotate(last=Max("contacted_on"))
    )
    return [
        {
            "borrower_id": r["contract__borrower_id"],
            "name": r["contract__borrower__name"],
            "id_number": r["contract__borrower__id_number"],
            "school": r["contract__university__name"] or "",
            "overdue": r["principal"] + r["interest"] + r["penalty"],
            "since": r["since"],
            "last_contact": last.get(r["contract__borrower_id"]),
        }
        for r in rows
    ]
