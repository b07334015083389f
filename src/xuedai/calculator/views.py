from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from xuedai import businessdate
from xuedai.core.quote import QuoteError, quote
from xuedai.origination.models import LIVE_STATES, Contract

from .forms import QuoteForm
from .payments import payments_for_contract
from .plans import contract_plan


def quote_page(request):
    """还款试算: anyone may try numbers; nothing stored is read."""
    result, error = None, None
    form = QuoteForm(request.POST or None, initial={"as_of": businessdate.today(), "basis": "pboc"})
    if request.method == "POST" and form.is_valid():
        try:
            result = quote(form.to_request())
        except QuoteError as exc:
            error = exc
            form.add_error(exc.field if exc.field in form.fields else None, exc.message_zh)
    return render(request, "calculator/quote.html", {"form": form, "result": result, "error": error})


@login_required
def my_plan(request):
    """A student's page: what is due this year, and when, and the whole plan."""
    today = businessdate.today()
    contracts = (
        Contract.objects.filter(
            borrower__user=request.user, state__in=LIVE_STATES, disbursed_on__isnull=False
        )
        .select_related("policy_version")
        .order_by("academic_year")
    )
    plans = [contract_plan(c, today, payments_for_contract(c)) for c in contracts]
    return render(request, "calculator/my_plan.html", {"plans": plans, "today": today})
