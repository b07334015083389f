"""A date field shows its value: the browser's date input takes only YYYY-MM-DD, and Django would
write the active language's 2026/12/03 (the contact-date field started blank so)."""

import datetime as dt
import pathlib

from django.utils import translation

from xuedai.postloan.forms import ContactForm
from xuedai.widgets import DatePicker

SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "xuedai"


def test_the_contact_form_starts_with_today_in_the_format_the_input_reads():
    with translation.override("zh-hans"):
        html = str(ContactForm(initial={"contacted_on": dt.date(2026, 12, 3)})["contacted_on"])
    assert 'type="date"' in html and 'value="2026-12-03"' in html


def test_every_date_input_is_the_one_picker():
    others = [str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
              if "DateInput(" in p.read_text(encoding="utf-8") and p.name != "widgets.py"]
    assert others == []
    assert DatePicker().format == "%Y-%m-%d"
