"""Every date field shows its date in the one form a browser's date picker reads (YYYY-MM-DD).

Django's zh-hans input format writes dates as 2026/11/30, which an <input type="date"> shows as an
empty field: a date given as initial, or typed and sent back after an error, was lost on the next
submit (issue 13: the registration form's 收到申请日期 came back empty).
"""

import datetime
import pathlib
import re

from django import forms
from django.utils import translation

from gongkai.core.forms import DateInput

DAY = datetime.date(2026, 11, 30)
PACKAGE = pathlib.Path(__file__).resolve().parents[2]


def test_the_date_input_writes_iso_dates_under_the_chinese_locale():
    class Form(forms.Form):
        on = forms.DateField(widget=DateInput())

    with translation.override("zh-hans"):
        assert 'type="date"' in str(Form(initial={"on": DAY})["on"])
        assert 'value="2026-11-30"' in str(Form(initial={"on": DAY})["on"])
        assert 'value="2026-11-30"' in str(Form(data={"on": "2026-11-30"})["on"])


def test_the_registration_form_starts_with_todays_date_readable_by_the_picker():
    from gongkai.applications.forms import RegisterForm

    with translation.override("zh-hans"):
        assert 'value="2026-11-30"' in str(RegisterForm(initial={"received_on": DAY})["received_on"])


def test_no_form_builds_its_own_date_input():
    """Every date field uses core.forms.DateInput (a bare forms.DateInput writes 2026/11/30)."""
    offenders = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in PACKAGE.glob("gongkai/**/*.py")
        if "tests" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"forms\.DateInput\(", line)
    ]
    assert offenders == []
