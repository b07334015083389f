"""Read-only API: policy versions and the LPR history (DOMAIN.md §1).

Versions are written only through the pages (administrators, audit-logged); integrations read them.
`policy-versions/resolve/?product=&region_code=&on=` answers the selector's question over HTTP.
"""

from __future__ import annotations

import datetime as dt

from django.urls import include, path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from xuedai.orgs.models import STAFF_ROLES

from . import selectors
from .models import LprRate, PolicyVersion
from .regions import region_label


class IsStaff(permissions.BasePermission):
    message = "政策版本仅供工作人员查看。"

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and (user.is_superuser or user.role_codes & STAFF_ROLES))


class PolicyVersionOutput(serializers.ModelSerializer):
    product_label = serializers.CharField(source="get_product_display", read_only=True)
    region_label = serializers.SerializerMethodField()

    class Meta:
        model = PolicyVersion
        exclude = ["created_by"]

    def get_region_label(self, obj: PolicyVersion) -> str:
        return region_label(obj.region_code)


class LprRateOutput(serializers.ModelSerializer):
    class Meta:
        model = LprRate
        fields = ["effective_from", "one_year", "five_year_plus"]


class PolicyVersionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PolicyVersionOutput
    permission_classes = [IsStaff]

    def get_queryset(self):
        qs = PolicyVersion.objects.order_by("product", "region_code", "effective_from")
        if product := self.request.query_params.get("product"):
            qs = qs.filter(product=product)
        if (region := self.request.query_params.get("region_code")) is not None:
            qs = qs.filter(region_code=region)
        return qs

    @extend_schema(parameters=[
        OpenApiParameter("product", str, required=True, description="home_county / campus / commercial"),
        OpenApiParameter("region_code", str, description="县或省行政区划代码，如 510722；空为全国"),
        OpenApiParameter("on", dt.date, required=True, description="签订日期 YYYY-MM-DD"),
    ])
    @action(detail=False, methods=["get"])
    def resolve(self, request):
        """The version a contract signed on `on` in `region_code` is signed under."""
        product = request.query_params.get("product", "")
        try:
            on = dt.date.fromisoformat(request.query_params.get("on", ""))
        except ValueError as exc:
            raise ValidationError({"on": "请按 YYYY-MM-DD 填写日期。"}) from exc
        try:
            version = selectors.policy_for(product, request.query_params.get("region_code", ""), on)
        except ValueError as exc:  # an unknown product code
            raise ValidationError({"product": "产品应为 home_county、campus 或 commercial。"}) from exc
        except selectors.PolicyNotFound as exc:
            raise NotFound(str(exc)) from exc
        return Response(self.get_serializer(version).data)


class LprRateViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LprRateOutput
    permission_classes = [IsStaff]
    queryset = LprRate.objects.order_by("-effective_from")


router = SimpleRouter()
router.register("policy-versions", PolicyVersionViewSet, basename="policy-version")
router.register("lpr-rates", LprRateViewSet, basename="lpr-rate")

urlpatterns = [path("", include(router.urls))]
