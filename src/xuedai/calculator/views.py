from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from xuedai import businessdate
from xuedai.core.quote import QuoteError, quote
from xuedai.loans.amount_due import borrower_due

from .forms import QuoteForm


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
    """A student's page: what is due, when and where, and each contract's whole plan — the same
    answer as every other student page (loans.amount_due)."""
    today = businessdate.today()
    borrower = getattr(request.user, "borrower", None) if request.user.is_student else None
    due = borrower_due(borrower, today) if borrower is not None else None
    return render(request, "calculator/my_plan.html", {"due": due, "today": today})
