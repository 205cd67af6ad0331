from django import forms

from gongkai.reports.sections import SECTIONS
from gongkai.reports.services import TEXT_MAX_CHARS
from gongkai.reports.workflow import Action


class ReportCreateForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2008, max_value=2100)


class ReportTextForm(forms.Form):
    """One text area per section (gongkai.reports.sections.SECTIONS); kept as typed on errors."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for section in SECTIONS:
            self.fields[section.key] = forms.CharField(
                label=section.heading
                or {"problems": "五、存在的主要问题及改进情况", "other": "六、其他需要报告的事项"}[
                    section.key
                ],
                help_text=section.hint,
                required=False,
                max_length=TEXT_MAX_CHARS,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 6}),
            )


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a.value, a.value) for a in Action])
    reason = forms.CharField(required=False, max_length=2000)
