"""Which menu entries each role sees. Apps add entries here as they gain pages.

An entry's roles narrow the menu to the people whose work it is; whether a link is shown at all is
the view's own rule (orgs.permissions.may_open), so a menu never offers a page that answers 403.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from xuedai.orgs.models import Role, User
from xuedai.orgs.permissions import may_open


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None  # None: every staff role
    group: str = ""  # entries of one group share a drop-down menu (one line at 1366 px for everyone)

    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


STAFF_MENU = [
    NavItem("首页", "home", None),
    NavItem("借款学生", "borrowers:list", None),
    NavItem("生源地贷款", "origination:home", None, group="贷款办理"),
    NavItem("校园地贷款", "origination:campus",
            frozenset({Role.UNIVERSITY_OFFICER, Role.DEPARTMENT_STAFF, Role.OPERATOR, Role.SUPERVISOR,
                       Role.BANK_REVIEWER, Role.BANK_APPROVER, Role.AUDITOR}), group="贷款办理"),
    NavItem("商业助学贷款", "origination:commercial",
            frozenset({Role.BANK_REVIEWER, Role.BANK_APPROVER, Role.AUDITOR}), group="贷款办理"),
    NavItem("档案管理", "origination:archives", frozenset({Role.OPERATOR, Role.SUPERVISOR}),
            group="贷款办理"),
    NavItem("贷后管理", "postloan:home",
            frozenset({Role.UNIVERSITY_OFFICER, Role.DEPARTMENT_STAFF, Role.OPERATOR}), group="贷后与资金"),
    # The county and its agent bank send the 扣款明细表 and import what comes back (DOMAIN.md §4).
    NavItem("扣款文件", "loans:deduction_runs",
            frozenset({Role.OPERATOR, Role.SUPERVISOR, Role.BANK_REVIEWER, Role.BANK_APPROVER,
                       Role.AUDITOR}), group="贷后与资金"),
    # The state's money (DOMAIN.md §6): province office, bank, universities, counties, auditors.
    NavItem("财政资金", "funds:riskfund",
            frozenset({Role.OPERATOR, Role.SUPERVISOR, Role.BANK_REVIEWER, Role.BANK_APPROVER,
                       Role.UNIVERSITY_OFFICER, Role.AUDITOR, Role.FINANCE}), group="贷后与资金"),
    NavItem("政策版本", "policies:list", None, group="系统"),
    NavItem("利率调整", "loans:repricing_list",
            frozenset({Role.OPERATOR, Role.SUPERVISOR, Role.BANK_REVIEWER, Role.BANK_APPROVER, Role.AUDITOR,
                       Role.ADMIN}), group="贷后与资金"),
    NavItem("机构", "orgs:list", frozenset({Role.ADMIN, Role.SUPERVISOR, Role.AUDITOR}), group="系统"),
    NavItem("季末分类", "quarter:home",
            frozenset({Role.UNIVERSITY_OFFICER, Role.OPERATOR, Role.SUPERVISOR, Role.BANK_REVIEWER,
                       Role.BANK_APPROVER, Role.AUDITOR, Role.ADMIN}), group="贷后与资金"),
    # Credit bureau, default lists, collection (DOMAIN.md §6 Default consequences, §5).
    NavItem("征信报送", "credit:bureau", frozenset({Role.BANK_REVIEWER, Role.BANK_APPROVER}),
            group="贷后与资金"),
    NavItem("违约名单", "credit:defaults",
            frozenset({Role.UNIVERSITY_OFFICER, Role.OPERATOR, Role.SUPERVISOR, Role.BANK_REVIEWER,
                       Role.BANK_APPROVER}), group="贷后与资金"),
    NavItem("催收记录", "credit:bank_collection", frozenset({Role.BANK_REVIEWER, Role.BANK_APPROVER}),
            group="贷后与资金"),
    NavItem("审计日志", "audit:list", frozenset({Role.AUDITOR, Role.ADMIN}), group="系统"),
    NavItem("批处理", "daily:batches", frozenset({Role.ADMIN}), group="系统"),
    NavItem("免息延期", "daily:relief_list", frozenset({Role.ADMIN}), group="系统"),
    NavItem("后台任务", "jobs:list", frozenset({Role.ADMIN, Role.OPERATOR, Role.SUPERVISOR}), group="系统"),
]
STUDENT_MENU = [
    NavItem("我的贷款", "home", None),
    NavItem("申请贷款", "origination:apply", None),
    NavItem("还款计划", "calculator:my_plan", None),
    NavItem("我的还款", "postloan:my_loans", None),
    NavItem("毕业确认", "postloan:my_confirmation", None),
]


def nav_items_for(user: User, current_path: str) -> list[dict]:
    menu = STUDENT_MENU if user.is_student else STAFF_MENU
    items = []
    for item in menu:
        if item.roles is not None and not (user.has_role(*item.roles) or user.is_superuser):
            continue
        url = item.url()
        if url is None or not may_open(user, url):
            continue
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active, "group": item.group})
    return items


def nav_menu(items: list[dict]) -> list[dict]:
    """The menu as shown: a link per ungrouped entry, a drop-down per group where it holds two or
    more of the user's entries (a group of one is just its link), in the order of first appearance."""
    menu: list[dict] = []
    groups: dict[str, dict] = {}
    for item in items:
        group = item["group"]
        if not group:
            menu.append(item)
        elif group in groups:
            groups[group]["children"].append(item)
        else:
            # "children", not "items": a template reading entry.items on a dict gets dict.items().
            groups[group] = {"label": group, "children": [item]}
            menu.append(groups[group])
    shown = []
    for entry in menu:
        if "children" in entry and len(entry["children"]) == 1:
            shown.append(entry["children"][0])
        elif "children" in entry:
            shown.append({**entry, "active": any(i["active"] for i in entry["children"])})
        else:
            shown.append(entry)
    return shown
