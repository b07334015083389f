"""Organisations (a tree with a materialised path), users and their roles — DOMAIN.md §2."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class OrgKind(models.TextChoices):
    BANK_HEAD = "bank_head", "国家开发银行总行"
    BANK_BRANCH = "bank_branch", "国家开发银行分行"
    PROVINCE_CENTRE = "province_centre", "省学生资助管理中心"
    PROVINCE_LOAN_OFFICE = "province_loan_office", "省教贷办"
    COUNTY_CENTRE = "county_centre", "县(区)资助中心"
    UNIVERSITY = "university", "高校"
    DEPARTMENT = "department", "院系"
    AGENT_BANK = "agent_bank", "代理行"


class Organisation(models.Model):
    """One node of the tree 总行 → 分行 → 省中心 → {县资助中心, 高校 → 院系}, 分行 → 代理行.

    `path` is the materialised path of primary keys ("/1/2/7/"): a subtree is one prefix match,
    so scope checks never walk the tree row by row.
    """

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=24, choices=OrgKind.choices)
    code = models.CharField("机构代码", max_length=32, unique=True)
    # GB/T 2260 division code: 6 digits for a county, used for the co-borrower same-county rule and
    # to pick the regional policy version; 2 digits + zeros for a province-level body.
    region_code = models.CharField("行政区划代码", max_length=6, blank=True)
    parent = models.ForeignKey("self", verbose_name="上级机构", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    path = models.CharField("路径", max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField("层级", default=0, editable=False)
    # Counties whose repayments are collected by an agent bank rather than Alipay (DOMAIN.md §4 渠道).
    agent_bank = models.ForeignKey("self", verbose_name="代理行", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="served_counties",
                                   limit_choices_to={"kind": OrgKind.AGENT_BANK})
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def province_code(self) -> str:
        return self.region_code[:2]

    def is_ancestor_of(self, other: "Organisation") -> bool:
        return other.path.startswith(self.path)


class Role(models.TextChoices):
    OPERATOR = "operator", "经办人"
    SUPERVISOR = "supervisor", "负责人"
    BANK_REVIEWER = "bank_reviewer", "审查人"
    BANK_APPROVER = "bank_approver", "审批人"
    UNIVERSITY_OFFICER = "university_officer", "高校经办人"
    DEPARTMENT_STAFF = "department_staff", "院系责任人"
    AUDITOR = "auditor", "审计员"
    # 财政部门 (DOMAIN.md §6; seed [003] 资金管理办法 第十八–二十四条): funds the subsidy and its share of
    # the risk fund, reads what it pays for; the province office records the money ([003] 第二十一、
    # 二十三条: 由省教贷办归集后统一划付). Not in the loan tree: its users sit at the level they fund
    # (the province centre for 省财政厅, a county centre for 县财政局) and see that subtree.
    FINANCE = "finance", "财政部门"
    ADMIN = "admin", "系统管理员"
    STUDENT = "student", "借款学生"


STAFF_ROLES = frozenset(Role) - {Role.STUDENT}


class User(AbstractUser):
    """A person who logs in. Staff belong to one organisation; students log in with their ID number."""

    organisation = models.ForeignKey(Organisation, verbose_name="所属机构", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="users")
    real_name = models.CharField("姓名", max_length=50, blank=True)
    mobile = models.CharField("手机号", max_length=11, blank=True)
    # TOTP second factor (RFC 6238), required for every staff role; stands in for the U盾 of [001].
    totp_secret = models.CharField("动态口令密钥", max_length=64, blank=True)
    totp_confirmed_at = models.DateTimeField("动态口令绑定时间", null=True, blank=True)
    # The last accepted TOTP time step, so one code cannot be replayed within its window.
    totp_last_step = models.BigIntegerField(default=0)
    failed_logins = models.PositiveSmallIntegerField("连续失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.real_name or self.username

    @property
    def role_codes(self) -> frozenset[str]:
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            cached = frozenset(self.roles.values_list("role", flat=True)) if self.pk else frozenset()
            self._role_codes = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes.intersection(roles))

    @property
    def is_student(self) -> bool:
        return Role.STUDENT in self.role_codes

    @property
    def needs_second_factor(self) -> bool:
        return bool(self.role_codes & STAFF_ROLES) or self.is_superuser

    def role_labels(self) -> list[str]:
        return [Role(code).label for code in sorted(self.role_codes)]


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField("角色", max_length=24, choices=Role.choices)

    class Meta:
        verbose_name = "用户角色"
        verbose_name_plural = "用户角色"
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="uniq_user_role")]

    def __str__(self) -> str:
        return Role(self.role).label


class SetupToken(models.Model):
    """A one-time link that lets a new staff member set a password and bind TOTP.

    Only the SHA-256 of the token is stored, so a database reader cannot use a pending link.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="setup_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "账号设置链接"
        verbose_name_plural = "账号设置链接"

    def __str__(self) -> str:
        return f"{self.user} {self.expires_at:%Y-%m-%d}"


class LoginThrottle(models.Model):
    """Failure counter for an identifier that has no User row to carry one (docs/security.md).

    Unknown usernames, ID numbers without an account and student activation attempts are counted here,
    so the lock notice appears for them exactly as for real accounts (no enumeration). The identifier
    itself is never stored — only the SHA-256 of "purpose:identifier".
    """

    key_hash = models.CharField(max_length=64, unique=True)
    failed_logins = models.PositiveSmallIntegerField("连续失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = "登录限制"
        verbose_name_plural = "登录限制"

    def __str__(self) -> str:
        return f"登录限制 {self.key_hash[:8]}"
