"""Staff pages for requests: registration, the applicant's files, the letter templates.

The case page and its actions are in ``views.case``, the queues in ``views.queues``, letters and
their delivery in ``views.notices``."""

from typing import cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from gongkai.applications import selectors, services
from gongkai.applications.forms import RegisterForm
from gongkai.applications.intake import application_intake
from gongkai.applications.letters import DEFAULT_TEMPLATES, placeholders_for
from gongkai.applications.models import NoticeKind, NoticeTemplate
from gongkai.core.dbdrops import (
    DROPPED_CONNECTION_ERRORS,
    FORM_NOT_SAVED,
    discard_broken_connections,
    retry_later,
)
from gongkai.core.roles import Role
from gongkai.core.textinput import refusal_message
from gongkai.core.views import attachment_response, staff_required


@staff_required
@require_http_methods(["GET", "POST"])
def register(request):
    if not request.user.has_role(Role.OFFICE):
        raise PermissionDenied("只有政务公开办公室可以登记申请。")
    form = RegisterForm(
        request.POST or None,
        request.FILES or None,
        initial={"agency": request.user.agency_id, "received_on": timezone.localdate()},
    )
    agency_field = cast(forms.ModelChoiceField, form.fields["agency"])
    if agency_field.queryset is not None:
        agency_field.queryset = agency_field.queryset.filter(pk=request.user.agency_id)
    if request.method == "POST" and form.is_valid():
        try:
            intake = application_intake(
                agency=form.cleaned_data["agency"],
                data=form.applicant_data(),
                files=form.cleaned_data["files"],
                form_token=form.cleaned_data.get("form_token", ""),
                channel=form.cleaned_data["channel"],
                received_on=form.cleaned_data["received_on"],
                actor=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except DROPPED_CONNECTION_ERRORS:
            # Rolled back with the connection; the form is shown again as typed (see public.apply).
            discard_broken_connections()
            form.add_error(None, FORM_NOT_SAVED)
            return retry_later(render(request, "applications/staff/register.html", {"form": form}))
        else:
            application = intake.application
            if intake.created:
                messages.success(request, f"申请已登记，查询码 {application.query_code}，受理回执已生成。")
            else:
                messages.info(request, f"该申请刚才已登记（查询码 {application.query_code}），未重复登记。")
            return redirect("applications_staff:detail", pk=application.pk)
    return render(request, "applications/staff/register.html", {"form": form})


@staff_required
def application_file(request, pk: int, file_pk: int):
    application = selectors.staff_application(request.user, pk)
    stored = get_object_or_404(application.files, pk=file_pk)
    services.personal_data_viewed(actor=request.user, application=application, what=stored.original_name)
    return attachment_response(stored)


@staff_required
@require_http_methods(["GET", "POST"])
def notice_templates(request):
    agency = request.user.agency
    is_office = request.user.has_role(Role.OFFICE)
    # A refused template comes back as typed, with the message next to it (nothing is lost).
    typed: dict[str, str] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not is_office:
            raise PermissionDenied("只有政务公开办公室可以修改文书模板。")
        kind, body = request.POST.get("kind", ""), request.POST.get("body", "")
        try:
            if message := refusal_message(body):
                raise ValidationError({"body": f"模板{message}"})
            services.notice_template_save(actor=request.user, agency=agency, kind=kind, body=body)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            if kind in NoticeKind.values:
                typed[kind], errors[kind] = body, "；".join(exc.messages)
        else:
            messages.success(request, "文书模板已保存，新出具的文书将使用新的措辞。")
            return redirect("applications_staff:templates")
    custom = {t.kind: t.body for t in NoticeTemplate.objects.filter(agency=agency)}
    rows = [
        {
            "kind": kind,
            "label": label,
            "body": typed.get(kind, custom.get(kind, DEFAULT_TEMPLATES[kind])),
            "custom": kind in custom,
            "error": errors.get(kind, ""),
            "placeholders": placeholders_for(kind),
        }
        for kind, label in NoticeKind.choices
    ]
    return render(request, "applications/staff/templates.html", {"rows": rows, "is_office": is_office})
