"""Form widgets every app shares.

`DatePicker` is the browser's date field. It must be given its value as YYYY-MM-DD whatever the
locale: Django renders a date in the active language's format (2026/12/03 in zh-hans), which a
type="date" input rejects as invalid and shows blank — the contact-date field started empty so.
"""

from django import forms


class DatePicker(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
