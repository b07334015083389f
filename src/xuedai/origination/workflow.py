"""The 生源地 workflow and the servicing moves as transition tables (ARCHITECTURE principle 3;
DOMAIN.md §3.1; [001 二, 三]).

A row says: this action, by these roles working at this kind of organisation, moves a record from
one of these states to that state. services.transitions applies a row (checks role, scope, maker ≠
checker, locks; writes the event and the audit row); nothing else changes a state. The pages read
the same rows to decide which buttons to show. The campus and commercial tables are in
origination.campus.workflow and origination.commercial.workflow; every product's table also holds
SERVICING_TRANSITIONS, the moves after disbursement.

    student application   submit → submitted —accept (新增合同)→ accepted;  submitted —cancel→ cancelled
    contract              create (新增合同 / 从学生新增) → applied —check→ signed —receipt→ receipted
                          —submit (in a batch)→ in_review —bank_check (审查人)→ bank_checked
                          —bank_approve (审批人, not the reviewer)→ approved —disburse→ disbursed
                          in_review / bank_checked —bank_return→ returned —resubmit→ in_review (a new batch)
                          in_review / bank_checked —bank_refuse→ refused (no new application this year)
                          signed —withdraw (no receipt by the deadline)→ withdrawn
                          applied / signed / receipted / returned —decline (谢绝)→ declined
    county batch          summarised —county_submit→ county_submitted —province_audit→ province_audited
                          —province_submit→ province_submitted —(every contract decided)→ bank_reviewed;
                          summarised —county_reject→ rejected; county_submitted / province_audited
                          —province_reject→ rejected (its contracts back to receipted)

    servicing (every product)
                          disbursed / repaying / overdue / settled follow the ledger's balances
                          (mark_repaying, mark_overdue, settle, mark_disbursed — the ledger applies
                          them after each posting, DOMAIN.md §4); overdue —write_off (核销)→ written_off;
                          approved / qualified —stop (停发, a confirmed status change)→ stopped
"""

from dataclasses import dataclass

from xuedai.orgs.models import OrgKind, Role

from .models import SERVICING_STATES
from .models import ApplicationState as A
from .models import BatchState as B
from .models import ContractState as C


class IllegalTransition(Exception):
    """An action that the table does not allow here; the message is Chinese, for the user."""


COUNTY = frozenset({OrgKind.COUNTY_CENTRE})
UNIVERSITY = frozenset({OrgKind.UNIVERSITY, OrgKind.DEPARTMENT})
PROVINCE = frozenset({OrgKind.PROVINCE_CENTRE})
BANK = frozenset({OrgKind.BANK_BRANCH, OrgKind.BANK_HEAD})
BANK_ROLES = frozenset({Role.BANK_REVIEWER, Role.BANK_APPROVER})


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]  # empty: the action creates the record
    target: str | None  # None: stays where it is (an edit, a comment)
    roles: frozenset[str]
    org_kinds: frozenset[str] | None  # None: the student's own record
    # The user who made the record (or the previous step) may not take this action.
    checker: bool = False
    # Allowed in a county year that is already locked (only on contracts the bank returned).
    when_locked: bool = False
    danger: bool = False  # shown as a red button with a confirmation
    # Who may apply the row, and through which entry point of services.transitions:
    #   "page"   — a person, one record (contract_transition); offered as a button;
    #   "batch"  — part of a batch of records (contracts_move: summarise, withdraw …);
    #   "ledger" — only the loans ledger, which posts the money with it (disburse, write-off);
    #   "system" — a consequence of another action, by whoever took it (the balances after a posting,
    #              停发 after a confirmed status change); never a button.
    via: str = "page"

    def target_of(self, state: str) -> str:
        return self.target or state


def _t(action, label, sources, target, roles, kinds, **kw) -> Transition:
    return Transition(action, label, frozenset(sources), target, frozenset(roles), kinds, **kw)


STUDENT = {Role.STUDENT}
OPERATOR = {Role.OPERATOR}
SUPERVISOR = {Role.SUPERVISOR}

