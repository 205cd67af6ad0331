"""The staff workbench: sign-in and "my tasks" (我的待办: catalogue items, requests, reports)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils import timezone

from gongkai.applications.reminders import unread_notifications
from gongkai.applications.selectors import desk_for
from gongkai.catalogue import selectors
from gongkai.catalogue.workflow import STATUS_LABELS, Status
from gongkai.core.roles import Role
from gongkai.core.views import staff_required
from gongkai.reports.selectors import report_due, report_tasks
from gongkai.workdays.selectors import next_year_reminder

# Rows of each request list on the landing page; the queue page lists them all.
DESK_ROWS = 20


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。请注意密码区分大小写。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }


class LoginView(auth_views.LoginView):
    template_name = "workbench/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@staff_required
def home(request):
    user = request.user
    counts = selectors.status_counts(user)
    return render(
        request,
        "workbench/home.html",
        {
            "staff_notifications": unread_notifications(user),
            "requests": desk_for(user),
            "desk_rows": DESK_ROWS,
            "item_tasks": selectors.item_tasks(user)[:100],
            "revision_tasks": selectors.revision_tasks(user)[:100],
            "counts": [
                {"value": s.value, "label": STATUS_LABELS[s], "count": counts.get(s.value, 0)}
                for s in Status
                if counts.get(s.value)
            ],
            "roles": sorted(r.label for r in user.role_set()),
            "calendar_reminder": (next_year_reminder() if user.has_role(Role.ADMIN, Role.OFFICE) else None),
            # Regulation art. 49: last year's report is due from 1 January, late after 31 January.
            "report_due": (
                report_due(user.agency, timezone.localdate()) if user.has_role(Role.OFFICE) else None
            ),
            "report_tasks": list(report_tasks(user)),
        },
    )
