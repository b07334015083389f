"""The university's electronic receipt (电子回执) — DOMAIN.md §3.1 step 3, [001 二.3, 附件二 三(一)5].

The student reports with the contract and the 受理证明; the university enters tuition,
accommodation and arrears, one by one on the page or many at once from an .xlsx. An import is all
or nothing: every bad row is listed with its row number and nothing is written until all are good.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from xuedai import businessdate
from xuedai.documents.tables import TableError, limit_statements, table_rows
from xuedai.locks import lock_objects
from xuedai.orgs.models import User
from xuedai.policies.products import Product

from .. import rules
from ..bulk import update_from_values
from ..models import Contract, ContractState
from ..selectors import contract_scope
from ..workflow import HOME_COUNTY_TRANSITIONS, IllegalTransition
from .transitions import check_actor, contract_transition, contracts_move, effect

# The import's columns, in the order of the template the page offers (Chinese headers, DOMAIN.md §7).
COLUMNS = ["合同编号", "学生姓名", "学费", "住宿费", "往年欠费"]
RECEIPT_FIELDS = {"学费": "tuition", "住宿费": "accommodation", "往年欠费": "arrears"}


def _amounts(raw: dict) -> tuple[dict[str, Decimal], list[str]]:
    values, errors = {}, []
    for label, name in RECEIPT_FIELDS.items():
        value, problem = rules.money_or_error(raw.get(name, raw.get(label)), label,
                                              required=name != "arrears")
        if problem:
            errors.append(problem)
        else:
            values[name] = value
    return values, errors


def _deadline_error(contract: Contract, seasons: dict | None = None) -> str | None:
    """The county's receipt deadline; `seasons` caches the county-years an import has looked up."""
    key = (contract.county_id, contract.academic_year)
    if seasons is None or key not in seasons:
        season = rules.season_of(contract.county_id, contract.academic_year) if contract.county_id else None
        if seasons is None:
            return rules.receipt_deadline_error(season, businessdate.today())
        seasons[key] = season
    return rules.receipt_deadline_error(seasons[key], businessdate.today())


@effect(Product.HOME_COUNTY, "receipt")
def _receipt(*, actor, contract, tuition=None, accommodation=None, arrears=None, **_) -> None:
    values, errors = _amounts({"tuition": tuition, "accommodation": accommodation, "arrears": arrears})
    if problem := _deadline_error(contract):
        errors.append(problem)
    if errors:
        raise IllegalTransition(" ".join(errors))
    for name, value in values.items():
        setattr(contract, name, value)
    contract.receipted_on, contract.receipted_by = businessdate.today(), actor


def receipt_record(*, actor: User, contract: Contract, tuition, accommodation, arrears=0,
                   comment: str = "") -> Contract:
    """录入回执 for one contract (or correct it before the county summarises)."""
    return contract_transition(actor=actor, contract=contract, action="receipt",
                               comment=comment or "录入回执", tuition=tuition,
                               accommodation=accommodation, arrears=arrears)


@dataclass
class ImportResult:
    rows: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# A university enters a few thousand receipts a season; more rows than this is not a receipt file.
MAX_ROWS = 20_000


def read_rows(file) -> tuple[list[dict], list[str]]:
    """The file's rows as {header: value}, with the sheet's row numbers; file problems as errors.

    .xlsx or CSV (UTF-8 with or without BOM, UTF-16, GBK/GB18030), read by ``documents.tables``:
    size and row limits, broken files and bad encodings as Chinese errors, never an exception.
    Called inside the import's transaction, whose statements it bounds on PostgreSQL.
    """
    limit_statements(statement_s=60, lock_s=10)
    name = getattr(file, "name", None)
    out: list[dict] = []
    try:
        rows = table_rows(file, max_rows=MAX_ROWS + 1, name=name)
        first = next(rows, None)
        if first is None:
            return [], ["文件中没有任何内容（连表头也没有）。"]
        header_number, values = first
        header = [str(cell).strip() if cell is not None else "" for cell in values]
        missing = [column for column in COLUMNS if column not in header]
        if missing:
            return [], [f"第{header_number}行（表头）缺少列：{'、'.join(missing)}。"]
        for number, values in rows:
            row = {column: values[header.index(column)] if header.index(column) < len(values) else None
                   for column in COLUMNS}
            out.append({"_row": number, **row})
    except TableError as error:
        return [], [str(error)]
    return out, []


@transaction.atomic(durable=True)
def receipts_import(*, actor: User, file) -> ImportResult:
    """Import receipts from an .xlsx; all or nothing (see the module docstring)."""
    check_actor(actor, HOME_COUNTY_TRANSITIONS["receipt"])
    rows, errors = read_rows(file)
    if errors:
        return ImportResult(0, errors)
    if not rows:
        return ImportResult(0, ["文件中没有数据行。"])
    numbers = [str(row["合同编号"] or "").strip() for row in rows]
    # Locked in primary-key order (xuedai.locks): two imports touching the same contracts never deadlock.
    contracts = {c.contract_no: c for c in lock_objects(contract_scope(actor).filter(contract_no__in=numbers)
                                                        .select_related("borrower", "county"))}
    seen: dict[str, int] = {}
    seasons: dict = {}
    updates = []
    for row, number in zip(rows, numbers, strict=True):
        at = f"第{row['_row']}行"
        contract = contracts.get(number)
        if not number:
            errors.append(f"{at}：合同编号不能为空。")
            continue
        if contract is None:
            errors.append(f"{at}：合同编号 {number[:40]} 不存在或不是本校学生的合同。")
            continue
        if number in seen:
            errors.append(f"{at}：合同编号 {number} 与第{seen[number]}行重复。")
            continue
        seen[number] = row["_row"]
        name = str(row["学生姓名"] or "").strip()
        if name and name != contract.borrower.name:
            errors.append(f"{at}：学生姓名「{name[:20]}」与合同 {number} 不符。")
        if contract.state not in HOME_COUNTY_TRANSITIONS["receipt"].sources:
            errors.append(f"{at}：合同 {number} 的状态为「{contract.get_state_display()}」，不能录入回执。")
        if problem := _deadline_error(contract, seasons):
            errors.append(f"{at}：{problem}")
        values, problems = _amounts({label: row[label] for label in RECEIPT_FIELDS})
        errors += [f"{at}：{problem}" for problem in problems]
        updates.append((contract, values))
    if errors:
        return ImportResult(0, errors)
    _apply(actor, updates)
    return ImportResult(len(updates), [])


def _apply(actor: User, updates: list[tuple[Contract, dict]]) -> None:
    """Write the receipts set-based: an UPDATE … FROM (VALUES …) per 1,000 rows for the amounts,
    then the state move of them all through the transition table (one UPDATE, one INSERT of events)."""
    today = businessdate.today()
    update_from_values(
        [(c.pk, v["tuition"], v["accommodation"], v["arrears"], today, actor.pk) for c, v in updates],
        ["tuition", "accommodation", "arrears", "receipted_on", "receipted_by_id"],
        casts={"tuition": "numeric", "accommodation": "numeric", "arrears": "numeric", "receipted_on": "date",
               "receipted_by_id": "bigint"})
    contracts_move([c.pk for c, _ in updates], action="receipt", actor=actor, comment="回执导入")


def receipt_template_rows(actor: User) -> list[list]:
    """The university's contracts still waiting for a receipt, as rows of the import template."""
    qs = (contract_scope(actor).filter(state=ContractState.SIGNED).select_related("borrower")
          .order_by("contract_no"))
    return [[c.contract_no, c.borrower.name, None, None, None] for c in qs]
