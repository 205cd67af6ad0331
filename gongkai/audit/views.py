"""安全审计员's page: the audit log, filtered, paginated and exportable as CSV.

Only the security auditor reads it (三员分立): not the system administrator, not the security
administrator, and not an account that holds the auditor role together with either of them.
"""

import csv
import json
from typing import Any, cast

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongkai.audit import registry, selectors
from gongkai.audit.services import audit_record
from gongkai.core.forms import DateInput
from gongkai.core.personal_data import mask_personal_data
from gongkai.core.roles import Role, officer_conflicts
from gongkai.core.views import paginate, staff_required

CSV_MAX_ROWS = 100_000
SCOPES = [("", "全部"), ("agency", "本机关"), ("platform", "平台级（不属于任何机关）")]


def _choice_label(action: str) -> str:
    label = registry.label_for(action)
    return action if label == action else f"{label}（{action}）"


class LogFilterForm(forms.Form):
    date_from = forms.DateField(label="起始日期", required=False, widget=DateInput())
    date_to = forms.DateField(label="截止日期", required=False, widget=DateInput())
    actor = forms.CharField(label="操作人账号", required=False, max_length=150)
    action = forms.ChoiceField(label="操作", required=False)
    scope = forms.ChoiceField(label="范围", required=False, choices=SCOPES)

    def __init__(self, *args, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["action"]).choices = [
            ("", "全部"),
            *((a, _choice_label(a)) for a in actions),
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return data

    def log_filter(self) -> selectors.LogFilter:
        if not self.is_valid():
            return selectors.LogFilter()
        data = self.cleaned_data
        return selectors.LogFilter(
            date_from=data["date_from"],
            date_to=data["date_to"],
            actor=data["actor"].strip(),
            action=data["action"],
            scope=data["scope"],
        )


def require_auditor(user) -> None:
    """The security auditor only, and only one who holds no other of the three officers' roles."""
    if not user.has_role(Role.AUDITOR):
        raise PermissionDenied("您没有办理此事项的权限。")
    if officer_conflicts(user.role_set(), superuser=user.is_superuser):
        raise PermissionDenied(
            "安全审计员不能同时担任系统管理员或安全保密管理员（三员分立），请联系安全保密管理员调整角色。"
        )


def _row(event) -> dict:
    return {
        "event": event,
        "action_label": registry.label_for(event.action),
        "target_label": mask_personal_data(event.target_label),
        "comment": mask_personal_data(event.comment),
        "data": mask_personal_data(json.dumps(event.data, ensure_ascii=False, sort_keys=True))
        if event.data
        else "",
    }


@staff_required
def audit_log(request):
    require_auditor(request.user)
    form = LogFilterForm(request.GET or None, actions=selectors.audit_log_actions(request.user))
    events = selectors.audit_log(request.user, form.log_filter())
    if request.GET.get("format") == "csv":
        return _csv(request, events, form)
    page = paginate(request, events, per_page=50)
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "rows": [_row(e) for e in page.object_list]},
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: str) -> str:
    # A spreadsheet would run a cell that starts like a formula.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _csv(request, events, form) -> StreamingHttpResponse:
    audit_record(
        actor=request.user,
        action="audit_log_export",
        target=request.user,
        agency=request.user.agency,
        data={"filter": request.GET.urlencode()[:500]},
    )
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff"  # so that spreadsheet software reads the Chinese as UTF-8
        yield writer.writerow(
            [
                "时间",
                "操作人",
                "机关",
                "操作",
                "操作名称",
                "对象类型",
                "对象编号",
                "对象",
                "原状态",
                "新状态",
                "意见/理由",
                "详情",
            ]
        )
        for event in events[:CSV_MAX_ROWS].iterator(chunk_size=2000):
            row = _row(event)
            yield writer.writerow(
                [
                    _cell(v)
                    for v in (
                        timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                        event.actor.username if event.actor else "",
                        event.agency.name if event.agency else "",
                        event.action,
                        row["action_label"],
                        event.target_type,
                        event.target_id,
                        row["target_label"],
                        event.from_state,
                        event.to_state,
                        row["comment"],
                        row["data"],
                    )
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response
