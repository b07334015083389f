"""Each role's home page: its work queue (待办) and key numbers (ARCHITECTURE).

Every number comes from a scoped selector, so a county sees its own numbers only; every count is a
COUNT / GROUP BY in the database, so a page stays cheap at a million borrowers.
"""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from xuedai import businessdate
from xuedai.audit.models import AuditEntry
from xuedai.borrowers.selectors import borrower_scope
from xuedai.core.money import display_money
from xuedai.funds.selectors import dashboard_figures
from xuedai.funds.work import funds_work_items
from xuedai.orgs.models import Organisation, OrgKind, Role, User
from xuedai.orgs.scope import sees_everything
from xuedai.origination import selectors as contracts
from xuedai.origination.models import ENDED_STATES, LIVE_STATES, ApplicationState, BatchState, ContractState
from xuedai.origination.rules import academic_year_of
from xuedai.reports.quarter.work import quarter_work_items

PROVINCE_KINDS = {
    OrgKind.PROVINCE_CENTRE,
    OrgKind.PROVINCE_LOAN_OFFICE,
    OrgKind.BANK_BRANCH,
    OrgKind.BANK_HEAD,
}
# Contracts that count as this year's loans for a university: all but those that ended unpaid.
CURRENT_STATES = [state for state in ContractState if state not in ENDED_STATES]


@dataclass
class Number:
    label: str
    value: object
    url: str | None = None
    hint: str = ""


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list]


@dataclass
class Section:
    title: str
    numbers: list[Number] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    chart: dict | None = None  # {"id": ..., "labels": [...], "values": [...]} for ECharts


def _url(name: str, **query) -> str | None:
    try:
        url = reverse(name)
    except NoReverseMatch:
        return None
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


def _contracts(state: str) -> str | None:
    """The list behind a count of contracts in one state (合同查询)."""
    return _url("origination:contracts", state=state)


def _year_range(year: int) -> dict:
    return {"graduation_date__gte": dt.date(year, 1, 1), "graduation_date__lt": dt.date(year + 1, 1, 1)}


def _state_chart(counts: dict[str, int], chart_id: str) -> dict:
    """Bars for the states that hold contracts (an empty state would only crowd the axis)."""
    shown = {state: n for state, n in counts.items() if n}
    return {
        "id": chart_id,
        "labels": [ContractState(state).label for state in shown],
        "values": list(shown.values()),
    }


def _by_org_table(user: User, org_field: str, title: str, states: list[str], year: int | None) -> Table:
    rows: dict[str, dict[str, int]] = {}
    for row in contracts.contract_counts_by_org(user, org_field, states=states, academic_year=year):
        rows.setdefault(row["org"], {})[row["state"]] = row["n"]
    headers = ["机构", *[ContractState(s).label for s in states], "合计"]
    body = [[org, *[counts.get(s, 0) for s in states], sum(counts.values())] for org, counts in rows.items()]
    return Table(title, headers, body)


def _batches(user: User, state: str) -> int:
    return contracts.batch_scope(user).filter(state=state).count()


def county_operator(user: User, today: dt.date) -> Section:
    """The county's season (DOMAIN.md §3.1): applications → contracts → receipts → batch."""
    by_state = contracts.contract_counts_by_state(user)
    applications = contracts.application_scope(user).filter(state=ApplicationState.SUBMITTED).count()
    return Section(
        "县资助中心待办",
        numbers=[
            Number(
                "待转为合同的在线申请",
                applications,
                _url("origination:county") + "#applications",
                hint="学生已在线申请，待新增合同",
            ),
            Number(
                "待复核合同",
                by_state[ContractState.APPLIED],
                _contracts(ContractState.APPLIED),
                hint="已新增、待负责人复核",
            ),
            Number(
                "待回执合同",
                by_state[ContractState.SIGNED],
                _contracts(ContractState.SIGNED),
                hint="已签订，待高校录入电子回执",
            ),
            Number("已回执待汇总", by_state[ContractState.RECEIPTED], _contracts(ContractState.RECEIPTED)),
            Number("银行退回待修改", by_state[ContractState.RETURNED], _contracts(ContractState.RETURNED)),
            Number("审核中合同", by_state[ContractState.IN_REVIEW], _contracts(ContractState.IN_REVIEW)),
            Number(
                "逾期借款学生", contracts.overdue_borrowers_count(user), _url("borrowers:list", overdue=1)
            ),
            Number("借款学生", borrower_scope(user).count(), _url("borrowers:list")),
        ],
    )


