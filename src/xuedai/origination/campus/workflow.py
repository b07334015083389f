"""The campus loan as a transition table (ARCHITECTURE principle 3; DOMAIN.md §3.2; [003 第十一–十五条]).

    create (申请审批表 entered by the loan office) → applied —dept_review→ in_notice (5-day 公示)
    in_notice —object / resolve (stays)— ; —office_review (notice over, no open objection)→ office_reviewed
    office_reviewed —office_send (学生审核信息表)→ office_sent —province_forward (≤3 working days)→ in_review
    in_review —bank_check→ bank_checked —bank_approve (≤5 working days; limit; quota)→ qualified (合格名册)
    qualified —sign (in person, one per year)→ approved —disburse→ disbursed
    in_review / bank_checked —bank_return→ returned —resubmit→ office_reviewed
    in_review / bank_checked —bank_refuse→ refused;  applied —dept_reject→ declined;
    in_notice / office_reviewed —office_decline→ declined

`MAKERS` names, for each checker row, the earlier actions whose actor may not take it (maker ≠ checker).
"""

from xuedai.orgs.models import Role

from ..models import ContractState as C
from ..workflow import BANK, BANK_ROLES, PROVINCE, UNIVERSITY, Transition, _t

OFFICER = {Role.UNIVERSITY_OFFICER}
DEPT = {Role.DEPARTMENT_STAFF}
UNI_STAFF = OFFICER | DEPT
PROVINCE_STAFF = {Role.OPERATOR, Role.SUPERVISOR}

CAMPUS_TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t("create", "录入申请审批表", [], C.APPLIED, UNI_STAFF, UNIVERSITY),
        # 第十二条: the department's initial review, then 5 days of public notice.
        _t(
            "dept_review", "院系初审通过并公示", [C.APPLIED], C.IN_NOTICE, UNI_STAFF, UNIVERSITY, checker=True
        ),
        _t("dept_reject", "院系初审不通过", [C.APPLIED], C.DECLINED, UNI_STAFF, UNIVERSITY, danger=True),
        _t("object", "登记公示异议", [C.IN_NOTICE], None, UNI_STAFF, UNIVERSITY),
        _t("resolve", "处理公示异议", [C.IN_NOTICE], None, UNI_STAFF, UNIVERSITY),
        # "公示期满、初审无误后" the loan office reviews, stamps and summarises [003 第十二、十三条].
        _t(
            "office_review",
            "高校审核盖章",
            [C.IN_NOTICE],
            C.OFFICE_REVIEWED,
            OFFICER,
            UNIVERSITY,
            checker=True,
        ),
        _t(
            "office_decline",
            "谢绝(公示异议成立或不符合条件)",
            [C.IN_NOTICE, C.OFFICE_REVIEWED],
            C.DECLINED,
            OFFICER,
            UNIVERSITY,
            danger=True,
        ),
        _t("office_send", "报送学生审核信息表", [C.OFFICE_REVIEWED], C.OFFICE_SENT, OFFICER, UNIVERSITY),
        # 第十四条: the province office reviews and forwards to the bank within 3 working days.
        _t(
            "province_forward",
            "省教贷办审查并转送银行",
            [C.OFFICE_SENT],
            C.IN_REVIEW,
            PROVINCE_STAFF,
            PROVINCE,
        ),
        # [002 (二)]: compliance, truth, completeness — then a different person approves.
        _t("bank_check", "银行审查(合规、真实、完整)", [C.IN_REVIEW], C.BANK_CHECKED, BANK_ROLES, BANK),
        _t(
            "bank_approve",
            "审批通过(列入审查合格名册)",
            [C.BANK_CHECKED],
            C.QUALIFIED,
            BANK_ROLES,
            BANK,
            checker=True,
        ),
        _t(
            "bank_return",
            "退回高校",
            [C.IN_REVIEW, C.BANK_CHECKED],
            C.RETURNED,
            BANK_ROLES,
            BANK,
            danger=True,
        ),
        _t(
            "bank_refuse", "不予贷款", [C.IN_REVIEW, C.BANK_CHECKED], C.REFUSED, BANK_ROLES, BANK, danger=True
        ),
        _t("resubmit", "修改后重新报送", [C.RETURNED], C.OFFICE_REVIEWED, OFFICER, UNIVERSITY),
        # 第十五条: "委托高校机构…与已批准的申贷学生签订借款合同" — in person, one per year [002 (三)].
        _t("sign", "当面签订借款合同", [C.QUALIFIED], C.APPROVED, OFFICER | BANK_ROLES, UNIVERSITY | BANK),
        # Fees by academic year to the university; living expenses monthly to the student [002].
        _t("disburse", "发放贷款", [C.APPROVED], C.DISBURSED, BANK_ROLES, BANK, via="ledger"),
    ]
}

MAKERS: dict[str, tuple[str, ...]] = {
    "dept_review": ("create",),
    "office_review": ("dept_review",),
    "bank_approve": ("bank_check",),
}

# Buttons on the contract page that need a form of their own (dates, amounts, objections).
OWN_FORM = {"create", "object", "resolve", "disburse"}
