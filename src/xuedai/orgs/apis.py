"""API v1 for organisations, staff accounts and tokens (ARCHITECTURE), with HackSoft-style thin views.

Scope as on the pages: organisations in the caller's subtree (plus ancestors), users only inside the
subtree; anything else is a 404. No password or TOTP field ever leaves the server; mobiles are masked.
Staff obtain a token with username + password + a TOTP code, so a token carries the second factor.
"""

from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from xuedai.identity.masking import mask_phone

from . import selectors
from .authn import client_ip, password_login, totp_check
from .models import Organisation, User
from .permissions import IsStaff, SecondFactorVerified

STAFF_API = [IsAuthenticated, SecondFactorVerified, IsStaff]


class OrganisationOutput(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "kind_label", "code", "region_code", "parent", "depth",
                  "agent_bank", "is_active"]
        read_only_fields = fields


class UserOutput(serializers.ModelSerializer):
    roles = serializers.SlugRelatedField(many=True, read_only=True, slug_field="role")
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    mobile = serializers.SerializerMethodField(help_text="手机号（已脱敏）")

    class Meta:
        model = User
        # An explicit list: password, totp_* and lockout columns must never be serialised.
        fields = ["id", "username", "real_name", "organisation", "organisation_name", "roles", "mobile",
                  "is_active", "last_login"]
        read_only_fields = fields

    def get_mobile(self, user: User) -> str:
        return mask_phone(user.mobile)


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """机构：调用者所在机构的子树及其上级机构。"""

    serializer_class = OrganisationOutput
    permission_classes = STAFF_API

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no real caller
            return Organisation.objects.none()
        return selectors.organisations_visible(self.request.user).order_by("path")


class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """用户：仅限调用者所在机构子树内的工作人员。"""

    serializer_class = UserOutput
    permission_classes = STAFF_API

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return User.objects.none()
        return selectors.users_visible(self.request.user).order_by("organisation__path", "username")


class TokenInput(serializers.Serializer):
    username = serializers.CharField(help_text="工作人员用户名；学生可填身份证号")
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    totp_code = serializers.CharField(required=False, allow_blank=True,
                                      help_text="工作人员必填：6 位动态口令")


class TokenView(APIView):
    """换取 API 令牌。失败次数计入登录锁定，与网页登录相同。"""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenInput,
        responses={
            200: inline_serializer("TokenOutput", {"token": serializers.CharField()}),
            400: inline_serializer("TokenError", {"detail": serializers.CharField()}),
        },
        auth=[],
    )
    def post(self, request):
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        ip = client_ip(request)
        result = password_login(identifier=data.validated_data["username"],
                                password=data.validated_data["password"], ip_address=ip)
        if result.user is None:
            return Response({"detail": result.error}, status=status.HTTP_400_BAD_REQUEST)
        user = result.user
        if user.needs_second_factor:
            if user.totp_confirmed_at is None:
                return Response({"detail": "请先在网页登录并绑定动态口令。"},
                                status=status.HTTP_400_BAD_REQUEST)
            code = data.validated_data.get("totp_code", "").strip()
            if not code:  # asked for, not wrong: no failure is counted
                return Response({"detail": "工作人员须填写动态口令(totp_code)：验证器上的 6 位口令。"},
                                status=status.HTTP_400_BAD_REQUEST)
            error = totp_check(user=user, code=code, ip_address=ip)
            if error:
                return Response({"detail": error}, status=status.HTTP_400_BAD_REQUEST)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


router = SimpleRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("users", UserViewSet, basename="user")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    *router.urls,
]
