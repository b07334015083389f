"""The "新增政策版本" form and the LPR form. Plain forms: the services do the writing and checks."""

from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model

from xuedai.widgets import DatePicker

from .models import LprRate, PolicyVersion
from .presentation import SECTIONS
from .regions import region_choices
from .services import VERSION_FIELDS

# Values a superseding version should not inherit: each notice has its own name, source and date.
NOT_COPIED = {"name", "source", "effective_from"}


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class PolicyVersionForm(forms.Form):
    """Every parameter of a version, in the detail page's sections."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(PolicyVersion, fields=VERSION_FIELDS))
        self.fields["region_code"] = forms.ChoiceField(
            label="适用地区", choices=region_choices(), required=False,
            help_text="全国版本适用于所有省份；省级版本在同一生效日优先于全国版本。")
        self.fields["effective_from"].widget = DatePicker()
        self.fields["source"].widget = forms.Textarea(attrs={"rows": 3})
        for name in ("fixed_rate", "risk_fund_rate", "risk_fund_finance_share", "risk_fund_university_share",
                     "quota_student_share"):
            self.fields[name].help_text = "以小数填写，如 6.55% 填 0.06550。"
        _style(self)

    @classmethod
    def initial_from(cls, version: PolicyVersion | None) -> dict:
        """Prefill from the version being superseded, except its name, source and date."""
        if version is None:
            return {}
        return {name: getattr(version, name) for name in VERSION_FIELDS if name not in NOT_COPIED}

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in SECTIONS]


class LprRateForm(forms.ModelForm):
    class Meta:
        model = LprRate
        fields = ["effective_from", "one_year", "five_year_plus"]
        widgets = {"effective_from": DatePicker()}
        help_texts = {"one_year": "以小数填写，如 3.00% 填 0.0300。",
                      "five_year_plus": "如 3.50% 填 0.0350。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def validate_unique(self):
        # The service reports a duplicate date with its own Chinese message.
        pass