APPLICATION_TRANSITIONS: dict[str, Transition] = {t.action: t for t in [
    _t("submit", "提交申请", [], A.SUBMITTED, STUDENT, None),
    _t("edit", "修改申请", [A.SUBMITTED], None, STUDENT, None),
    _t("cancel", "撤销申请", [A.SUBMITTED], A.CANCELLED, STUDENT, None, danger=True),
    # 新增合同 [001 附件三 三(一)1]: the operator reads the application into a contract.
    _t("accept", "新增合同", [A.SUBMITTED], A.ACCEPTED, OPERATOR, COUNTY),
]}

# A contract the bank has in hand: waiting for the reviewer, or reviewed and waiting for the approver.
BANK_OPEN = [C.IN_REVIEW, C.BANK_CHECKED]

HOME_COUNTY_TRANSITIONS: dict[str, Transition] = {t.action: t for t in [
    _t("create", "新增合同", [], C.APPLIED, OPERATOR, COUNTY),
    _t("edit", "修改合同", [C.APPLIED, C.RETURNED], None, OPERATOR, COUNTY, when_locked=True),
    # 负责人复核 [001 附件三 三(一)3]: the checker is not the maker.
    _t("check_approve", "复核通过(打印签订)", [C.APPLIED], C.SIGNED, SUPERVISOR, COUNTY, checker=True),
    _t("check_return", "复核退回修改", [C.APPLIED], None, SUPERVISOR, COUNTY, checker=True),
    # 电子回执 [001 二.3]: the university enters (and may correct) tuition, accommodation, arrears.
    _t("receipt", "录入回执", [C.SIGNED, C.RECEIPTED], C.RECEIPTED, {Role.UNIVERSITY_OFFICER},
       UNIVERSITY),
    # "在规定日期内县资助中心未收到电子合同回执，视同该学生撤销借款申请" [001 二.3].
    _t("withdraw", "未回执撤销", [C.SIGNED], C.WITHDRAWN, OPERATOR, COUNTY, danger=True, via="batch"),
    # 谢绝 ineligible or abandoned contracts before the summary [001 附件三 三(一)6], or a returned
    # one the county cannot fix ("抓紧完善或谢绝" [001 三]).
    _t("decline", "谢绝", [C.APPLIED, C.SIGNED, C.RECEIPTED, C.RETURNED], C.DECLINED, OPERATOR, COUNTY,
       when_locked=True, danger=True),
    _t("submit", "汇总并提交", [C.RECEIPTED], C.IN_REVIEW, OPERATOR, COUNTY, via="batch"),
    # A batch sent back before the bank saw it: its contracts wait for the next summary.
    _t("batch_reject", "批次退回", [C.IN_REVIEW], C.RECEIPTED, OPERATOR | SUPERVISOR, COUNTY | PROVINCE,
       via="batch"),
    # The bank's 审查 then 审批 [002 (二)]: the reviewer checks compliance, truth and completeness,
    # a different person — the approver — decides (maker ≠ checker, as for campus loans).
    _t("bank_check", "银行审查(合规、真实、完整)", [C.IN_REVIEW], C.BANK_CHECKED, {Role.BANK_REVIEWER}, BANK),
    _t("bank_approve", "审批通过", [C.BANK_CHECKED], C.APPROVED, {Role.BANK_APPROVER}, BANK, checker=True),
    _t("bank_return", "退回县资助中心", BANK_OPEN, C.RETURNED, BANK_ROLES, BANK, danger=True),
    _t("bank_refuse", "谢绝(本年度不再受理)", BANK_OPEN, C.REFUSED, BANK_ROLES, BANK, danger=True),
    _t("resubmit", "重新提交", [C.RETURNED], C.IN_REVIEW, OPERATOR, COUNTY, when_locked=True),
    # Tuition and accommodation to the university, the rest to the student [001 附件二 一(三)].
    _t("disburse", "发放贷款", [C.APPROVED], C.DISBURSED, BANK_ROLES, BANK, via="ledger"),
]}

