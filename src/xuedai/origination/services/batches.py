"""汇总并提交 and the reviews after it — DOMAIN.md §3.1 steps 4–6, [001 三, 附件三 三(一)6–7].

The county operator summarises the year's receipted contracts into a batch (its 借款申请汇总表
numbers the files); the county supervisor reports it (the year locks); the province audits and
reviews; the bank decides each contract: approve, return (退回: the county fixes it and resubmits
it in a further batch) or refuse (谢绝: no new application this year). Everything on a batch is
set-based: a 3,000-contract county is a few UPDATEs, not 3,000 saves.
"""

from django.db import transaction
from django.db.models import Count, Max, Sum

from xuedai import businessdate
from xuedai.orgs.models import Organisation, User
from xuedai.policies.products import Product

from .. import rules
from ..bulk import number_in_order
from ..models import BatchState, Contract, ContractEvent, ContractState, CountyBatch
from ..selectors import contract_scope
from ..workflow import BATCH_TRANSITIONS, HOME_COUNTY_TRANSITIONS, IllegalTransition
from .contracts import operator_county
from .transitions import (
    batch_create,
    batch_row,
    batch_transition,
    check_actor,
    contract_transition,
    contracts_move,
    effect,
)


def _new_batch(*, actor: User, county: Organisation, year: int) -> CountyBatch:
    last = CountyBatch.objects.filter(county=county, academic_year=year).aggregate(n=Max("sequence"))["n"]
    return batch_create(actor=actor, county=county, academic_year=year, sequence=(last or 0) + 1)


def _number(batch: CountyBatch) -> None:
    """Give the batch's unnumbered contracts their line numbers (档案序号) in contract-number order
    (one UPDATE with ROW_NUMBER()), and refresh the batch's totals."""
    start = (batch.contracts.aggregate(n=Max("archive_no"))["n"] or 0) + 1
    number_in_order(batch.pk, start)
    totals = batch.contracts.aggregate(total=Sum("amount"), n=Count("id"))
    batch.contract_count, batch.total_amount = totals["n"], totals["total"] or 0
    batch.save(update_fields=["contract_count", "total_amount"])


@transaction.atomic(durable=True)
def batch_submit(*, actor: User, academic_year: int | None = None) -> CountyBatch:
    """汇总并提交 the county's receipted contracts of the year into a new batch.

    Only once every receipt is in: contracts still waiting for the check or a receipt must first be
    received, withdrawn after the deadline, or declined [001 附件三 三(一)6].
    """
    county = operator_county(actor)
    check_actor(actor, BATCH_TRANSITIONS["submit"])
    year = academic_year or rules.academic_year_of(businessdate.today())
    if rules.year_locked(county, year):
        raise IllegalTransition(rules.locked_message(county, year))
    if CountyBatch.objects.filter(county=county, academic_year=year, state=BatchState.SUMMARISED).exists():
        raise IllegalTransition("已有一个待县负责人复核的批次，请等其复核上报或退回后再汇总。")
    mine = Contract.objects.filter(county=county, academic_year=year)
    waiting = mine.filter(state__in=[ContractState.APPLIED, ContractState.SIGNED]).count()
    if waiting:
        raise IllegalTransition(f"还有{waiting}份合同待复核或未回执：请待回执全部录入，"
                                "或撤销未回执、谢绝不符合条件的合同后再汇总（[001] 附件三 三(一)6）。")
    ids = list(mine.filter(state=ContractState.RECEIPTED).values_list("pk", flat=True))
    if not ids:
        raise IllegalTransition("没有待汇总的已回执合同。")
    batch = _new_batch(actor=actor, county=county, year=year)
    contracts_move(ids, action="submit", actor=actor, comment=f"汇总并提交（{batch}）", batch=batch,
                   archive_no=None)
    _number(batch)
    return batch


