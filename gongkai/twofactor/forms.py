from django import forms
from django.core.validators import RegexValidator


class CodeForm(forms.Form):
    """A 6-digit code from the authenticator app (spaces allowed, as apps show "123 456")."""

    code = forms.CharField(
        label="动态验证码",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
        error_messages={"required": "请输入身份验证器上显示的6位动态验证码。"},
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        RegexValidator(r"^\d{6}$", "动态验证码为6位数字。")(code)
        return code


class ResetForm(forms.Form):
    reason = forms.CharField(
        label="重置原因",
        max_length=200,
        error_messages={"required": "请填写重置原因（例如：手机丢失）。"},
    )
