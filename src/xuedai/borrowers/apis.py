"""API v1 for borrowers (contracts: origination.apis) — HackSoft style: thin views, nested serializers.

Identity numbers and mobiles are masked in every response; the full identity number comes only
from POST borrowers/{id}/reveal/, which is audit-logged. A search by identity number is a POST
(borrowers/search/), so a number never appears in a URL or an access log.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from xuedai import businessdate
from xuedai.orgs.api_base import OrgRefSerializer, ScopedApi, paginated
from xuedai.orgs.models import Organisation, OrgKind

from . import selectors, services
from .models import EducationLevel
from .rules import age_on

ID_SEARCH_LIMIT = 50


class BorrowerListOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    id_number = serializers.CharField(source="masked_id_number", help_text="已遮盖的身份证号")
    mobile = serializers.CharField(source="masked_mobile", help_text="已遮盖的手机号")
    gender = serializers.CharField()
    county = OrgRefSerializer(allow_null=True)
    university = OrgRefSerializer(allow_null=True)
    department = OrgRefSerializer(allow_null=True)
    student_no = serializers.CharField()
    graduation_date = serializers.DateField()


class CoBorrowerOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    relation = serializers.CharField()
    id_number = serializers.CharField(source="masked_id_number")
    age = serializers.SerializerMethodField(help_text="业务日期时的周岁")
    mobile = serializers.CharField(source="masked_mobile")

    def get_age(self, obj) -> int:
        return _age(obj)
    household_region_code = serializers.CharField()
    employer = serializers.CharField()
    is_active = serializers.BooleanField()


def _age(obj) -> int:
    return age_on(obj.birth_date, businessdate.today())


class ContactOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    relation = serializers.CharField()
    mobile = serializers.CharField(source="masked_mobile")


class BorrowerDetailOutput(BorrowerListOutput):
    # Age instead of the birth date, which is digits 7–14 of the masked identity number.
    age = serializers.SerializerMethodField(help_text="业务日期时的周岁")
    ethnicity = serializers.CharField()
    email = serializers.CharField()
    qq = serializers.CharField()
    wechat = serializers.CharField()
    household_region_code = serializers.CharField()
    address = serializers.CharField()
    postal_code = serializers.CharField()
    major = serializers.CharField()
    education_level = serializers.CharField()
    enrolled_year = serializers.IntegerField()
    study_years = serializers.IntegerField()
    employer = serializers.CharField()
    employer_address = serializers.CharField()
    employer_phone = serializers.CharField()
    co_borrowers = CoBorrowerOutput(many=True)
    emergency_contacts = ContactOutput(many=True)

    def get_age(self, obj) -> int:
        return _age(obj)


def _bad_request(exc: DjangoValidationError) -> serializers.ValidationError:
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    return serializers.ValidationError(
        {("non_field_errors" if key == "__all__" else key): value for key, value in detail.items()})


class BorrowerListApi(ScopedApi):
    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(required=False, help_text="姓名(前缀)或学号；身份证号请用 search 接口")
        county = serializers.IntegerField(required=False)
        university = serializers.IntegerField(required=False)
        department = serializers.IntegerField(required=False)
        graduation_year = serializers.IntegerField(required=False)

        def validate_q(self, value):
            if selectors.is_id_like(value):
                raise serializers.ValidationError(
                    "按身份证号查询请使用 POST borrowers/search/，身份证号不得出现在网址中。")
            return value

    @extend_schema_serializer(component_name="BorrowerCreateInput")
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=50)
        id_number = serializers.CharField(max_length=20)
        mobile = serializers.CharField(max_length=11)
        household_region_code = serializers.CharField(max_length=6)
        address = serializers.CharField(max_length=200)
        university = serializers.IntegerField(required=False, allow_null=True)
        department = serializers.IntegerField(required=False, allow_null=True)
        student_no = serializers.CharField(max_length=30, required=False, allow_blank=True)
        major = serializers.CharField(max_length=60, required=False, allow_blank=True)
        education_level = serializers.ChoiceField(choices=EducationLevel.choices, required=False)
        enrolled_year = serializers.IntegerField(min_value=1990, max_value=2100)
        study_years = serializers.IntegerField(min_value=1, max_value=9, required=False)
        graduation_date = serializers.DateField()
        ethnicity = serializers.CharField(max_length=20, required=False, allow_blank=True)
        email = serializers.EmailField(required=False, allow_blank=True)
        qq = serializers.CharField(max_length=20, required=False, allow_blank=True)
        wechat = serializers.CharField(max_length=40, required=False, allow_blank=True)
        postal_code = serializers.CharField(max_length=6, required=False, allow_blank=True)
        employer = serializers.CharField(max_length=100, required=False, allow_blank=True)

        def validate_university(self, value):
            return _org_or_error(value, OrgKind.UNIVERSITY, "就读高校")

        def validate_department(self, value):
            return _org_or_error(value, OrgKind.DEPARTMENT, "院系")

    @extend_schema(parameters=[FilterSerializer], responses=BorrowerListOutput(many=True),
                   summary="借款学生列表(按数据范围过滤，身份证号与手机号已遮盖)")
    def get(self, request):
        params = self.FilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = selectors.BorrowerFilters(**params.validated_data)
        return paginated(request, self, selectors.borrower_list(request.user, filters), BorrowerListOutput)

    @extend_schema(request=InputSerializer, responses={201: BorrowerDetailOutput},
                   summary="新增借款学生(县资助中心经办人或高校经办人)")
    def post(self, request):
        services.creation_orgs(request.user)  # 403 for anyone who may not create
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            borrower = services.borrower_create(actor=request.user, data=dict(data.validated_data))
        except DjangoValidationError as exc:
            raise _bad_request(exc) from None
        borrower = selectors.borrower_get(request.user, borrower.pk)
        return Response(BorrowerDetailOutput(borrower).data, status=status.HTTP_201_CREATED)


def _org_or_error(pk, kind: str, label: str):
    if pk is None:
        return None
    org = Organisation.objects.filter(pk=pk, kind=kind, is_active=True).first()
    if org is None:
        raise serializers.ValidationError(f"{label}：机构不存在。")
    return org


class BorrowerSearchApi(ScopedApi):
    @extend_schema_serializer(component_name="BorrowerSearchInput")
    class InputSerializer(serializers.Serializer):
        term = serializers.CharField(max_length=40, help_text="完整身份证号、带*的遮盖形式或后4位")

    @extend_schema(request=InputSerializer, responses=BorrowerListOutput(many=True),
                   summary="按身份证号查询借款学生(POST，号码不进网址)")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        term = data.validated_data["term"]
        filters = (selectors.BorrowerFilters(id_q=term) if selectors.is_id_like(term)
                   else selectors.BorrowerFilters(q=term))
        rows = selectors.borrower_list(request.user, filters)[:ID_SEARCH_LIMIT]
        return Response(BorrowerListOutput(rows, many=True).data)


class BorrowerDetailApi(ScopedApi):
    @extend_schema(responses=BorrowerDetailOutput, summary="借款学生详情(已遮盖)")
    def get(self, request, pk: int):
        borrower = selectors.borrower_get(request.user, pk)
        return Response(BorrowerDetailOutput(borrower).data)


class BorrowerRevealApi(ScopedApi):
    @extend_schema_serializer(component_name="BorrowerRevealOutput")
    class OutputSerializer(serializers.Serializer):
        @extend_schema_serializer(component_name="CoBorrowerIdNumber")
        class CoBorrowerNumber(serializers.Serializer):
            id = serializers.IntegerField()
            id_number = serializers.CharField()

        id = serializers.IntegerField()
        id_number = serializers.CharField()
        co_borrowers = CoBorrowerNumber(many=True)

    @extend_schema(request=None, responses=OutputSerializer, summary="查看完整身份证号(记入审计日志)")
    def post(self, request, pk: int):
        borrower = selectors.borrower_get(request.user, pk)
        numbers = services.borrower_id_numbers_reveal(actor=request.user, borrower=borrower,
                                                      ip_address=request.META.get("REMOTE_ADDR"))
        payload = {"id": borrower.pk, "id_number": numbers["borrower"],
                   "co_borrowers": [{"id": k, "id_number": v} for k, v in numbers["co_borrowers"].items()]}
        response = Response(self.OutputSerializer(payload).data)
        response["Cache-Control"] = "no-store"
        return response


urlpatterns = [
    path("borrowers/", BorrowerListApi.as_view(), name="api-borrowers-list"),
    path("borrowers/search/", BorrowerSearchApi.as_view(), name="api-borrowers-search"),
    path("borrowers/<int:pk>/", BorrowerDetailApi.as_view(), name="api-borrowers-detail"),
    path("borrowers/<int:pk>/reveal/", BorrowerRevealApi.as_view(), name="api-borrowers-reveal"),
]
