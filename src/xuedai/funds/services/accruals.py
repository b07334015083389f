"""风险补偿金 accrual: statistics and request (by end of October), the bank's confirmation that the
money arrived (by 20 Dec) — DOMAIN.md §6, seed [003] 资金管理办法 第二十二–二十四条.

The base is the 实际发放汇总表 (``selectors.disbursement_summary``): the academic year's
disbursements per fund organisation and policy version; each policy version brings its own rate and
finance/university split (14 %, 50/50 in the 2007 Jilin seed; 5 % in the 2021 notice), rounded once
per line by ``core.riskfund.accrual``.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from xuedai import businessdate
from xuedai.audit.services import audit_bulk
from xuedai.core.riskfund import accrual as accrual_amounts
from xuedai.policies.models import PolicyVersion

from ..models import Accrual, AccrualStatus, FundAccount, FundKind, FundPosting
from ..selectors import academic_year_span, disbursement_summary
from .errors import FundsError
from .ledger import fund_post


def fund_accounts_open(org_ids: set[int], on: dt.date) -> dict[int, FundAccount]:
    """The fund account of each organisation, opening those that have none yet."""
    existing = {a.organisation_id for a in FundAccount.objects.filter(organisation_id__in=org_ids)}
    FundAccount.objects.bulk_create(
        [FundAccount(organisation_id=o, opened_on=on) for o in sorted(org_ids - existing)],
        ignore_conflicts=True,
    )
    return {a.organisation_id: a for a in FundAccount.objects.filter(organisation_id__in=org_ids)}


@transaction.atomic(durable=True)
def accrual_request(*, actor, year: int, on: dt.date | None = None) -> list[Accrual]:
    """The academic year's accrual for every fund with disbursements (the province office's 申请书
    to finance and the universities). A fund and policy version already requested is left as it
    is; when nothing is new, the request is refused."""
    on = on or businessdate.today()
    if on <= academic_year_span(year)[1]:
        raise FundsError(f"{year - 1}—{year}学年尚未结束(截至{year}年8月31日)，不能统计风险补偿金")
    rows = disbursement_summary(None, year)
    accounts = fund_accounts_open({r.organisation_id for r in rows}, on)
    done = set(Accrual.objects.filter(academic_year=year).values_list("account_id", "policy_version_id"))
    versions = PolicyVersion.objects.in_bulk({r.policy_version_id for r in rows})
    new = []
    for r in rows:
        account = accounts[r.organisation_id]
        if (account.pk, r.policy_version_id) in done or r.total <= 0:
            continue
        pv = versions[r.policy_version_id]
        if pv.risk_fund_rate <= 0:
            continue  # no fund under this version (商业助学贷款)
        a = accrual_amounts(
            r.total, pv.risk_fund_rate, pv.risk_fund_finance_share, pv.risk_fund_university_share
        )
        new.append(
            Accrual(
                account=account,
                academic_year=year,
                policy_version=pv,
                contracts=r.contracts,
                disbursed=a.disbursed,
                rate=a.rate,
                total=a.total,
                finance=a.finance,
                university=a.university,
                requested_on=on,
                requested_by=actor,
            )
        )
    if not new:
        raise FundsError(f"{year - 1}—{year}学年没有需要新提出的风险补偿金申请")
    # Both databases return the new primary keys from a bulk INSERT (RETURNING).
    created = Accrual.objects.bulk_create(new)
    audit_bulk(
        actor=actor,
        action="funds.accrual_request",
        model=Accrual,
        ids=[a.pk for a in created],
        what=f"{year}学年风险补偿金申请 {len(created)} 条",
        after={"year": year, "total": str(sum(a.total for a in new))},
    )
    return created


@transaction.atomic(durable=True)
def accrual_confirm(*, actor, accruals: list[Accrual], on: dt.date | None = None) -> int:
    """The bank confirms the requested money arrived in the fund accounts (确认书): the finance and
    university parts are posted into each fund. Refused whole if any line is already confirmed."""
    on = on or businessdate.today()
    ids = sorted(a.pk for a in accruals)
    locked = list(Accrual.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if not locked:
        raise FundsError("请选择要确认的风险补偿金申请")
    confirmed = [a for a in locked if a.status != AccrualStatus.REQUESTED]
    if confirmed:
        raise FundsError(f"以下申请已确认，不能重复确认：{', '.join(str(a.pk) for a in confirmed)}")
    early = [a for a in locked if on < a.requested_on]
    if early:
        raise FundsError("确认日期不能早于申请日期")
    postings = []
    for a in locked:
        postings.append(
            FundPosting(
                account_id=a.account_id,
                business_date=on,
                kind=FundKind.ACCRUAL_FINANCE,
                amount=a.finance,
                accrual=a,
                memo=f"{a.academic_year}学年财政承担",
            )
        )
        postings.append(
            FundPosting(
                account_id=a.account_id,
                business_date=on,
                kind=FundKind.ACCRUAL_UNIVERSITY,
                amount=a.university,
                accrual=a,
                memo=f"{a.academic_year}学年高校承担",
            )
        )
    fund_post(postings)
    Accrual.objects.filter(pk__in=ids).update(
        status=AccrualStatus.CONFIRMED, confirmed_on=on, confirmed_by=actor
    )
    audit_bulk(
        actor=actor,
        action="funds.accrual_confirm",
        model=Accrual,
        ids=ids,
        what=f"确认风险补偿金到账 {len(ids)} 条",
        after={"on": on.isoformat(), "total": str(sum(a.total for a in locked))},
    )
    return len(ids)
