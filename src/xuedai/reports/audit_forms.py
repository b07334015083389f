"""The audit page's search form."""

from django import forms

from xuedai.orgs.forms import BootstrapMixin
from xuedai.widgets import DatePicker

from .audit_display import action_label, object_type_label


class AuditSearchForm(BootstrapMixin, forms.Form):
    date_from = forms.DateField(label="开始日期", required=False,
                                widget=DatePicker())
    date_to = forms.DateField(label="结束日期", required=False,
                              widget=DatePicker())
    actor = forms.CharField(label="操作人", required=False, max_length=150,
                            help_text="姓名的一部分，或完整用户名")
    action = forms.ChoiceField(label="操作", required=False)
    object_type = forms.ChoiceField(label="对象类型", required=False)
    # Set by the links from a record's page (a student's 变更记录 → every change to that student).
    subject_key = forms.CharField(label="所属记录", required=False, max_length=80, widget=forms.HiddenInput)

    def __init__(self, *args, actions: list[str], object_types: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "全部"), *sorted(((a, action_label(a)) for a in actions),
                                                              key=lambda choice: choice[1])]
        self.fields["object_type"].choices = [("", "全部"),
                                              *[(t, object_type_label(t)) for t in object_types]]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "结束日期不能早于开始日期。")
        return cleaned
