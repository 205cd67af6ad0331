from typing import cast

from django import forms

from gongkai.catalogue.models import Category, DisclosureMode, DocumentType, Item, Validity
from gongkai.catalogue.workflow import Action
from gongkai.core.forms import DateInput
from gongkai.core.html import body_html
from gongkai.core.review_findings import Decision
from gongkai.organisation.models import Department

CONTENT_FORM_FIELDS = [
    "title",
    "category",
    "department",
    "summary",
    "body",
    "publisher",
    "written_on",
    "document_number",
    "genre",
    "document_type",
    "effective_on",
    "disclosure_mode",
    "scope",
]


class RichTextarea(forms.Textarea):
    """The 正文 box: a plain textarea that the vendored editor (Jodit) takes over when scripts run.

    Its value is loaded as HTML: a body stored as plain text is given as paragraphs, so neither
    the editor nor the bare textarea ever gets escaped tags (the server sanitises what comes back).
    """

    class Media:
        css = {"all": ["catalogue/vendor/jodit/jodit.min.css", "catalogue/body_editor.css"]}
        # Deferred, in this order: they run once the page (and the textarea) is parsed.
        js = [
            forms.Script("catalogue/vendor/jodit/jodit.min.js", defer=True),
            forms.Script("catalogue/body_editor.js", defer=True),
        ]

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"rows": 16, "data-rich-text": "", **(attrs or {})})

    def format_value(self, value: object) -> str | None:
        return body_html(str(value)) if value else None


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return f"{obj.parent.name} / {obj.name}" if obj.parent is not None else obj.name


class ItemForm(forms.ModelForm):
    """名称、分类、正文等：起草和修订共用的内容字段。"""

    category = CategoryChoiceField(label="主题分类", queryset=Category.objects.none())

    class Meta:
        model = Item
        fields = CONTENT_FORM_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": RichTextarea(),
            "written_on": DateInput(),
            "effective_on": DateInput(),
        }
        help_texts = {
            "body": "可使用段落、标题、列表、表格和链接等基本格式，也可以从Word粘贴"
            "（保留段落、标题、列表和表格，去除字体、颜色等样式）；不能使用编辑器时，每行文字作为一段保存。",
            "scope": "选择“本机关内部”的信息只向本机关工作人员公开。",
            "effective_on": "规章、行政规范性文件必填；文件自该日起施行。",
        }
        error_messages = {
            "title": {"required": "请填写名称。", "max_length": "名称不能超过300个字。"},
            "category": {"required": "请选择主题分类。"},
            "document_type": {"invalid_choice": "请选择公文类别。", "required": "请选择公文类别。"},
            "written_on": {"invalid": "请填写有效的成文日期。"},
            "effective_on": {"invalid": "请填写有效的施行日期。"},
        }

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        cast(CategoryChoiceField, self.fields["category"]).queryset = (
            Category.objects.filter(agency=agency, is_active=True)
            .select_related("parent")
            .order_by("order", "id")
        )
        self.fields["category"].error_messages.update(
            invalid_choice="请选择本机关的主题分类。", required="请选择主题分类。"
        )
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = Department.objects.filter(
            agency=agency
        )
        self.fields["department"].required = True
        self.fields["department"].error_messages.update(
            invalid_choice="请选择本机关的股室。", required="请选择承办股室。"
        )
        # A form posted without it (an older page, a script) keeps the item's type, or 其他公文.
        self.fields["document_type"].required = False
        self.fields["publisher"].required = False
        self.fields["publisher"].initial = agency.name
        # Not disclosing is decided through its own review (propose_nondisclosure), not chosen here.
        cast(forms.ChoiceField, self.fields["disclosure_mode"]).choices = [
            c for c in DisclosureMode.choices if c[0] != DisclosureMode.NOT_DISCLOSED
        ]

    def clean_document_type(self) -> str:
        value = self.cleaned_data.get("document_type")
        if value:
            return value
        return self.instance.document_type if self.instance.pk else DocumentType.OTHER

    def content(self) -> dict:
        data = {name: self.cleaned_data[name] for name in CONTENT_FORM_FIELDS}
        if not data["publisher"]:
            data.pop("publisher")
        return data


class RevisionForm(ItemForm):
    note = forms.CharField(
        label="修订说明",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="写明修订了什么、为什么修订，供股室负责人、保密审查和领导审核时核对；提交审核前必须填写。",
        error_messages={"max_length": "修订说明不能超过300个字。"},
    )


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a.value, a.value) for a in Action])
    reason = forms.CharField(
        label="意见或理由", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    filed_on = forms.DateField(label="备案日期", required=False, widget=DateInput())
    findings_confirmed = forms.BooleanField(label="已核对上述提示，确认可以公开", required=False)
    findings_note = forms.CharField(label="核对说明", required=False, max_length=500)
    findings_seen = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def decision(self) -> Decision:
        """The reviewer's decision on the review findings (see gongkai.core.review_findings)."""
        return Decision(
            confirmed=self.cleaned_data["findings_confirmed"],
            note=self.cleaned_data["findings_note"],
            seen=self.cleaned_data["findings_seen"],
        )


class ValidityForm(forms.Form):
    validity = forms.ChoiceField(label="有效性", choices=Validity.choices)
    note = forms.CharField(label="说明", required=False, max_length=300)
    changed_on = forms.DateField(
        label="变更日期",
        required=False,
        widget=DateInput(),
        help_text="废止或失效生效的日期（如废止文件载明的日期）；不填为今天。",
        error_messages={"invalid": "请填写有效的变更日期。"},
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="附件", error_messages={"required": "请选择要上传的文件。", "empty": "上传的文件是空的。"}
    )
