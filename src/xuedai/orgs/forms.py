"""Forms for login, TOTP, set-up links, student activation and staff accounts (docs/security.md).

Forms only parse and validate input; the checks that count failures live in authn / activation,
because a lockout must hold whichever page or API the attempt comes through.
"""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from xuedai.identity.idnumbers import IdNumberError, clean_id_number

from .models import Role
from .passwords import validate_password


class BootstrapMixin:
    """Adds Bootstrap classes to widgets, and marks fields with errors for screen readers too."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


def forget(form: forms.Form, *names: str) -> None:
    """Blank fields before a form is shown again: an ID number is never echoed into a page."""
    data = form.data.copy()
    for name in names:
        data[form.add_prefix(name)] = ""
    form.data = data


class LoginForm(BootstrapMixin, forms.Form):
    identifier = forms.CharField(
        label="用户名或身份证号", max_length=150,
        help_text="工作人员填写用户名；学生填写本人身份证号。",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(label="密码", strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class TotpForm(BootstrapMixin, forms.Form):
    code = forms.CharField(
        label="动态口令", min_length=6, max_length=6,
        help_text="打开手机上的验证器应用（如 Microsoft Authenticator、Google 身份验证器），输入 6 位数字。",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "pattern": "[0-9]{6}", "autofocus": True}),
        error_messages={"min_length": "动态口令为 6 位数字。", "max_length": "动态口令为 6 位数字。"},
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError("动态口令为 6 位数字。")
        return code


class NewPasswordForm(BootstrapMixin, forms.Form):
    """A new password typed twice. The validators run in the service (they need the saved user)."""

    new_password1 = forms.CharField(label="新密码", strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password2 = forms.CharField(label="确认新密码", strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form, not at import, so it follows the request's language.
        self.fields["new_password1"].help_text = password_validation.password_validators_help_text_html()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_password1") and cleaned.get("new_password1") != cleaned.get("new_password2"):
            self.add_error("new_password2", "两次输入的密码不一致。")
        return cleaned


class ActivationForm(NewPasswordForm):
    id_number = forms.CharField(label="身份证号", max_length=18, min_length=18,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
                                error_messages={"min_length": "身份证号应为18位。"})
    fact = forms.CharField(label="预留手机号或学号", max_length=30,
                           help_text="填写申请贷款时登记的手机号，或学校的学号。")

    field_order = ["id_number", "fact", "new_password1", "new_password2"]

    def clean_id_number(self) -> str:
        # A checksum message reveals nothing about whether a borrower exists; it only catches typos.
        try:
            return clean_id_number(self.cleaned_data["id_number"])
        except IdNumberError as wrong:
            raise forms.ValidationError(str(wrong)) from None


class StaffUserForm(BootstrapMixin, forms.Form):
    username = forms.RegexField(
        label="用户名", max_length=150, regex=r"^[A-Za-z][A-Za-z0-9_.-]{2,149}$",
        help_text="以字母开头，3 位以上，可含字母、数字、下划线、点和短横线。",
        error_messages={"invalid": "用户名须以字母开头，只含字母、数字、下划线、点和短横线。"},
    )
    real_name = forms.CharField(label="姓名", max_length=50)
    mobile = forms.RegexField(label="手机号", regex=r"^1[3-9]\d{9}$", required=False,
                              error_messages={"invalid": "请输入 11 位手机号。"})
    roles = forms.MultipleChoiceField(
        label="角色", widget=forms.CheckboxSelectMultiple,
        choices=[(r.value, r.label) for r in Role if r != Role.STUDENT],
        error_messages={"required": "请选择至少一个角色。"},
    )


class PasswordChangeForm(BootstrapMixin, auth_forms.PasswordChangeForm):
    """Django's form (old password + validators against this user, birth date included)."""

    def validate_password_for_user(self, user, password_field_name="new_password2"):
        password = self.cleaned_data.get(password_field_name)
        if password:
            try:
                validate_password(password, user)
            except ValidationError as error:
                self.add_error(password_field_name, error)
