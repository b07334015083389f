"""柜台还款: the county records one payment a borrower brings in, spread over his contracts oldest
first, 先收息、后还本 (DOMAIN.md §4 Allocation). The page shows each live contract
with what it owes today and, before posting, how the amount would be split."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from xuedai import businessdate
from xuedai.core.money import format_money
from xuedai.orgs.models import Role
from xuedai.orgs.permissions import roles_required

from .selectors import account_list
from .services.borrower_payments import borrower_accounts, borrower_repayment_post, payment_split
from .services.servicing import ServicingError


def _borrower(user, borrower_id: int):
    account = account_list(user).filter(contract__borrower_id=borrower_id).first()
    if account is None:
        raise Http404("没有这个借款学生的贷款账户")
    return account.contract.borrower


def _amount(text: str) -> Decimal | None:
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() and value > 0 and value == value.quantize(Decimal("0.01")) else None


@roles_required(Role.OPERATOR, Role.SUPERVISOR)
def borrower_payment(request, borrower_id: int):
    from django.db import transaction

    borrower = _borrower(request.user, borrower_id)
    today = businessdate.today()
    raw = request.POST.get("amount", "") if request.method == "POST" else request.GET.get("amount", "")
    amount = _amount(raw) if raw else None
    error = "还款金额：请填写大于 0、最多两位小数的金额（元）。" if raw and amount is None else ""
    if request.method == "POST" and amount is not None and "confirm" in request.POST:
        try:
            paid = borrower_repayment_post(actor=request.user, borrower=borrower, on=today, amount=amount,
                                           source="柜台还款")
        except ServicingError as exc:
            error = str(exc)
        else:
            split = "；".join(f"{a.contract.contract_no} {format_money(s)} 元" for a, s in paid)
            messages.success(request, f"已入账 {format_money(amount)} 元：{split}。")
            return redirect("loans:borrower_payment", borrower.pk)
    with transaction.atomic():  # select_for_update needs a transaction; nothing is written here
        accounts = borrower_accounts(borrower, today)
        split = payment_split(accounts, today, amount) if amount is not None and accounts else None
    rows = [{"account": a, "owed": a.amount_owed, "share": split[i] if split else None}
            for i, a in enumerate(accounts)]
    return render(request, "loans/borrower_payment.html", {
        "borrower": borrower, "rows": rows, "amount": amount, "raw": raw, "error": error, "today": today,
    })


@roles_required(Role.SUPERVISOR)
def misuse_flag_view(request, contract_id: int):
    """负责人标记挪用贷款 (with a reason): penalty from today at the policy's misuse multiplier."""
    from django.core.exceptions import ValidationError

    from .selectors import account_get
    from .services.misuse import misuse_flag

    account = account_get(request.user, contract_id)
    if request.method == "POST":
        try:
            misuse_flag(actor=request.user, account=account, on=businessdate.today(),
                        reason=request.POST.get("reason", ""))
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                for message in errors:
                    messages.error(request, message)
        else:
            multiplier = account.contract.policy_version.misuse_penalty_multiplier
            messages.success(request, f"已标记挪用贷款：自{businessdate.today():%Y-%m-%d}起罚息按合同利率的"
                                      f"{multiplier * 100:.0f}%计收。")
    return redirect("loans:account_detail", contract_id)