def supervisor(user: User, today: dt.date) -> Section:
    """The checker's queue: what a maker at the same level has done and waits for them."""
    kind = user.organisation.kind if user.organisation else None
    if kind in PROVINCE_KINDS:
        return Section(
            "待我审核",
            numbers=[
                Number(
                    "待复核的县批次",
                    _batches(user, BatchState.PROVINCE_AUDITED),
                    _url("origination:batches", state=BatchState.PROVINCE_AUDITED),
                    hint="省经办人已审核",
                ),
                Number(
                    "审核中合同",
                    contracts.contract_counts_by_state(user)[ContractState.IN_REVIEW],
                    _contracts(ContractState.IN_REVIEW),
                ),
            ],
        )
    by_state = contracts.contract_counts_by_state(user)
    return Section(
        "待我审核",
        numbers=[
            Number(
                "待复核合同",
                by_state[ContractState.APPLIED],
                _contracts(ContractState.APPLIED),
                hint="经办人已新增、待负责人复核",
            ),
            Number(
                "待复核上报的批次",
                _batches(user, BatchState.SUMMARISED),
                _url("origination:batches", state=BatchState.SUMMARISED),
                hint="经办人已汇总",
            ),
            Number("银行退回待修改", by_state[ContractState.RETURNED], _contracts(ContractState.RETURNED)),
        ],
    )


def university_officer(user: User, today: dt.date) -> Section:
    year = academic_year_of(today)
    graduating = borrower_scope(user).filter(**_year_range(today.year)).count()
    return Section(
        "高校贷款工作",
        numbers=[
            Number(
                f"{year}学年有贷款的学生",
                contracts.borrowers_with_contracts_count(user, academic_year=year, states=CURRENT_STATES),
                _url("origination:contracts", year=year),  # their contracts of the year
            ),
            Number(
                f"{today.year}年毕业的借款学生",
                graduating,
                _url("borrowers:list", graduation_year=today.year),
                "毕业确认与还款确认书(4–6月)",
            ),
            Number(
                "逾期借款学生", contracts.overdue_borrowers_count(user), _url("borrowers:list", overdue=1)
            ),
        ],
    )


def department_staff(user: User, today: dt.date) -> Section:
    graduates = borrower_scope(user).filter(**_year_range(today.year)).count()
    overdue = contracts.overdue_borrowers_count(user)
    return Section(
        "本院系借款学生",
        numbers=[
            Number(
                f"{today.year}年毕业的借款学生",
                graduates,
                _url("borrowers:list", graduation_year=today.year),
                "包干到人，按季度联系",
            ),
            Number(
                "逾期借款学生", overdue, _url("borrowers:list", overdue=1), hint="每月记入逾期学生联系台账"
            ),
        ],
    )


def bank(user: User, today: dt.date) -> Section:
    """审查人: contracts waiting for review; 审批人: reviewed contracts waiting for approval."""
    states = [ContractState.IN_REVIEW, ContractState.BANK_CHECKED, ContractState.APPROVED]
    by_state = contracts.contract_counts_by_state(user)
    return Section(
        "银行审查审批",
        numbers=[
            Number(
                "待审查合同",
                by_state[ContractState.IN_REVIEW],
                _contracts(ContractState.IN_REVIEW),
                hint="审查人办理",
            ),
            Number(
                "已审查待审批合同",
                by_state[ContractState.BANK_CHECKED],
                _contracts(ContractState.BANK_CHECKED),
                hint="审批人办理",
            ),
            Number(
                "待审查审批的县批次",
                _batches(user, BatchState.PROVINCE_SUBMITTED),
                _url("origination:batches", state=BatchState.PROVINCE_SUBMITTED),
                hint="省已报分行",
            ),
            Number("已审批合同", by_state[ContractState.APPROVED], _contracts(ContractState.APPROVED)),
        ],
        tables=[_by_org_table(user, "county", "各县待审/已审批合同", states, None)],
        chart=_state_chart(by_state, "chart-bank-states"),
    )


def province(user: User, today: dt.date) -> Section:
    year = academic_year_of(today)
    states = [ContractState.APPLIED, ContractState.IN_REVIEW, ContractState.APPROVED, ContractState.DISBURSED]
    by_state = contracts.contract_counts_by_state(user, academic_year=year)
    return Section(
        f"全省{year}学年合同",
        numbers=[
            Number("合同总数", sum(by_state.values()), _url("origination:contracts", year=year)),
            Number(
                "待审核的县批次",
                _batches(user, BatchState.COUNTY_SUBMITTED),
                _url("origination:batches", state=BatchState.COUNTY_SUBMITTED),
                hint="县已上报",
            ),
            Number("审核中", by_state[ContractState.IN_REVIEW], _contracts(ContractState.IN_REVIEW)),
            Number(
                "逾期借款学生", contracts.overdue_borrowers_count(user), _url("borrowers:list", overdue=1)
            ),
        ],
        tables=[
            _by_org_table(user, "county", "按县统计", states, year),
            _by_org_table(user, "university", "按高校统计", states, year),
        ],
        chart=_state_chart(by_state, "chart-province-states"),
    )


def agent_bank(user: User, today: dt.date) -> Section:
    """An agent bank collects repayments for the counties it serves (DOMAIN.md §4 渠道)."""
    by_state = contracts.contract_counts_by_state(user)
    return Section(
        "代理行扣款",
        numbers=[
            Number(
                "还款中合同",
                by_state[ContractState.REPAYING] + by_state[ContractState.DISBURSED],
                _contracts(ContractState.DISBURSED),
            ),
            Number(
                "逾期合同",
                by_state[ContractState.OVERDUE],
                _contracts(ContractState.OVERDUE),
                hint="每月20日再次扣款(11月除外)",
            ),
            Number(
                "逾期借款学生", contracts.overdue_borrowers_count(user), _url("borrowers:list", overdue=1)
            ),
        ],
        tables=[_by_org_table(user, "county", "按县统计", sorted(LIVE_STATES), None)],
    )


