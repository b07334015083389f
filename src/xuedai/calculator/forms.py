from django import forms

from xuedai.core.daycount import BASES
from xuedai.widgets import DatePicker

BASIS_CHOICES = [("pboc", "人民银行规则（整年按年利率）"), ("actual_360", "积数计息（实际天数/360）")]
assert {code for code, _ in BASIS_CHOICES} == set(BASES)


class QuoteForm(forms.Form):
    principal = forms.DecimalField(label="贷款金额（元）", max_digits=12, decimal_places=2, min_value=1)
    annual_rate = forms.DecimalField(
        label="年利率（%）", max_digits=6, decimal_places=4, min_value=0, help_text="如 5.65 表示 5.65%"
    )
    basis = forms.ChoiceField(label="计息方式", choices=BASIS_CHOICES, initial="pboc")
    disbursed_on = forms.DateField(label="放款日期", widget=DatePicker())
    self_pay_from = forms.DateField(
        label="自付利息起始日",
        required=False,
        widget=DatePicker(),
        help_text="毕业当年9月1日；仍在读留空",
    )
    principal_from = forms.DateField(
        label="首次还本日",
        required=False,
        widget=DatePicker(),
        help_text="留空则为自付后的第一个结息日",
    )
    maturity = forms.DateField(label="到期日", widget=DatePicker())
    as_of = forms.DateField(label="试算日期", widget=DatePicker())

    def to_request(self) -> dict:
        data = self.cleaned_data
        request = {
            "principal": str(data["principal"]),
            "annual_rate": str(data["annual_rate"] / 100),
            "basis": data["basis"],
            "disbursed_on": data["disbursed_on"].isoformat(),
            "maturity": data["maturity"].isoformat(),
            "as_of": data["as_of"].isoformat(),
        }
        for optional in ("self_pay_from", "principal_from"):
            if data.get(optional):
                request[optional] = data[optional].isoformat()
        return request
