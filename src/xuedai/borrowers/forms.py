"""Page forms. They only parse input; the rules live in services/rules so the API shares them."""

from django import forms

from xuedai.orgs.models import Organisation, OrgKind, User
from xuedai.widgets import DatePicker

from .models import EducationLevel, Relation

_TEXT = {"class": "form-control"}
_SELECT = {"class": "form-select"}
ID_KEEP_HELP = "留空表示不修改。"


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", _SELECT["class"])
        else:
            widget.attrs.setdefault("class", _TEXT["class"])


class SearchForm(forms.Form):
    # Posted, not sent as a query string: the term may be (part of) an identity number.
    term = forms.CharField(label="姓名、学号或身份证号(后4位或带*的形式)", max_length=40, required=False)


class BorrowerForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    # autocomplete off: browsers must not remember identity numbers typed on shared counter PCs.
    id_number = forms.CharField(label="身份证号", max_length=20,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    ethnicity = forms.CharField(label="民族", max_length=20, required=False, initial="汉族")
    mobile = forms.CharField(label="手机号", max_length=11)
    email = forms.EmailField(label="电子邮箱", required=False)
    qq = forms.CharField(label="QQ", max_length=20, required=False)
    wechat = forms.CharField(label="微信", max_length=40, required=False)
    household_region_code = forms.CharField(label="户籍所在县代码", max_length=6)
    address = forms.CharField(label="家庭住址", max_length=200)
    postal_code = forms.CharField(label="邮编", max_length=6, required=False)
    university = forms.ModelChoiceField(label="就读高校", queryset=Organisation.objects.none(),
                                        required=False)
    department = forms.ModelChoiceField(label="院系", queryset=Organisation.objects.none(), required=False)
    student_no = forms.CharField(label="学号", max_length=30, required=False)
    major = forms.CharField(label="专业", max_length=60, required=False)
    education_level = forms.ChoiceField(label="学历层次", choices=EducationLevel.choices,
                                        initial=EducationLevel.UNDERGRADUATE)
    enrolled_year = forms.IntegerField(label="入学年份", min_value=1990, max_value=2100)
    study_years = forms.IntegerField(label="学制(年)", min_value=1, max_value=9, initial=4)
    graduation_date = forms.DateField(label="预计毕业日期", widget=DatePicker())
    employer = forms.CharField(label="工作单位", max_length=100, required=False)
    employer_address = forms.CharField(label="单位地址", max_length=200, required=False)
    employer_phone = forms.CharField(label="单位电话", max_length=20, required=False)

    def __init__(self, *args, user: User, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        universities = Organisation.objects.filter(kind=OrgKind.UNIVERSITY, is_active=True)
        departments = Organisation.objects.filter(kind=OrgKind.DEPARTMENT, is_active=True)
        own = user.organisation
        if own is not None and own.kind == OrgKind.UNIVERSITY:
            # A university files its own students; only its departments make sense.
            universities = universities.filter(pk=own.pk)
            departments = departments.filter(parent=own)
            self.fields["university"].initial = own.pk
        elif own is not None and own.kind == OrgKind.DEPARTMENT:
            universities = universities.filter(pk=own.parent_id)
            departments = departments.filter(pk=own.pk)
        self.fields["university"].queryset = universities
        self.fields["department"].queryset = departments.select_related("parent")
        self.fields["department"].label_from_instance = lambda o: f"{o.parent.name} · {o.name}"
        if editing:
            # The stored number is never put into the page; a blank field keeps it.
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = ID_KEEP_HELP
        _style(self)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("id_number"):
            data.pop("id_number", None)
        return data


class CoBorrowerForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号", max_length=20,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    relation = forms.ChoiceField(label="与学生关系", choices=Relation.choices)
    mobile = forms.CharField(label="手机号", max_length=11)
    household_region_code = forms.CharField(label="户籍所在县代码", max_length=6)
    address = forms.CharField(label="住址", max_length=200, required=False)
    employer = forms.CharField(label="工作单位", max_length=100, required=False)
    signed_on = forms.DateField(label="签约日期", required=False,
                                help_text="按此日期适用的政策核对年龄等条件；留空为当前业务日期。",
                                widget=DatePicker())

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = ID_KEEP_HELP
            self.fields["is_active"] = forms.BooleanField(label="有效", required=False)
        _style(self)

    def service_data(self) -> dict:
        data = {key: value for key, value in self.cleaned_data.items() if key != "signed_on"}
        if not data.get("id_number"):
            data.pop("id_number", None)
        return data


class EmergencyContactForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    relation = forms.CharField(label="关系", max_length=20)
    mobile = forms.CharField(label="手机号", max_length=11)
    address = forms.CharField(label="地址", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
