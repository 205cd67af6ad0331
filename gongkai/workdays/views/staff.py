"""Staff page for the working-day calendar: confirmed years and the yearly import."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gongkai.core.roles import Role
from gongkai.core.views import staff_required
from gongkai.workdays import selectors, services

MAX_CSV_BYTES = 64 * 1024


class NoticeImportForm(forms.Form):
    file = forms.FileField(
        label="节假日安排CSV文件",
        help_text="每行一天：date,type,name，例如 2027-01-01,holiday,元旦；调休上班日写 workday。",
        error_messages={"required": "请选择要导入的CSV文件。", "empty": "上传的文件是空的。"},
    )
    source = forms.CharField(label="依据（通知名称和文号）", max_length=200, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError("文件过大：一年的节假日安排不超过几十行。")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("文件不是UTF-8编码的CSV文本，请另存为“CSV UTF-8”后重试。") from None


@staff_required
@require_http_methods(["GET", "POST"])
def calendar_years(request):
    can_import = request.user.has_role(Role.ADMIN)
    form = NoticeImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_import:
            raise PermissionDenied("只有系统管理员可以导入节假日安排。")
        if form.is_valid():
            try:
                year, count = services.calendar_import_notice(
                    actor=request.user, text=form.cleaned_data["file"], source=form.cleaned_data["source"]
                )
            except services.CalendarImportError as exc:
                form.add_error("file", exc.message)
            else:
                messages.success(request, f"已导入{year}年节假日安排，共{count}天。相关期限已按新日历计算。")
                return redirect("workdays:years")
    return render(
        request,
        "workdays/years.html",
        {
            "years": selectors.year_statuses(),
            "reminder": selectors.next_year_reminder(),
            "form": form,
            "can_import": can_import,
        },
    )
