"""The county's season dates and the withdrawal batch after the receipt deadline.

"在规定日期内县资助中心未收到电子合同回执，视同该学生撤销借款申请" [001 二.3]: once the county's
回执接收截止日期 has passed, every contract of the year still waiting for a receipt is withdrawn in
one set-based batch. The run is a jobs.batch_run keyed by (kind, business date, county-year), so
running it twice on a day does nothing the second time.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xuedai import businessdate
from xuedai.audit.services import audit_record
from xuedai.jobs.runner import batch_run
from xuedai.orgs.models import Organisation, OrgKind, Role, User

from .. import rules
from ..models import Contract, ContractState, CountySeason
from ..workflow import IllegalTransition
from .transitions import contracts_move

WITHDRAW_JOB = "origination_withdraw_unreceived"


@transaction.atomic(durable=True)
def season_set(*, actor: User, academic_year: int, accept_from: dt.date | None,
               accept_until: dt.date | None, receipt_deadline: dt.date | None) -> CountySeason:
    """The county operator or supervisor sets the county's own dates [001 附件三 二(二)]."""
    org = actor.organisation
    if org is None or org.kind != OrgKind.COUNTY_CENTRE or not actor.has_role(Role.OPERATOR, Role.SUPERVISOR):
        raise IllegalTransition("只有县资助中心经办人或负责人可以设置受理日期。")
    if accept_from and accept_until and accept_until < accept_from:
        raise IllegalTransition("申请受理结束日期不能早于开始日期。")
    if accept_until and receipt_deadline and receipt_deadline < accept_until:
        raise IllegalTransition("回执接收截止日期不能早于申请受理结束日期。")
    season, _ = CountySeason.objects.update_or_create(
        county=org, academic_year=academic_year,
        defaults={"accept_from": accept_from, "accept_until": accept_until,
                  "receipt_deadline": receipt_deadline})
    audit_record(actor=actor, action="county_season_set", obj=season,
                 after={"accept_from": accept_from, "accept_until": accept_until,
                        "receipt_deadline": receipt_deadline})
    return season


def withdraw_unreceived(*, county: Organisation, academic_year: int, actor: User | None = None) -> int:
    """Withdraw the county-year's unreceived contracts if its deadline has passed; returns how many."""
    today = businessdate.today()
    season = rules.season_of(county, academic_year)
    if season is None or season.receipt_deadline is None or today <= season.receipt_deadline:
        raise IllegalTransition("回执接收截止日期未到（或未设置），不能撤销未回执的申请。")
    withdrawn = {"n": 0}

    def chunk(_checkpoint: dict) -> tuple[int, dict]:
        ids = list(Contract.objects.filter(county=county, academic_year=academic_year,
                                           state=ContractState.SIGNED).values_list("pk", flat=True))
        withdrawn["n"] = contracts_move(
            ids, action="withdraw", actor=actor,
            comment=f"回执接收截止日期({season.receipt_deadline:%Y-%m-%d})前未收到电子回执，视同撤销申请")
        CountySeason.objects.filter(pk=season.pk).update(withdrawn_at=timezone.now())
        return len(ids), {"withdrawn": len(ids)}

    run = batch_run(kind=WITHDRAW_JOB, business_date=today, scope_key=f"county:{county.pk}:{academic_year}",
                    total=1, chunks=[chunk], actor=actor)
    return withdrawn["n"] if withdrawn["n"] else int(run.checkpoint.get("withdrawn", 0))


def withdraw_all_due(*, on: dt.date | None = None) -> dict[int, int]:
    """For a nightly run: every county whose deadline has passed and has unreceived contracts."""
    today = on or businessdate.today()
    due = CountySeason.objects.filter(receipt_deadline__lt=today).select_related("county")
    out = {}
    for season in due:
        if Contract.objects.filter(county=season.county, academic_year=season.academic_year,
                                   state=ContractState.SIGNED).exists():
            out[season.county_id] = withdraw_unreceived(county=season.county,
                                                        academic_year=season.academic_year)
    return out
