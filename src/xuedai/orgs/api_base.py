"""What every app's API v1 views share: the scoped base view, an organisation reference, pages."""

from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .permissions import SecondFactorVerified


class ScopedApi(APIView):
    # A session must have passed TOTP (the page middleware lets /api/ through); what a caller
    # then sees is decided by the selectors' scope. (A comment, not a docstring: drf-spectacular
    # would copy a docstring into every endpoint's description.)
    permission_classes = [IsAuthenticated, SecondFactorVerified]


class OrgRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def paginated(request, view, queryset, serializer_class) -> Response:
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)
