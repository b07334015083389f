"""Who does what with the state's money (DOMAIN.md §2, §6; seed [003] 资金管理办法 第三条): the
province office requests accruals and records the finance department's subsidy transfers; the bank
confirms the money and runs the 20 Dec settlement; universities and counties read their own fund;
auditors and the finance department (财政部门, Role.FINANCE) read everything in their scope and
write nothing. The finance department's transfers are recorded by the province office, not by
finance itself: [003] 资金管理办法 第二十一、二十三条 have the province office collect the subsidy
and the fund money (由省教贷办归集) and pay it to the bank in one transfer."""

from xuedai.orgs.models import OrgKind, Role, User
from xuedai.orgs.permissions import allowed_if, roles_required

PROVINCE_KINDS = {OrgKind.PROVINCE_CENTRE, OrgKind.PROVINCE_LOAN_OFFICE}
BANK_KINDS = {OrgKind.BANK_BRANCH, OrgKind.BANK_HEAD}
READERS = (
    Role.OPERATOR,
    Role.SUPERVISOR,
    Role.BANK_REVIEWER,
    Role.BANK_APPROVER,
    Role.UNIVERSITY_OFFICER,
    Role.AUDITOR,
    Role.FINANCE,
    Role.ADMIN,
)


def _kind(user: User) -> str:
    return user.organisation.kind if user.organisation_id else ""


def is_province_office(user: User) -> bool:
    return user.is_superuser or (
        _kind(user) in PROVINCE_KINDS and user.has_role(Role.OPERATOR, Role.SUPERVISOR)
    )


def is_bank(user: User) -> bool:
    return user.is_superuser or (
        _kind(user) in BANK_KINDS and user.has_role(Role.BANK_REVIEWER, Role.BANK_APPROVER)
    )


fund_readers = roles_required(*READERS)
province_office_only = allowed_if(is_province_office, "只有省资助中心(省教贷办)经办人或负责人可以办理。")
bank_only = allowed_if(is_bank, "只有贷款银行审查人或审批人可以办理。")
