"""POST /api/v1/quote — the calculator of `xuedai quote` over HTTP (DOMAIN.md §4).

It computes only from what the caller sends and reads no stored data, so it needs no login;
a throttle keeps it from being used as free compute.
"""

import json
from decimal import Decimal

from django.urls import path
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from xuedai.core.quote import QuoteError, quote


class DecimalJSONParser(JSONParser):
    """JSON numbers become Decimal, never float: 0.1 + 0.2 must stay 0.3 in money."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return json.loads(stream.read().decode("utf-8"), parse_float=Decimal)
        except ValueError as exc:
            raise ParseError(f"请求体不是合法的 JSON：{exc}") from exc


class QuoteThrottle(AnonRateThrottle):
    rate = "120/min"


class QuoteUserThrottle(UserRateThrottle):
    rate = "600/min"


class QuoteRequestSerializer(serializers.Serializer):
    annual_rate = serializers.CharField(help_text='年利率，十进制字符串，如 "0.0565"')
    basis = serializers.ChoiceField(choices=["pboc", "actual_360"], required=False)
    principal = serializers.CharField()
    disbursed_on = serializers.DateField()
    self_pay_from = serializers.DateField(required=False, allow_null=True)
    maturity = serializers.DateField()
    settlement_day = serializers.CharField(required=False, help_text='"MM-DD"，默认 "12-20"')
    principal_plan = serializers.ListField(child=serializers.DictField(), required=False)
    principal_from = serializers.DateField(required=False)
    payments = serializers.ListField(child=serializers.DictField(), required=False)
    penalty_multiplier = serializers.CharField(required=False)
    as_of = serializers.DateField()


class SettlementSerializer(serializers.Serializer):
    date = serializers.DateField()
    subsidy_interest = serializers.CharField()
    borrower_interest = serializers.CharField()
    principal_due = serializers.CharField()


class AsOfSerializer(serializers.Serializer):
    outstanding_principal = serializers.CharField()
    overdue_principal = serializers.CharField()
    overdue_interest = serializers.CharField()
    penalty_interest = serializers.CharField()
    overdue_days = serializers.IntegerField()
    grade_seed = serializers.CharField()
    grade_2023 = serializers.CharField()
    credit = serializers.CharField()


class QuoteResponseSerializer(serializers.Serializer):
    settlements = SettlementSerializer(many=True)
    as_of = AsOfSerializer()


class QuoteErrorSerializer(serializers.Serializer):
    error = serializers.CharField()
    field = serializers.CharField()


class QuoteApi(APIView):
    permission_classes = [AllowAny]
    parser_classes = [DecimalJSONParser]
    throttle_classes = [QuoteThrottle, QuoteUserThrottle]

    @extend_schema(
        summary="还款试算",
        request=QuoteRequestSerializer,
        responses={200: QuoteResponseSerializer, 400: QuoteErrorSerializer},
        examples=[
            OpenApiExample(
                "6000 元，年利率 5.65%",
                value={
                    "annual_rate": "0.0565",
                    "principal": "6000",
                    "disbursed_on": "2018-09-01",
                    "self_pay_from": "2019-09-01",
                    "maturity": "2024-12-20",
                    "principal_from": "2021-12-20",
                    "as_of": "2022-12-21",
                },
                request_only=True,
            )
        ],
    )
    def post(self, request):
        # The raw body goes to the core as it is: the core validates every field and names it.
        if not isinstance(request.data, dict):
            return Response(
                {"error": "请求体须为 JSON 对象。", "field": ""}, status=status.HTTP_400_BAD_REQUEST
            )
        try:
            return Response(quote(dict(request.data)))
        except QuoteError as exc:
            return Response({"error": exc.message_zh, "field": exc.field}, status=status.HTTP_400_BAD_REQUEST)


urlpatterns = [path("quote", QuoteApi.as_view(), name="quote")]
