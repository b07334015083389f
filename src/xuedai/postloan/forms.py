"""Page forms: they only collect input; rules.confirmation_errors and the services judge it, so the
student, the department and the university meet the same messages."""

from django import forms

from xuedai.borrowers.models import Borrower
from xuedai.orgs.models import User
from xuedai.widgets import DatePicker

from .models import ContactChannel, ContactResult, EmploymentStatus
from .services import proposals

_PHONE = {"inputmode": "numeric", "autocomplete": "off", "maxlength": "11"}


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class ConfirmationForm(forms.Form):
    """毕业确认: the student's details, co-borrowers' mobiles and an emergency contact [000 七]."""

    mobile = forms.CharField(label="本人手机号", required=False, widget=forms.TextInput(attrs=_PHONE))
    qq = forms.CharField(label="QQ号", max_length=20, required=False,
                         widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    wechat = forms.CharField(label="微信号", max_length=40, required=False)
    email = forms.CharField(label="电子邮箱", max_length=254, required=False,
                            widget=forms.EmailInput())
    address = forms.CharField(label="家庭住址", max_length=200, required=False)
    postal_code = forms.CharField(label="邮编", max_length=6, required=False)
    employment_status = forms.ChoiceField(label="就业状态", choices=EmploymentStatus.choices, required=False,
                                          widget=forms.RadioSelect)
    employer = forms.CharField(label="工作单位", max_length=100, required=False,
                               help_text="已就业填写单位名称；升学填写录取院校")
    employer_address = forms.CharField(label="单位地址", max_length=200, required=False)
    employer_phone = forms.CharField(label="单位电话", max_length=20, required=False)
    contact_name = forms.CharField(label="紧急联系人姓名", max_length=50, required=False)
    contact_relation = forms.CharField(label="紧急联系人关系", max_length=20, required=False)
    contact_mobile = forms.CharField(label="紧急联系人手机号", required=False,
                                     widget=forms.TextInput(attrs=_PHONE))
    contact_address = forms.CharField(label="紧急联系人地址", max_length=200, required=False)

    # The fields the student must fill, marked with * on the page (rules.confirmation_errors).
    REQUIRED = {"mobile", "address", "employment_status", "contact_name", "contact_relation",
                "contact_mobile"}

    def __init__(self, *args, borrower: Borrower, proposed: dict, employment_status: str, **kwargs):
        self.borrower = borrower
        self.contact_id = (proposed.get("contact") or {}).get("id")
        flat = proposals.flatten(proposed)
        kwargs.setdefault("initial", {**flat, "employment_status": employment_status})
        super().__init__(*args, **kwargs)
        self.co_borrowers = proposals.active_co_borrowers(borrower)
        for co in self.co_borrowers:
            who = f"共同借款人{co.name}（{co.get_relation_display()}）"
            self.fields[f"co_{co.pk}_mobile"] = forms.CharField(label=f"{who}手机号", required=False,
                                                                widget=forms.TextInput(attrs=_PHONE))
            self.fields[f"co_{co.pk}_address"] = forms.CharField(label=f"{who}住址", max_length=200,
                                                                 required=False)
            self.fields[f"co_{co.pk}_employer"] = forms.CharField(label=f"{who}工作单位", max_length=100,
                                                                  required=False)
            self.REQUIRED = self.REQUIRED | {f"co_{co.pk}_mobile"}
        _style(self)

    def sections(self) -> list[tuple[str, list]]:
        """Fields grouped as the page shows them (a phone screen reads top to bottom)."""
        names = {
            "个人联系方式": ["mobile", "qq", "wechat", "email", "address", "postal_code"],
            "就业情况": ["employment_status", "employer", "employer_address", "employer_phone"],
            "共同借款人": [n for n in self.fields if n.startswith("co_")],
            "紧急联系人": ["contact_name", "contact_relation", "contact_mobile", "contact_address"],
        }
        return [(title, [self[n] for n in fields]) for title, fields in names.items() if fields]

    def proposal(self) -> tuple[dict, str]:
        data = self.cleaned_data
        return (proposals.from_flat(self.borrower, data, contact_id=self.contact_id),
                data.get("employment_status") or "")

    def add_service_errors(self, error) -> None:
        for field, messages in getattr(error, "message_dict", {"__all__": error.messages}).items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class ContactForm(forms.Form):
    contacted_on = forms.DateField(label="联系日期", required=False,
                                   widget=DatePicker())
    channel = forms.ChoiceField(label="联系方式", choices=[("", "请选择"), *ContactChannel.choices],
                                required=False)
    result = forms.ChoiceField(label="联系结果", choices=[("", "请选择"), *ContactResult.choices],
                               required=False)
    note = forms.CharField(label="情况说明", max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    next_step = forms.CharField(label="下一步措施", max_length=200, required=False)
    next_contact_on = forms.DateField(label="下次联系日期", required=False,
                                      widget=DatePicker())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class AssignForm(forms.Form):
    staff = forms.ModelChoiceField(label="责任人", queryset=User.objects.none(), empty_label="选择院系责任人")
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, staff_choices: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["staff"]
        field.queryset = (User.objects.filter(pk__in=[u.pk for u in staff_choices])
                          .select_related("organisation").order_by("organisation__name", "real_name"))
        field.label_from_instance = lambda u: f"{u.organisation.name} · {u.real_name or u.username}"
        _style(self)
