"""Page forms: they only parse; the rules live in origination.rules and the services."""

from django import forms

from xuedai.borrowers.models import EducationLevel, Relation
from xuedai.orgs.models import Organisation, OrgKind
from xuedai.widgets import DatePicker

_STYLE = {"class": "form-control"}


def styled(form: forms.Form) -> forms.Form:
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)
    return form


class ApplicationForm(forms.Form):
    amount = forms.DecimalField(
        label="申请金额(元)", min_value=1, max_digits=10, decimal_places=2, help_text="百元整数，每学年一次"
    )
    term_years = forms.IntegerField(label="申请期限(年)", min_value=1, max_value=30)
    tuition = forms.DecimalField(
        label="学费(元/年)", min_value=0, max_digits=10, decimal_places=2, required=False
    )
    accommodation = forms.DecimalField(
        label="住宿费(元/年)", min_value=0, max_digits=10, decimal_places=2, required=False
    )
    co_borrower = forms.ModelChoiceField(
        label="共同借款人", queryset=None, required=False, help_text="续贷默认沿用去年的共同借款人"
    )
    reason = forms.CharField(label="申请理由", max_length=300, required=False)

    def __init__(self, *args, borrower=None, **kw):
        super().__init__(*args, **kw)
        self.fields["co_borrower"].queryset = (
            borrower.co_borrowers.filter(is_active=True) if borrower else None
        )
        styled(self)


class RegisterForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(
        label="身份证号", max_length=18, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    mobile = forms.CharField(label="手机号", max_length=11)
    household_region_code = forms.CharField(label="户籍所在县代码(6位)", max_length=6)
    address = forms.CharField(label="家庭住址", max_length=200)
    university = forms.ModelChoiceField(
        label="录取高校", queryset=Organisation.objects.filter(kind=OrgKind.UNIVERSITY, is_active=True)
    )
    major = forms.CharField(label="专业", max_length=60, required=False)
    education_level = forms.ChoiceField(label="学历层次", choices=EducationLevel.choices)
    enrolled_year = forms.IntegerField(label="入学年份", min_value=2000, max_value=2100)
    study_years = forms.IntegerField(label="学制(年)", min_value=1, max_value=8, initial=4)
    graduation_date = forms.DateField(label="预计毕业日期", widget=DatePicker())
    co_name = forms.CharField(label="共同借款人姓名", max_length=50)
    co_id_number = forms.CharField(
        label="共同借款人身份证号", max_length=18, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    co_relation = forms.ChoiceField(label="与学生关系", choices=Relation.choices)
    co_mobile = forms.CharField(label="共同借款人手机号", max_length=11)
    password = forms.CharField(label="设置密码", widget=forms.PasswordInput)

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        styled(self)


class ContractForm(forms.Form):
    amount = forms.DecimalField(label="合同金额(元)", min_value=1, max_digits=10, decimal_places=2)
    term_years = forms.IntegerField(
        label="期限(年)", min_value=1, max_value=30, required=False, help_text="留空取政策允许的最长期限"
    )
    co_borrower = forms.ModelChoiceField(label="共同借款人", queryset=None)
    tuition = forms.DecimalField(
        label="学费(元)", min_value=0, max_digits=10, decimal_places=2, required=False
    )
    accommodation = forms.DecimalField(
        label="住宿费(元)", min_value=0, max_digits=10, decimal_places=2, required=False
    )

    def __init__(self, *args, borrower=None, **kw):
        super().__init__(*args, **kw)
        self.fields["co_borrower"].queryset = borrower.co_borrowers.filter(is_active=True)
        styled(self)


class ReceiptForm(forms.Form):
    tuition = forms.CharField(label="学费(元)", max_length=12)
    accommodation = forms.CharField(label="住宿费(元)", max_length=12)
    arrears = forms.CharField(label="往年欠费(元)", max_length=12, required=False, initial="0")

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        styled(self)


class SeasonForm(forms.Form):
    accept_from = forms.DateField(
        label="申请受理开始日期", required=False, widget=DatePicker()
    )
    accept_until = forms.DateField(
        label="申请受理结束日期", required=False, widget=DatePicker()
    )
    receipt_deadline = forms.DateField(
        label="回执接收截止日期", required=False, widget=DatePicker()
    )

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        styled(self)


class ImportForm(forms.Form):
    file = forms.FileField(label="回执文件(.xlsx 或 .csv)")

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        styled(self)