# For each checker row, the earlier actions whose actor may not take it (maker ≠ checker); the
# contract's creator counts for "create" even where the creation event predates this table.
HOME_COUNTY_MAKERS: dict[str, tuple[str, ...]] = {
    "check_approve": ("create",),
    "check_return": ("create",),
    "bank_approve": ("bank_check",),
}

NOBODY: frozenset[str] = frozenset()


def _follow(action: str, label: str, target: str) -> Transition:
    """A move the ledger's balances imply (loans.services.ledger.contract_state_on), from any other
    servicing state: e.g. a reversal can reopen a settled contract as overdue."""
    return _t(action, label, [s for s in SERVICING_STATES if s != target], target, NOBODY, None, via="system")


# The servicing moves, common to every product's table (DOMAIN.md §4, §6).
SERVICING_TRANSITIONS: dict[str, Transition] = {t.action: t for t in [
    _follow("mark_repaying", "转为还款中", C.REPAYING),
    _follow("mark_overdue", "转为逾期", C.OVERDUE),
    _follow("settle", "结清", C.SETTLED),
    _follow("mark_disbursed", "恢复为已发放(贴息期)", C.DISBURSED),
    # 停发: approved money not yet paid out stops when a status change is confirmed (DOMAIN.md §4).
    _t("stop", "停发", [C.APPROVED, C.QUALIFIED], C.STOPPED, NOBODY, None, via="system"),
    # 核销 of a 损失 loan by the bank's approver (DOMAIN.md §6); the ledger checks the grade.
    _t("write_off", "核销", [C.OVERDUE], C.WRITTEN_OFF, {Role.BANK_APPROVER}, BANK, danger=True,
       checker=True, via="ledger"),
]}

BATCH_TRANSITIONS: dict[str, Transition] = {t.action: t for t in [
    _t("submit", "汇总并提交", [], B.SUMMARISED, OPERATOR, COUNTY),
    # 县负责人复核并上报 — locks the county's year [001 附件三 四.1].
    _t("county_submit", "复核并上报", [B.SUMMARISED], B.COUNTY_SUBMITTED, SUPERVISOR, COUNTY, checker=True),
    _t("province_audit", "省经办人审核", [B.COUNTY_SUBMITTED], B.PROVINCE_AUDITED, OPERATOR, PROVINCE),
    _t("province_submit", "省负责人复核并报分行", [B.PROVINCE_AUDITED], B.PROVINCE_SUBMITTED, SUPERVISOR,
       PROVINCE, checker=True),
    # Sent back before the bank: by the county supervisor instead of reporting it, or by the province.
    _t("county_reject", "退回经办人", [B.SUMMARISED], B.REJECTED, SUPERVISOR, COUNTY, checker=True,
       danger=True),
    _t("province_reject", "退回县资助中心", [B.COUNTY_SUBMITTED, B.PROVINCE_AUDITED], B.REJECTED,
       OPERATOR | SUPERVISOR, PROVINCE, danger=True),
    # The bank's review of a batch ends when no contract of it is still in review.
    _t("bank_close", "审查完毕", [B.PROVINCE_SUBMITTED], B.BANK_REVIEWED, BANK_ROLES, BANK),
]}



def transition_for(table: dict[str, Transition], action: str, state: str | None,
                   labels: dict[str, str]) -> Transition:
    """The row for `action` from `state`, or IllegalTransition naming both in Chinese."""
    row = table.get(action)
    if row is None:
        raise IllegalTransition(f"未知操作：{action}。")
    allowed = row.sources if state is not None else frozenset()
    if (state is None and row.sources) or (state is not None and state not in allowed):
        here = labels.get(state, state) if state else "新建"
        may = "、".join(labels.get(s, s) for s in sorted(row.sources)) or "新建"
        raise IllegalTransition(f"当前状态为「{here}」，不能执行「{row.label}」（仅限：{may}）。")
    return row


def actions_from(table: dict[str, Transition], state: str) -> list[Transition]:
    return [row for row in table.values() if state in row.sources]