def auditor(user: User, today: dt.date) -> Section:
    # Audit times are wall-clock, not business dates; a plain range on `at` uses its index.
    entries = AuditEntry.objects.filter(at__gte=timezone.now() - dt.timedelta(days=7))
    if not sees_everything(user):
        # The audit log has no org column: entries count by the acting user's organisation.
        path = user.organisation.path if user.organisation else "/none/"
        entries = entries.filter(actor__organisation__path__startswith=path)
    reveals = entries.filter(action="borrower_reveal_id_number").count()
    return Section(
        "审计",
        numbers=[
            Number("近7天审计日志", entries.count(), _url("audit:list")),
            Number("近7天查看完整身份证号", reveals, _url("audit:list", action="borrower_reveal_id_number")),
        ],
    )


def state_money(user: User, today: dt.date) -> Section:
    """财政资金 (DOMAIN.md §6): risk fund and subsidy figures for the roles that handle them."""
    f = dashboard_figures(user)
    last = f["last_settlement"]
    last_hint = (f"{last:%Y-%m-%d} 补偿 {display_money(f['last_cover'])}，"
                 f"奖励返还 {display_money(f['last_reward'])}") if last else "尚未结算"
    return Section("财政资金", numbers=[
        Number("风险补偿金余额", display_money(f["fund_balance"]), _url("funds:riskfund")),
        Number("待银行确认的补偿金申请", f["accruals_waiting"], _url("funds:riskfund"),
               f"合计 {display_money(f['accruals_waiting_total'])}"),
        Number("上次结算违约本息", display_money(f["last_defaulted"]), _url("funds:settlements"), last_hint),
        Number("应收贴息余额", display_money(f["subsidy_receivable"]), _url("funds:receivable"),
               "结息时记入、待财政拨付"),
    ])


def admin(user: User, today: dt.date) -> Section:
    orgs = Organisation.objects.all()
    users = User.objects.filter(is_active=True)
    if not sees_everything(user):
        path = user.organisation.path if user.organisation else "/none/"
        orgs = orgs.filter(path__startswith=path)
        users = users.filter(organisation__path__startswith=path)
    return Section(
        "系统管理",
        numbers=[
            Number("启用的用户", users.count(), _url("orgs:list")),
            Number("机构", orgs.count(), _url("orgs:list")),
        ],
    )


def staff_sections(user: User) -> list[Section]:
    """One section per role the user holds, most urgent work first."""
    today = businessdate.today()
    kind = user.organisation.kind if user.organisation else None
    sections = []
    if user.has_role(Role.OPERATOR) and kind == OrgKind.COUNTY_CENTRE:
        sections.append(county_operator(user, today))
    if user.has_role(Role.SUPERVISOR):
        sections.append(supervisor(user, today))
    if user.has_role(Role.UNIVERSITY_OFFICER):
        sections.append(university_officer(user, today))
    if user.has_role(Role.DEPARTMENT_STAFF):
        sections.append(department_staff(user, today))
    if user.has_role(Role.BANK_REVIEWER, Role.BANK_APPROVER):
        sections.append(bank(user, today))
    if kind in PROVINCE_KINDS and user.has_role(Role.OPERATOR, Role.SUPERVISOR):
        sections.append(province(user, today))
    if kind == OrgKind.AGENT_BANK:
        sections.append(agent_bank(user, today))
    if user.has_role(Role.AUDITOR):
        sections.append(auditor(user, today))
    money_roles = (Role.BANK_REVIEWER, Role.BANK_APPROVER, Role.UNIVERSITY_OFFICER, Role.AUDITOR,
                   Role.FINANCE)
    province_staff = kind in PROVINCE_KINDS and user.has_role(Role.OPERATOR, Role.SUPERVISOR)
    if items := funds_work_items(user, today):  # 贴息 and 风险补偿金 steps, each with its clock
        sections.append(Section("财政资金期限", numbers=[Number(**item) for item in items]))
    if user.has_role(*money_roles) or province_staff:
        sections.append(state_money(user, today))
    if user.has_role(Role.ADMIN) or user.is_superuser:
        sections.append(admin(user, today))
    if items := quarter_work_items(user, today):  # the quarter end's 认定表, with its clock
        sections.insert(0, Section("季末五级分类", numbers=[Number(**item) for item in items]))
    return sections


def student_summary(user: User) -> dict:
    """The student's own contracts (scope: owner) and what they owe, in one aggregate."""
    rows = list(contracts.contract_list(user)[:30])
    totals = (
        contracts.contract_scope(user)
        .filter(state__in=LIVE_STATES)
        .aggregate(outstanding=Sum("outstanding_principal"), live=Count("id"))
    )
    return {
        "contracts": rows,
        "outstanding": totals["outstanding"] or 0,
        "live": totals["live"],
        "borrower": getattr(user, "borrower", None),
    }
