from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.applications.applicant import (
    APPLICATION_FIELDS,
    ASKED_FIELDS,
    BY_NAME,
    FIELDS,
    When,
    clean_applicant,
)
from gongkai.applications.models import Appeal, ApplicantType, Satisfaction
from gongkai.applications.outcomes import OUTCOMES
from gongkai.applications.services.intake import MAX_FILES, check_files
from gongkai.core.forms import DateInput, ErrorSummaryMixin
from gongkai.core.intake import FormTokenMixin, HoneypotMixin
from gongkai.organisation.models import Agency


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def applicant_field(
    name: str, *, widget: forms.Widget | None = None, initial: str | None = None
) -> forms.Field:
    """The form field of an applicant field of ``applicant.FIELDS``: its label, length, choices,
    help text, HTML hints and messages all from there (validated again by ``clean_applicant``).

    A choice required of everyone is a row of radio buttons, another a list with a blank first;
    a field required only in some cases (``When``) is optional here and left to ``clean_applicant``.
    A field of one type of applicant only is labelled without "（公民填写）": the fieldset it is in
    says so.
    """
    spec = BY_NAME[name]
    messages = {
        "required": spec.required_message,
        "max_length": spec.length_message,
        "invalid_choice": spec.choice_message,
    }
    required = spec.always_required
    label = spec.short_label if spec.applies_to else spec.label
    if spec.choices is not None:
        choices: list[tuple[str, str]] = [(str(v), str(label)) for v, label in spec.choices.choices]
        return forms.ChoiceField(
            label=label,
            choices=choices if required else [("", "请选择"), *choices],
            widget=widget or (forms.RadioSelect() if required else forms.Select()),
            required=required,
            initial=initial,
            help_text=spec.hint,
            error_messages=messages,
        )
    if widget is None:
        widget = forms.EmailInput() if spec.input_mode == "email" else forms.TextInput()
    hints = {"inputmode": spec.input_mode, "autocomplete": spec.autocomplete, "pattern": spec.pattern or ""}
    widget.attrs.update({key: value for key, value in hints.items() if value})
    return forms.CharField(
        label=label,
        max_length=spec.max_length,
        required=required,
        widget=widget,
        initial=initial,
        help_text=spec.hint,
        error_messages=messages,
    )


# The fields only one type of applicant fills in, each shown in its own fieldset.
TYPE_FIELDS: dict[str, tuple[str, ...]] = {
    kind: tuple(spec.name for spec in FIELDS if spec.asked and spec.applies_to == kind)
    for kind in ApplicantType.values
}
TYPE_HEADINGS: dict[str, str] = {
    ApplicantType.NATURAL: "自然人填写",
    ApplicantType.LEGAL: "法人或其他组织填写",
}


