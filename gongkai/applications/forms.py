from django import forms

from gongkai.applications import identity
from gongkai.applications.models import (
    Appeal,
    ApplicantType,
    DeliveryWay,
    IdType,
    Medium,
    OrgType,
    Satisfaction,
)
from gongkai.applications.outcomes import OUTCOMES
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


def _choices(enum, blank: str | None = None):
    return ([("", blank)] if blank else []) + list(enum.choices)


class ApplyForm(HoneypotMixin, FormTokenMixin, forms.Form):
    """政府信息公开申请表: the same fields for the online form and the window registration.

    With a honeypot field and a one-time form token (gongkai.core.intake)."""

    agency = forms.ModelChoiceField(
        label="受理机关",
        queryset=Agency.objects.filter(is_active=True),
        empty_label="请选择",
        error_messages={"required": "请选择受理机关。", "invalid_choice": "请选择受理机关。"},
    )
    applicant_type = forms.ChoiceField(
        label="申请人类型",
        choices=ApplicantType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择申请人类型。"},
    )
    name = forms.CharField(
        label="姓名或组织名称", max_length=100, error_messages={"required": "请填写姓名或名称。"}
    )
    id_type = forms.ChoiceField(
        label="证件类型（公民填写）", choices=_choices(IdType, "请选择"), required=False
    )
    id_number = forms.CharField(label="证件号码（公民填写）", max_length=40, required=False)
    org_type = forms.ChoiceField(
        label="组织类型（法人或其他组织填写）", choices=_choices(OrgType, "请选择"), required=False
    )
    credit_code = forms.CharField(
        label="统一社会信用代码（法人或其他组织填写）", max_length=18, required=False
    )
    legal_representative = forms.CharField(
        label="法定代表人（法人或其他组织填写）", max_length=50, required=False
    )
    contact_person = forms.CharField(label="联系人（法人或其他组织填写）", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, error_messages={"required": "请填写联系电话。"})
    address = forms.CharField(label="通信地址", max_length=200, required=False)
    postcode = forms.RegexField(
        label="邮政编码",
        regex=r"^\d{6}$",
        required=False,
        error_messages={"invalid": "邮政编码应为6位数字。"},
    )
    email = forms.EmailField(
        label="电子邮箱", required=False, error_messages={"invalid": "请填写有效的电子邮箱。"}
    )
    description = forms.CharField(
        label="所需政府信息的内容描述",
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 2000}),
        max_length=2000,
        error_messages={
            "required": "请描述所需政府信息的内容。",
            "max_length": "内容描述不能超过2000字，请精简或分次申请。",
        },
    )
    document_hint = forms.CharField(
        label="文件名称、文号或其他特征描述（如知道）", max_length=200, required=False
    )
    medium = forms.ChoiceField(
        label="获取信息的载体形式",
        choices=Medium.choices,
        widget=forms.RadioSelect,
        initial=Medium.ELECTRONIC,
        error_messages={"required": "请选择载体形式。"},
    )
    delivery = forms.ChoiceField(
        label="获取信息的方式",
        choices=DeliveryWay.choices,
        widget=forms.RadioSelect,
        initial=DeliveryWay.EMAIL,
        error_messages={"required": "请选择获取方式。"},
    )
    # A declared field: the form's metaclass moves it into base_fields, so form.files stays the
    # request's uploads; mypy sees only a class attribute over BaseForm.files.
    files = MultipleFileField(  # type: ignore[assignment]
        label="附件（可选，如身份证明；PDF、JPG、PNG、DOCX、XLSX，最多5个）", required=False
    )

    def clean(self):
        cleaned = super().clean()
        # The same checks as the service, here too, so that every problem is shown in one go.
        checks = [("phone", identity.check_mobile_or_phone)]
        if (
            cleaned.get("applicant_type") == ApplicantType.NATURAL
            and cleaned.get("id_type") == IdType.RESIDENT_ID
        ):
            checks.append(("id_number", identity.check_resident_id))
        if cleaned.get("applicant_type") == ApplicantType.LEGAL:
            checks.append(("credit_code", identity.check_credit_code))
        for field, check in checks:
            if cleaned.get(field):
                try:
                    cleaned[field] = check(cleaned[field])
                except identity.IdentityError as exc:
                    self.add_error(field, exc.message)
        if cleaned.get("delivery") == DeliveryWay.EMAIL and not cleaned.get("email"):
            self.add_error("email", "选择电子邮件获取的，请填写电子邮箱。")
        if cleaned.get("delivery") == DeliveryWay.POST and not cleaned.get("address"):
            self.add_error("address", "选择邮寄的，请填写通信地址。")
        return cleaned

    def applicant_data(self) -> dict:
        return {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("agency", "files", "form_token", "homepage")
        }


class RegisterForm(ApplyForm):
    # Staff registration: no honeypot (None removes an inherited declared field, Django's idiom).
    homepage = None  # type: ignore[assignment]
    channel = forms.ChoiceField(
        label="申请方式", choices=[("window", "当面提交"), ("post", "信函"), ("fax", "传真")]
    )
    received_on = forms.DateField(
        label="收到申请日期（信函为签收日，传真为双方确认日）",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请填写收到申请的日期。", "invalid": "日期格式不正确。"},
    )


class StatusForm(HoneypotMixin, forms.Form):
    query_code = forms.CharField(label="查询码", max_length=20, error_messages={"required": "请填写查询码。"})
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
    filed_on = forms.DateField(label="提起日期", widget=forms.DateInput(attrs={"type": "date"}))
    result = forms.ChoiceField(label="结果", choices=Appeal.Result.choices)
    decided_on = forms.DateField(
        label="审结日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label="说明", required=False, max_length=1000)
