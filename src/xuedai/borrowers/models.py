"""Borrowers (students) and co-borrowers — DOMAIN.md §2, §3.1

Identity numbers are stored whole (the bank and the credit bureau need them) but shown masked
everywhere lists and logs are concerned; they never travel in a URL (records are addressed by id).
"""

from django.conf import settings
from django.db import models

from xuedai.identity.masking import mask_id_number, mask_phone


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class EducationLevel(models.TextChoices):
    VOCATIONAL = "vocational", "专科(高职)"
    UNDERGRADUATE = "undergraduate", "本科"
    MASTER = "master", "硕士研究生"
    DOCTOR = "doctor", "博士研究生"

    @classmethod
    def graduate_levels(cls) -> frozenset[str]:
        return frozenset({cls.MASTER, cls.DOCTOR})


class Borrower(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="登录账号", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="borrower")
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("身份证号", max_length=18, unique=True)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    birth_date = models.DateField("出生日期")
    ethnicity = models.CharField("民族", max_length=20, default="汉族", blank=True)
    mobile = models.CharField("手机号", max_length=11)
    email = models.EmailField("电子邮箱", blank=True)
    qq = models.CharField("QQ", max_length=20, blank=True)
    wechat = models.CharField("微信", max_length=40, blank=True)
    household_region_code = models.CharField("户籍所在县代码", max_length=6)
    address = models.CharField("家庭住址", max_length=200)
    postal_code = models.CharField("邮编", max_length=6, blank=True)
    # The county centre of the household registration: it signs 生源地 contracts (scope, §2).
    county = models.ForeignKey("orgs.Organisation", verbose_name="县资助中心", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="county_borrowers")
    university = models.ForeignKey("orgs.Organisation", verbose_name="就读高校", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="university_borrowers")
    department = models.ForeignKey("orgs.Organisation", verbose_name="院系", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="department_borrowers")
    student_no = models.CharField("学号", max_length=30, blank=True)
    major = models.CharField("专业", max_length=60, blank=True)
    education_level = models.CharField("学历层次", max_length=16, choices=EducationLevel.choices,
                                       default=EducationLevel.UNDERGRADUATE)
    enrolled_year = models.PositiveSmallIntegerField("入学年份")
    study_years = models.PositiveSmallIntegerField("学制(年)", default=4)
    graduation_date = models.DateField("预计毕业日期")
    employer = models.CharField("工作单位", max_length=100, blank=True)
    employer_address = models.CharField("单位地址", max_length=200, blank=True)
    employer_phone = models.CharField("单位电话", max_length=20, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "借款学生"
        verbose_name_plural = "借款学生"
        indexes = [
            models.Index(fields=["county", "id"]),
            models.Index(fields=["university", "graduation_date"]),
            models.Index(fields=["department", "id"]),
            # Search by name prefix or exact student number; the pattern opclass lets PostgreSQL
            # use the index for LIKE '张%' under any collation (ignored on SQLite).
            models.Index(fields=["name"], name="borrower_name_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["student_no"], name="borrower_student_no_idx",
                         opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.masked_id_number}）"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_mobile(self) -> str:
        return mask_phone(self.mobile)

    @property
    def graduation_year(self) -> int:
        return self.graduation_date.year


class Relation(models.TextChoices):
    FATHER = "father", "父亲"
    MOTHER = "mother", "母亲"
    GUARDIAN = "guardian", "法定监护人"
    OTHER = "other", "其他亲属"

    @classmethod
    def parents(cls) -> frozenset[str]:
        return frozenset({cls.FATHER, cls.MOTHER, cls.GUARDIAN})


class CoBorrower(models.Model):
    """共同借款人: a parent or guardian, same county household, aged within the policy range."""

    borrower = models.ForeignKey(Borrower, verbose_name="借款学生", on_delete=models.CASCADE,
                                 related_name="co_borrowers")
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("身份证号", max_length=18)
    relation = models.CharField("与学生关系", max_length=16, choices=Relation.choices)
    birth_date = models.DateField("出生日期")
    mobile = models.CharField("手机号", max_length=11)
    household_region_code = models.CharField("户籍所在县代码", max_length=6)
    address = models.CharField("住址", max_length=200, blank=True)
    employer = models.CharField("工作单位", max_length=100, blank=True)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "共同借款人"
        verbose_name_plural = "共同借款人"
        constraints = [
            models.UniqueConstraint(fields=["borrower", "id_number"], name="uniq_co_borrower_per_borrower"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_relation_display()}）"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_mobile(self) -> str:
        return mask_phone(self.mobile)


class EmergencyContact(models.Model):
    borrower = models.ForeignKey(Borrower, verbose_name="借款学生", on_delete=models.CASCADE,
                                 related_name="emergency_contacts")
    name = models.CharField("姓名", max_length=50)
    relation = models.CharField("关系", max_length=20)
    mobile = models.CharField("手机号", max_length=11)
    address = models.CharField("地址", max_length=200, blank=True)

    class Meta:
        verbose_name = "紧急联系人"
        verbose_name_plural = "紧急联系人"

    def __str__(self) -> str:
        return f"{self.name}（{self.relation}）"

    @property
    def masked_mobile(self) -> str:
        return mask_phone(self.mobile)