@effect(Product.HOME_COUNTY, "resubmit")
def _resubmit(*, actor, contract, **_) -> None:
    """A returned contract, fixed, goes to the county's open resubmission batch (or a new one),
    which is reported and reviewed again like the first ("再分批报分行重新审批" [001 二.6])."""
    batch = (CountyBatch.objects.select_for_update(of=("self",))
             .filter(county=contract.county, academic_year=contract.academic_year, sequence__gt=1,
                     state=BatchState.SUMMARISED).first())
    if batch is None:
        batch = _new_batch(actor=actor, county=contract.county, year=contract.academic_year)
    contract.batch = batch
    contract.archive_no = None


def contract_resubmit(*, actor: User, contract: Contract, comment: str = "") -> Contract:
    contract = contract_transition(actor=actor, contract=contract, action="resubmit", comment=comment)
    _number(contract.batch)
    contract.refresh_from_db(fields=["archive_no"])
    return contract


# ---- the bank ----------------------------------------------------------------------------------------

BANK_ACTIONS = ("bank_check", "bank_approve", "bank_return", "bank_refuse")
# Contracts of a batch the bank has not decided yet.
UNDECIDED = (ContractState.IN_REVIEW, ContractState.BANK_CHECKED)


def _bank_effect(action: str):
    @effect(Product.HOME_COUNTY, action)
    def run(*, contract, **_) -> None:
        if contract.batch is None or contract.batch.state != BatchState.PROVINCE_SUBMITTED:
            raise IllegalTransition("该合同所在批次尚未由省资助中心报送分行。")

    return run


for _action in BANK_ACTIONS:
    _bank_effect(_action)


def _close_if_done(actor: User, batch: CountyBatch) -> None:
    if not batch.contracts.filter(state__in=UNDECIDED).exists():
        batch_transition(actor=actor, batch=batch, action="bank_close", comment="全部合同审查审批完毕")


@transaction.atomic(durable=True)
def bank_decide(*, actor: User, contract: Contract, action: str, comment: str = "") -> Contract:
    """审查 / 审批通过 / 退回 / 谢绝 one contract of a batch; the batch closes when none is left undecided."""
    if action not in BANK_ACTIONS:
        raise IllegalTransition(f"未知操作：{action}。")
    contract = contract_transition(actor=actor, contract=contract, action=action, comment=comment)
    _close_if_done(actor, contract.batch)
    return contract


# The rest of a batch in one go: the reviewer reviews what is still in review, the approver approves
# what the reviewer passed — never contracts they reviewed themselves.
REST = {"bank_check": ContractState.IN_REVIEW, "bank_approve": ContractState.BANK_CHECKED}


@transaction.atomic(durable=True)
def bank_decide_rest(*, actor: User, batch: CountyBatch, action: str, comment: str = "") -> int:
    """银行审查 or 审批通过 every contract of the batch at that step (after returning or refusing some)."""
    if action not in REST:
        raise IllegalTransition(f"未知操作：{action}。")
    batch = CountyBatch.objects.select_for_update(of=("self",)).get(pk=batch.pk)
    row = HOME_COUNTY_TRANSITIONS[action]
    check_actor(actor, row)
    batch_row(actor, batch, "bank_close")  # scope and state (报送分行) of the batch
    ids = list(contract_scope(actor).filter(batch=batch, state=REST[action]).values_list("pk", flat=True))
    if row.checker and ContractEvent.objects.filter(contract_id__in=ids, action="bank_check",
                                                    actor=actor).exists():
        raise IllegalTransition(f"「{row.label}」须由另一人办理：其中有您本人审查的合同，"
                                "审查与审批不能是同一人（经办与复核分离）。")
    count = contracts_move(ids, action=action, actor=actor, comment=comment or f"批次{row.label}")
    _close_if_done(actor, batch)
    return count


__all__ = ["bank_decide", "bank_decide_rest", "batch_submit", "batch_transition", "contract_resubmit"]
