"""Guards of anonymous public forms: the total upload size, a honeypot field, a one-time form token.

- ``limit_upload_size(request, max_bytes)`` installs an upload handler that stops reading files
  once the files of the request together pass ``max_bytes``: nothing past that is written to
  memory or disk, the text fields are still read (so the form can be shown again as typed), and
  ``upload_too_large(request)`` tells the view to refuse. It must run before ``request.POST`` is
  read, so the view is ``csrf_exempt`` and checks CSRF itself afterwards (see
  ``applications.views.public.apply``).
- ``HoneypotMixin`` adds a text field people never see (hidden by the ``gk-hp`` class of site.css,
  no inline style; out of the tab order; aria-hidden); a form that fills it is refused.
- ``FormTokenMixin`` adds a hidden one-time token, new on every fresh form, that the service claims
  when it stores the submission (a second POST with it gets the first's receipt).
"""

from __future__ import annotations

import re
import secrets

from django import forms
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

HONEYPOT_FIELD = "homepage"
HONEYPOT_REFUSAL = "提交未成功，请刷新页面后重新填写提交。"
TOKEN_FIELD = "form_token"  # noqa: S105 - a field name, not a secret
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"  # noqa: S105


def upload_size_words(max_bytes: int) -> str:
    """'20 MB' for 20 MiB: how the limit is written in messages."""
    return f"{max_bytes / (1024 * 1024):g} MB"


def upload_too_large_message(max_bytes: int) -> str:
    return (
        f"附件合计不能超过{upload_size_words(max_bytes)}，申请未提交。"
        "请压缩或删减附件后重新选择文件；已填写的其他内容已保留。"
    )


class SubmissionSizeLimit(FileUploadHandler):
    """Counts the bytes of every file in the request; past the limit, every file is skipped."""

    def __init__(self, request: HttpRequest, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0
        self.exceeded = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # A body larger than the limit plus room for the text fields cannot hold allowed files.
        if content_length and content_length > self.max_bytes + 1024 * 1024:
            self.exceeded = True

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        if self.exceeded:
            raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.exceeded = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler keeps the file


def limit_upload_size(request: HttpRequest, max_bytes: int) -> None:
    """Install the size limit for this request's files (before request.POST/FILES is read)."""
    request.upload_handlers.insert(0, SubmissionSizeLimit(request, max_bytes))


def upload_too_large(request: HttpRequest) -> bool:
    return any(
        isinstance(handler, SubmissionSizeLimit) and handler.exceeded for handler in request.upload_handlers
    )


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


class HoneypotInput(forms.TextInput):
    """A text input in a wrapper people and screen readers never see (core/widgets/honeypot.html).

    Counted as a hidden field, so ``form.as_p`` renders it without a visible label row.
    """

    template_name = "core/widgets/honeypot.html"

    @property
    def is_hidden(self) -> bool:
        return True


class HoneypotMixin(forms.Form):
    """A field only bots fill: ``{{ form.homepage }}`` in the template (as_p renders it too)."""

    homepage = forms.CharField(
        label="请勿填写此项",
        required=False,
        widget=HoneypotInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean(self):
        cleaned = super().clean()
        if (self.data.get(self.add_prefix(HONEYPOT_FIELD)) or "").strip():
            raise forms.ValidationError(HONEYPOT_REFUSAL, code="honeypot")
        return cleaned

    @property
    def honeypot_tripped(self) -> bool:
        return any(error.code == "honeypot" for error in self.non_field_errors().as_data())


class FormTokenMixin(forms.Form):
    """A one-time token per fresh form, posted back hidden; the service claims it atomically."""

    form_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial[TOKEN_FIELD] = new_form_token()

    def clean_form_token(self) -> str:
        # A token we could not have issued counts as none (the submission is still judged on its own).
        token = (self.cleaned_data.get(TOKEN_FIELD) or "").strip()
        return token if re.fullmatch(TOKEN_PATTERN, token) else ""
