"""API v1 for contracts, read-only — HackSoft style: thin views, nested serializers; scope from the
selectors (a contract outside the caller's subtree is a 404)."""

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response

from xuedai.orgs.api_base import OrgRefSerializer, ScopedApi, paginated

from . import selectors as contract_selectors
from .models import ContractState


class ContractOutput(serializers.Serializer):
    @extend_schema_serializer(component_name="ContractBorrowerRef")
    class BorrowerRef(serializers.Serializer):
        id = serializers.IntegerField()
        name = serializers.CharField()
        id_number = serializers.CharField(source="masked_id_number")

    id = serializers.IntegerField()
    contract_no = serializers.CharField()
    borrower = BorrowerRef()
    product = serializers.CharField()
    academic_year = serializers.IntegerField()
    county = OrgRefSerializer(allow_null=True)
    university = OrgRefSerializer(allow_null=True)
    department = OrgRefSerializer(allow_null=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    annual_rate = serializers.DecimalField(max_digits=7, decimal_places=5)
    term_years = serializers.IntegerField()
    state = serializers.CharField()
    applied_on = serializers.DateField()
    signed_on = serializers.DateField(allow_null=True)
    disbursed_on = serializers.DateField(allow_null=True)
    maturity_date = serializers.DateField()
    outstanding_principal = serializers.DecimalField(max_digits=12, decimal_places=2)
    overdue_since = serializers.DateField(allow_null=True)


class ContractListApi(ScopedApi):
    class FilterSerializer(serializers.Serializer):
        state = serializers.ChoiceField(choices=ContractState.choices, required=False)
        academic_year = serializers.IntegerField(required=False)
        borrower = serializers.IntegerField(required=False)
        county = serializers.IntegerField(required=False)
        university = serializers.IntegerField(required=False)

    @extend_schema(parameters=[FilterSerializer], responses=ContractOutput(many=True),
                   summary="借款合同列表(只读，按数据范围过滤)")
    def get(self, request):
        params = self.FilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = contract_selectors.ContractFilters(**params.validated_data)
        queryset = contract_selectors.contract_list(request.user, filters)
        return paginated(request, self, queryset, ContractOutput)


class ContractDetailApi(ScopedApi):
    @extend_schema(responses=ContractOutput, summary="借款合同详情(只读)")
    def get(self, request, pk: int):
        return Response(ContractOutput(contract_selectors.contract_get(request.user, pk)).data)


urlpatterns = [
    path("contracts/", ContractListApi.as_view(), name="api-contracts-list"),
    path("contracts/<int:pk>/", ContractDetailApi.as_view(), name="api-contracts-detail"),
]
