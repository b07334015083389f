"""The commercial student loan as a transition table (ARCHITECTURE principle 3; DOMAIN.md §3.3; [002]).

    create (application: guarantee, credit-query consent) → applied —investigate (贷前调查报告)→ investigated
    investigated —bank_check (审查)→ bank_checked —bank_approve (审批; not the investigator nor the
    reviewer)→ qualified —sign→ approved —disburse (lump sum or first tranche)→ disbursed
    applied / investigated / bank_checked —bank_return→ returned —resubmit→ applied
    applied / investigated / bank_checked —bank_refuse→ refused

The bank runs the whole product alone; its branch staff are the makers and checkers.
"""

from xuedai.orgs.models import Role

from ..models import ContractState as C
from ..workflow import BANK, BANK_ROLES, Transition, _t

REVIEWER = {Role.BANK_REVIEWER}
APPROVER = {Role.BANK_APPROVER}
OPEN = [C.APPLIED, C.INVESTIGATED, C.BANK_CHECKED]

COMMERCIAL_TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t("create", "受理申请", [], C.APPLIED, BANK_ROLES, BANK),
        _t("investigate", "贷前调查报告", [C.APPLIED], C.INVESTIGATED, BANK_ROLES, BANK),
        _t("bank_check", "贷款审查", [C.INVESTIGATED], C.BANK_CHECKED, REVIEWER, BANK, checker=True),
        _t("bank_approve", "贷款审批", [C.BANK_CHECKED], C.QUALIFIED, APPROVER, BANK, checker=True),
        _t("bank_return", "退回补充材料", OPEN, C.RETURNED, BANK_ROLES, BANK, danger=True),
        _t("bank_refuse", "不予贷款", OPEN, C.REFUSED, BANK_ROLES, BANK, danger=True),
        _t("resubmit", "补充后重新受理", [C.RETURNED], C.APPLIED, BANK_ROLES, BANK),
        _t("sign", "签订借款合同", [C.QUALIFIED], C.APPROVED, BANK_ROLES, BANK),
        _t("disburse", "发放贷款", [C.APPROVED], C.DISBURSED, BANK_ROLES, BANK, via="ledger"),
    ]
}

# The investigator may not review; neither investigator nor reviewer may approve.
MAKERS: dict[str, tuple[str, ...]] = {
    "bank_check": ("investigate",),
    "bank_approve": ("investigate", "bank_check"),
}

OWN_FORM = {"create", "investigate", "disburse"}
