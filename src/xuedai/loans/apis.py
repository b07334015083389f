"""Read-only API: a loan account's balances and postings, scoped like the pages."""

from django.urls import path
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from xuedai.orgs.permissions import SecondFactorVerified

from . import selectors
from .models import Posting


class PostingOut(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = Posting
        fields = ["id", "business_date", "kind", "kind_label", "amount", "due_on", "reverses", "memo"]


@api_view(["GET"])
@permission_classes([IsAuthenticated, SecondFactorVerified])
def account_detail(request, contract_id: int):
    account = selectors.account_get(request.user, contract_id)
    balances = {f: str(getattr(account, f)) for f in (
        "principal_outstanding", "principal_due", "interest_due", "penalty_due", "penalty_accrued", "credit",
        "subsidy_receivable")}
    return Response({
        "contract_id": account.pk, "contract_no": account.contract.contract_no, "balances": balances,
        "oldest_unpaid_due": account.oldest_unpaid_due, "grade": account.grade,
        "postings": PostingOut(selectors.account_postings(account), many=True).data,
    })


urlpatterns = [path("loans/accounts/<int:contract_id>/", account_detail, name="loans-account")]
