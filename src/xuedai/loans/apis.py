"""Read-only API: a loan account's balances and postings, scoped like the pages."""

from django.urls import path
from drf_spectacular.utils import extend_schema
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


BALANCE_FIELDS = ("principal_outstanding", "principal_due", "interest_due", "penalty_due", "penalty_accrued",
                  "credit", "subsidy_receivable")


class BalancesOut(serializers.Serializer):
    principal_outstanding = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="贷款余额")
    principal_due = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="应还未还本金")
    interest_due = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="应还未还利息")
    penalty_due = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="应还未还罚息与复利")
    penalty_accrued = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="已计提未结罚息")
    credit = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="待抵扣余额")
    subsidy_receivable = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="应收贴息")


class AccountOut(serializers.Serializer):
    contract_id = serializers.IntegerField()
    contract_no = serializers.CharField()
    balances = BalancesOut()
    oldest_unpaid_due = serializers.DateField(allow_null=True, help_text="最早未还到期日")
    grade = serializers.CharField(help_text="五级分类")
    postings = PostingOut(many=True)


@extend_schema(responses=AccountOut, summary="贷款账户余额与分录(只读)")
@api_view(["GET"])
@permission_classes([IsAuthenticated, SecondFactorVerified])
def account_detail(request, contract_id: int):
    account = selectors.account_get(request.user, contract_id)
    balances = {f: str(getattr(account, f)) for f in BALANCE_FIELDS}
    return Response({
        "contract_id": account.pk, "contract_no": account.contract.contract_no, "balances": balances,
        "oldest_unpaid_due": account.oldest_unpaid_due, "grade": account.grade,
        "postings": PostingOut(selectors.account_postings(account), many=True).data,
    })


urlpatterns = [path("loans/accounts/<int:contract_id>/", account_detail, name="loans-account")]
