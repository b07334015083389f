"""Who the parties of a fund's settlement are in the organisation tree ([003] 第二十七条): the
university (or the county, for a 生源地 fund) is the fund's own organisation; the province office
and the bank branch are its nearest ancestors of their kind (总行 → 分行 → 省中心 → 县 / 高校)."""

from __future__ import annotations

import datetime as dt

from xuedai.orgs.models import Organisation, OrgKind

from ..models import Party, ShareAccount
from .errors import FundsError

PROVINCE_OFFICE_KINDS = (OrgKind.PROVINCE_LOAN_OFFICE, OrgKind.PROVINCE_CENTRE)


def _ancestor_ids(path: str) -> list[int]:
    """Nearest first: "/1/2/7/" → [2, 1] for the organisation 7."""
    return [int(p) for p in path.strip("/").split("/")[:-1]][::-1]


def party_organisations(fund_org_ids: set[int]) -> dict[int, dict[str, int]]:
    """Per fund organisation: the organisation of each Party. Two queries."""
    funds = dict(Organisation.objects.filter(pk__in=fund_org_ids).values_list("pk", "path"))
    ancestors = {a for path in funds.values() for a in _ancestor_ids(path)}
    kinds = dict(Organisation.objects.filter(pk__in=ancestors).values_list("pk", "kind"))
    names = dict(Organisation.objects.filter(pk__in=fund_org_ids).values_list("pk", "name"))
    result = {}
    for org_id, path in funds.items():
        up = _ancestor_ids(path)
        bank = next((a for a in up if kinds.get(a) == OrgKind.BANK_BRANCH), None)
        office = next((a for a in up if kinds.get(a) in PROVINCE_OFFICE_KINDS), None)
        if bank is None or office is None:
            raise FundsError(f"{names[org_id]}没有上级省资助中心(省教贷办)或银行分行，无法记入分担账户")
        result[org_id] = {Party.UNIVERSITY: org_id, Party.SHORTFALL: org_id, Party.BANK: bank,
                          Party.PROVINCE: office}
    return result


def share_accounts_open(fund_org_ids: set[int], on: dt.date) -> dict[int, dict[str, int]]:
    """Per fund organisation: each Party's share account id, opening those that have none yet."""
    parties = party_organisations(fund_org_ids)
    wanted = {(org, party) for by_party in parties.values() for party, org in by_party.items()}
    orgs = {org for org, _ in wanted}
    mine = ShareAccount.objects.filter(organisation_id__in=orgs)
    existing = set(mine.values_list("organisation_id", "party"))
    ShareAccount.objects.bulk_create(
        [ShareAccount(organisation_id=o, party=p, opened_on=on) for o, p in sorted(wanted - existing)],
        ignore_conflicts=True,
    )
    ids = {(o, p): pk for pk, o, p in mine.values_list("pk", "organisation_id", "party")}
    return {fund: {party: ids[(org, party)] for party, org in by_party.items()}
            for fund, by_party in parties.items()}