class ApplyForm(ErrorSummaryMixin, HoneypotMixin, FormTokenMixin, forms.Form):
    """政府信息公开申请表: the same fields for the online form and the window registration.

    The applicant's fields and their rules come from ``applications.applicant`` (as do the API's);
    with a honeypot field and a one-time form token (gongkai.core.intake).

    Both types of applicant have their fieldset (``type_fieldsets``); only the chosen type's fields
    are validated and kept, the other's are ignored (without JavaScript both are shown). Every
    mistake, the attachments' included, is reported in one round.
    """

    agency = forms.ModelChoiceField(
        label="受理机关",
        queryset=Agency.objects.filter(is_active=True),
        empty_label="请选择",
        error_messages={"required": "请选择受理机关。", "invalid_choice": "请选择受理机关。"},
    )
    applicant_type = applicant_field("applicant_type")
    name = applicant_field("name")
    id_type = applicant_field("id_type")
    id_number = applicant_field("id_number")
    org_type = applicant_field("org_type")
    credit_code = applicant_field("credit_code")
    legal_representative = applicant_field("legal_representative")
    contact_person = applicant_field("contact_person")
    phone = applicant_field("phone")
    address = applicant_field("address")
    postcode = applicant_field("postcode")
    email = applicant_field("email")
    description = applicant_field("description", widget=forms.Textarea(attrs={"rows": 6}))
    medium = applicant_field("medium")
    # No way of delivery is chosen for the applicant: a preset "e-mail" would then demand an address.
    delivery = applicant_field("delivery")
    # A declared field: the form's metaclass moves it into base_fields, so form.files stays the
    # request's uploads; mypy sees only a class attribute over BaseForm.files.
    files = MultipleFileField(  # type: ignore[assignment]
        label=f"附件（可选，如身份证明；PDF、JPG、PNG、DOCX、XLSX，最多{MAX_FILES}个）", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            spec = BY_NAME.get(name)
            # required_mark: "*" in the label; required_when: the condition, said next to it.
            field.required_mark = field.required  # type: ignore[attr-defined]
            field.required_when = ""  # type: ignore[attr-defined]
            if spec is None or not isinstance(spec.required, When):
                continue
            field.required_mark = True  # type: ignore[attr-defined]
            if spec.required.field == "applicant_type":
                field.widget.attrs["aria-required"] = "true"  # required within its fieldset
            else:
                field.required_when = f"{spec.required.wording}必填"  # type: ignore[attr-defined]

    @property
    def files_lost(self) -> bool:
        """True when files were chosen: a form shown again never keeps them (browsers drop them)."""
        uploads: Any = self.files  # the request's files (the declared field only shadows it for mypy)
        return bool(self.is_bound and uploads and any(uploads.getlist(key) for key in uploads))

    @property
    def chosen_type(self) -> str:
        value = self.data.get(self.add_prefix("applicant_type"), "") if self.is_bound else ""
        return value if value in ApplicantType.values else ""

    def type_fieldsets(self) -> list[dict[str, Any]]:
        """Each type of applicant's own fields: its value, heading and bound fields."""
        return [
            {"type": kind, "heading": TYPE_HEADINGS[kind], "fields": [self[name] for name in names]}
            for kind, names in TYPE_FIELDS.items()
        ]

    def _other_type_fields(self) -> tuple[str, ...]:
        kind = self.chosen_type
        return tuple(name for other, names in TYPE_FIELDS.items() if kind and other != kind for name in names)

    def clean_files(self) -> list:
        files = self.cleaned_data.get("files") or []
        try:
            check_files(files)  # reported with the other fields' mistakes, not in a second round
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["files"]) from None
        return files

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        # The other type's fields are ignored: whatever was typed there is neither checked nor kept.
        for name in self._other_type_fields():
            self.errors.pop(name, None)
            cleaned[name] = ""
        # The service's rules (clean_applicant), here too, so that every problem is shown in one go
        # with the same words; a field that already failed above keeps its first message.
        try:
            cleaned.update(clean_applicant({name: cleaned.get(name, "") for name in ASKED_FIELDS}))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                if not self.has_error(field):
                    self.add_error(field, messages)
        return cleaned

    def applicant_data(self) -> dict[str, str]:
        """The applicant's details as ``clean_applicant`` returned them (valid form only)."""
        return {name: self.cleaned_data[name] for name in APPLICATION_FIELDS if name in self.cleaned_data}


class RegisterForm(ApplyForm):
    """The office's registration of a request received at the window, by post or by fax: how and
    when it was received first, then the applicant as on the online form."""

    # Staff registration: no honeypot (None removes an inherited declared field, Django's idiom).
    homepage = None  # type: ignore[assignment]
    channel = forms.ChoiceField(
        label="申请方式",
        choices=[("", "请选择"), ("window", "当面提交"), ("post", "信函"), ("fax", "传真")],
        error_messages={"required": "请选择申请方式。", "invalid_choice": "请选择申请方式。"},
    )
    received_on = forms.DateField(
        label="收到申请日期",
        help_text="当面提交的为提交之日；信函为签收之日；传真为双方确认之日。",
        widget=DateInput(),
        error_messages={"required": "请填写收到申请的日期。", "invalid": "日期格式不正确。"},
    )

    field_order = ["channel", "received_on", "agency", "applicant_type"]

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise ValidationError("收到申请的日期不能晚于今天。")
        return received_on


class StatusForm(HoneypotMixin, forms.Form):
    # Typed as read out or printed: spaces, hyphens and lower case are fine (lookup.normalise_code).
    query_code = forms.CharField(
        label="查询码",
        max_length=40,
        error_messages={
            "required": "请填写查询码。",
            "max_length": "查询码为12位字母和数字，请核对后重新填写。",
        },
    )
    phone_tail = forms.RegexField(
        label="联系电话后四位",
        regex=r"^\d{4}$",
        error_messages={"required": "请填写联系电话后四位。", "invalid": "请填写联系电话的后四位数字。"},
    )


class SatisfactionForm(StatusForm):
    rating = forms.ChoiceField(
        label="您对答复的评价",
        choices=Satisfaction.Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择满意程度。"},
    )
    comment = forms.CharField(
        label="意见建议（可选）", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReplyDraftForm(forms.Form):
    outcome = forms.ChoiceField(
        label="办理结果",
        choices=[("", "请选择")]
        + [
            (o.code, o.label)
            for o in OUTCOMES.values()
            if o.code not in ("other_no_correction", "other_fee_unpaid")
        ],
    )
    reply_text = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 6}), max_length=10000)
    withheld_note = forms.CharField(
        label="不予公开的内容及理由（部分公开、不予公开时必填）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class AppealForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=Appeal.Kind.choices)
    filed_on = forms.DateField(label="提起日期", widget=DateInput())
    result = forms.ChoiceField(label="结果", choices=Appeal.Result.choices)
    decided_on = forms.DateField(label="审结日期", required=False, widget=DateInput())
    note = forms.CharField(label="说明", required=False, max_length=1000)
