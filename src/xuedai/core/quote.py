"""``quote()``: one contract's settlements and state from a plain request (the ``xuedai quote`` API).

The request and response are JSON-shaped dicts; amounts are decimal strings with two decimals,
dates are ISO ``YYYY-MM-DD``. Bad input raises :class:`QuoteError` naming the field, in Chinese.

Request fields (DOMAIN.md §4 for the rules behind each):

- ``annual_rate`` (required, decimal string such as ``"0.0565"``),
- ``basis``: ``"pboc"`` (default) or ``"actual_360"``,
- ``principal``, ``disbursed_on``, ``maturity``, ``as_of`` (required),
- ``self_pay_from``: the first day the borrower pays interest; absent (or null) while subsidised,
- ``settlement_day``: ``"MM-DD"``, default ``"12-20"``,
- ``principal_plan``: a list of ``{due, amount}``; default: equal whole-yuan instalments on each
  settlement date from ``principal_from`` (or, without it, the first settlement after
  ``self_pay_from``; with neither, all principal falls due at maturity),
- ``payments``: a list of ``{on, amount}``; payments after ``as_of`` are ignored; what exceeds the
  amount owed waits as credit and pays the next amounts as they fall due,
- ``penalty_multiplier``: default ``"1.3"``,
- ``rate_changes``: the contract's rate schedule after the signing ``annual_rate``, a list of
  ``{"from": "YYYY-MM-DD", "annual_rate": "0.0285"}`` — the rate in force from that day on; dates
  strictly ascending and after ``disbursed_on`` (a rate change breaks the stretch, DOMAIN.md §4;
  the penalty rate follows the rate in force). The answer then lists ``rate_periods``,
- ``misuse_from``: the day misuse of funds (挪用) was flagged; penalty and compound interest from
  then on use 150 % of the rate instead of ``penalty_multiplier`` (DOMAIN.md §1).

Unknown fields are refused, so that a misspelt field cannot silently change a quote.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from xuedai.core.daycount import BASES, Basis, MonthDay
from xuedai.core.engine import simulate
from xuedai.core.money import MoneyError, format_money, shown, to_decimal, to_money
from xuedai.core.overdue import DEFAULT_PENALTY_MULTIPLIER
from xuedai.core.rates import RateChange, rate_periods
from xuedai.core.schedule import (
    DEFAULT_SETTLEMENT_DAY,
    Instalment,
    PlanError,
    default_principal_plan,
    first_settlement_after,
    settlement_dates,
    validate_plan,
)
from xuedai.core.subsidy import Period
from xuedai.core.terms import LoanTerms, Payment

FIELDS = (
    "annual_rate",
    "basis",
    "principal",
    "disbursed_on",
    "self_pay_from",
    "maturity",
    "settlement_day",
    "principal_plan",
    "principal_from",
    "payments",
    "penalty_multiplier",
    "rate_changes",
    "misuse_from",
    "as_of",
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Dates outside these years are typing mistakes, and year 9999 would overflow the calendar walk.
FIRST_YEAR, LAST_YEAR = 1949, 2199
MAX_TERM_YEARS = 60  # policy allows ≤ 22 years; anything far beyond is a mistake, not a loan
MAX_PENALTY_MULTIPLIER = Decimal(10)
# A plan has one instalment a year and a borrower pays at most monthly: 60 years of months is 720.
MAX_ENTRIES = 1000


class QuoteError(ValueError):
    """A request ``quote()`` cannot answer: ``message_zh`` for the user, ``field`` the culprit."""

    def __init__(self, message_zh: str, field: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.field = field

    def as_dict(self) -> dict[str, str]:
        return {"error": self.message_zh, "field": self.field}


# -- reading the request ----------------------------------------------------------------------------


def _field_name(key: object) -> str:
    """A field name as the request spelt it, made safe to echo: at most 40 characters, and any
    character JSON output could not carry (a lone surrogate such as "\\ud800") escaped."""
    name = str(key)[:40]
    return name.encode("utf-8", "backslashreplace").decode("utf-8")


def _get(request: Mapping[str, Any], field: str, *, required: bool) -> Any:
    value = request.get(field)
    if value is None and required:
        raise QuoteError(f"缺少必填字段 {field}", field)
    return value


def _date(value: Any, field: str) -> date:
    if isinstance(value, date) and not hasattr(value, "hour"):
        day = value
    elif not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
        raise QuoteError(f"{field} 应为 YYYY-MM-DD 格式的日期：{shown(value)}", field)
    else:
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise QuoteError(f"{field} 不是存在的日期：{shown(value)}", field) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise QuoteError(f"{field} 超出支持的年份范围（{FIRST_YEAR}–{LAST_YEAR}）：{shown(value)}", field)
    return day


def _money(value: Any, field: str) -> Decimal:
    try:
        amount = to_money(value, what=field)
    except MoneyError as error:
        raise QuoteError(error.message_zh, field) from None
    if amount <= 0:
        raise QuoteError(f"{field} 必须大于 0：{shown(value)}", field)
    return amount


def _decimal(value: Any, field: str) -> Decimal:
    try:
        return to_decimal(value, what=field)
    except MoneyError as error:
        raise QuoteError(error.message_zh, field) from None


def _list_of_dicts(value: Any, field: str, keys: tuple[str, str]) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        raise QuoteError(f"{field} 应为列表，每项形如 {{{keys[0]}, {keys[1]}}}", field)
    if len(value) > MAX_ENTRIES:
        raise QuoteError(f"{field} 最多 {MAX_ENTRIES} 项，收到 {len(value)} 项", field)
    for index, entry in enumerate(value):
        if not isinstance(entry, Mapping):
            raise QuoteError(f"{field}[{index}] 应为对象，形如 {{{keys[0]}, {keys[1]}}}", f"{field}[{index}]")
        for key in entry:
            if key not in keys:
                name = _field_name(key)
                raise QuoteError(f"{field}[{index}] 含未知字段 {name}", f"{field}[{index}].{name}")
        for key in keys:
            if entry.get(key) is None:
                raise QuoteError(f"{field}[{index}] 缺少 {key}", f"{field}[{index}].{key}")
    return value


def _terms(request: Mapping[str, Any]) -> tuple[LoanTerms, date]:
    """Read and check every field; return the contract terms and the as-of date."""
    if not isinstance(request, Mapping):
        raise QuoteError("请求应为 JSON 对象", "request")
    for key in request:
        if key not in FIELDS:
            name = _field_name(key)
            raise QuoteError(f"未知字段 {name}（可用字段：{', '.join(FIELDS)}）", name)

    rate = _rate(_get(request, "annual_rate", required=True), "annual_rate")

    basis_value = request.get("basis", "pboc")
    if basis_value not in BASES:
        raise QuoteError(f"basis 只能是 {' 或 '.join(BASES)}：{shown(basis_value)}", "basis")
    basis: Basis = basis_value

    principal = _money(_get(request, "principal", required=True), "principal")
    disbursed_on = _date(_get(request, "disbursed_on", required=True), "disbursed_on")
    maturity = _date(_get(request, "maturity", required=True), "maturity")
    if maturity <= disbursed_on:
        raise QuoteError("maturity（到期日）必须晚于 disbursed_on（放款日）", "maturity")
    if maturity.year - disbursed_on.year > MAX_TERM_YEARS:
        raise QuoteError(f"maturity（到期日）距放款日超过 {MAX_TERM_YEARS} 年", "maturity")
    as_of = _date(_get(request, "as_of", required=True), "as_of")
    if as_of < disbursed_on:
        raise QuoteError("as_of（查询日）不能早于 disbursed_on（放款日）", "as_of")

    raw_self_pay = request.get("self_pay_from")
    self_pay_from = None if raw_self_pay is None else _date(raw_self_pay, "self_pay_from")

    month_day = DEFAULT_SETTLEMENT_DAY
    if request.get("settlement_day") is not None:
        raw_day = request["settlement_day"]
        if not isinstance(raw_day, str):
            raise QuoteError("settlement_day 应写成 MM-DD（如 12-20）", "settlement_day")
        try:
            month_day = MonthDay.parse(raw_day)
        except ValueError as error:
            raise QuoteError(f"settlement_day：{error}", "settlement_day") from None
    dates = settlement_dates(disbursed_on, maturity, month_day)

    principal_from = None
    if request.get("principal_from") is not None:
        principal_from = _date(request["principal_from"], "principal_from")
        if not disbursed_on < principal_from <= maturity:
            raise QuoteError("principal_from（首次还本日）应晚于放款日且不晚于到期日", "principal_from")

    plan = _plan(request, principal, dates, principal_from, self_pay_from)

    multiplier = DEFAULT_PENALTY_MULTIPLIER
    if request.get("penalty_multiplier") is not None:
        multiplier = _decimal(request["penalty_multiplier"], "penalty_multiplier")
        if not 1 <= multiplier <= MAX_PENALTY_MULTIPLIER:
            raise QuoteError(
                "penalty_multiplier（罚息倍数）应在 1 到 10 之间（如 1.3、1.5）", "penalty_multiplier"
            )

    rate_changes = _rate_changes(request, disbursed_on)
    misuse_from = None
    if request.get("misuse_from") is not None:
        misuse_from = _date(request["misuse_from"], "misuse_from")
        if misuse_from <= disbursed_on:
            raise QuoteError("misuse_from（认定挪用日期）应晚于 disbursed_on（放款日）", "misuse_from")

    terms = LoanTerms(
        principal=principal,
        disbursed_on=disbursed_on,
        annual_rate=rate,
        maturity=maturity,
        basis=basis,
        borrower_periods=() if self_pay_from is None else (Period(self_pay_from),),
        settlement_day=month_day,
        principal_plan=tuple(plan),
        penalty_multiplier=multiplier,
        rate_changes=rate_changes,
        misuse_from=misuse_from,
    )
    return terms, as_of


def _rate(value: Any, field: str) -> Decimal:
    rate = _decimal(value, field)
    if rate < 0:
        raise QuoteError(f"{field}（年利率）不能为负", field)
    if rate >= 1:
        raise QuoteError(f"{field}（年利率）应写成小数（如 0.0565 表示 5.65%）", field)
    return rate


def _rate_changes(request: Mapping[str, Any], disbursed_on: date) -> tuple[RateChange, ...]:
    """``rate_changes``: each ``{from, annual_rate}`` checked, dates strictly ascending after
    disbursement (a change on the disbursement day would be the signing rate itself)."""
    if request.get("rate_changes") is None:
        return ()
    entries = _list_of_dicts(request["rate_changes"], "rate_changes", ("from", "annual_rate"))
    changes: list[RateChange] = []
    for index, entry in enumerate(entries):
        where = f"rate_changes[{index}]"
        on = _date(entry["from"], f"{where}.from")
        if on <= disbursed_on:
            raise QuoteError(f"{where}.from（利率调整生效日）应晚于 disbursed_on（放款日）", f"{where}.from")
        if changes and on <= changes[-1].effective_from:
            raise QuoteError(f"{where}.from（利率调整生效日）应晚于上一项，按日期升序排列", f"{where}.from")
        changes.append(RateChange(on, _rate(entry["annual_rate"], f"{where}.annual_rate")))
    return tuple(changes)


def _plan(
    request: Mapping[str, Any],
    principal: Decimal,
    dates: list[date],
    principal_from: date | None,
    self_pay_from: date | None,
) -> list[Instalment]:
    if request.get("principal_plan") is not None:
        entries = _list_of_dicts(request["principal_plan"], "principal_plan", ("due", "amount"))
        chosen = [
            Instalment(
                _date(e["due"], f"principal_plan[{i}].due"),
                _money(e["amount"], f"principal_plan[{i}].amount"),
            )
            for i, e in enumerate(entries)
        ]
        try:
            return validate_plan(chosen, principal, dates, principal_from)
        except PlanError as error:
            field = "principal_plan" if error.index is None else f"principal_plan[{error.index}].{error.part}"
            raise QuoteError(error.message_zh, field) from None
    first_due = principal_from
    if first_due is None and self_pay_from is not None:
        first_due = first_settlement_after(self_pay_from, dates)
    if first_due is None:
        return []  # still studying and no plan: everything falls due at maturity
    return default_principal_plan(principal, first_due, dates)


def _payments(request: Mapping[str, Any], disbursed_on: date) -> list[Payment]:
    if request.get("payments") is None:
        return []
    entries = _list_of_dicts(request["payments"], "payments", ("on", "amount"))
    payments = []
    for index, entry in enumerate(entries):
        on = _date(entry["on"], f"payments[{index}].on")
        if on < disbursed_on:
            raise QuoteError(f"payments[{index}] 的还款日早于放款日", f"payments[{index}].on")
        payments.append(Payment(on, _money(entry["amount"], f"payments[{index}].amount")))
    return payments


# -- the answer -------------------------------------------------------------------------------------


def quote(request: Mapping[str, Any]) -> dict[str, Any]:
    """Settlements up to ``as_of`` and the contract's state on ``as_of`` (see the module docstring).

    Worked example (DOMAIN.md §4, published): 6000 yuan at 5.65%, disbursed 2018-09-01, self-pay
    from 2019-09-01, maturity 2024-12-20, principal from 2021-12-20 → the 2019-12-20 settlement is
    ``{"subsidy_interest": "240.13", "borrower_interest": "103.58", "principal_due": "0.00"}``.
    """
    terms, as_of = _terms(request)
    payments = _payments(request, terms.disbursed_on)
    result = simulate(terms, as_of, payments)
    state = result.state
    answer: dict[str, Any] = {
        "settlements": [
            {
                "date": row.on.isoformat(),
                "subsidy_interest": format_money(row.subsidy_interest),
                "borrower_interest": format_money(row.borrower_interest),
                "principal_due": format_money(row.principal_due),
            }
            for row in result.settlements
        ],
        "as_of": {
            "outstanding_principal": format_money(state.outstanding_principal),
            "overdue_principal": format_money(state.overdue_principal),
            "overdue_interest": format_money(state.overdue_interest),
            "penalty_interest": format_money(state.penalty_interest),
            "overdue_days": state.overdue_days,
            "grade_seed": state.grade_seed.label_zh,
            "grade_2023": state.grade_2023.label_zh,
            "credit": format_money(state.credit),
        },
    }
    if terms.rate_changes:
        answer["rate_periods"] = [
            {"from": p.start.isoformat(), "until": p.end and p.end.isoformat(),
             "annual_rate": str(p.annual_rate)}
            for p in rate_periods(terms.disbursed_on, terms.annual_rate, terms.rate_changes, as_of)
        ]
    return answer
