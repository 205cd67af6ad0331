"""Public pages: apply online, the receipt, looking a request up, the satisfaction form."""

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from gongkai.applications import applicant_view, selectors, services
from gongkai.applications.forms import ApplyForm, SatisfactionForm, StatusForm
from gongkai.applications.intake import application_intake
from gongkai.applications.lookup import find_application, lookup_refusal
from gongkai.applications.models import Application, NoticeKind
from gongkai.applications.notices import ensure_pdf, masked_file
from gongkai.applications.outcomes import OUTCOMES
from gongkai.applications.workflow import PUBLIC_STATUS_LABELS
from gongkai.core import intake as intake_guards
from gongkai.core import ratelimit
from gongkai.core.dbdrops import (
    DROPPED_CONNECTION_ERRORS,
    FORM_NOT_SAVED,
    discard_broken_connections,
    retry_later,
)
from gongkai.core.views import generated_pdf_response

SESSION_KEY = "receipt_codes"  # the cases this browser submitted (their receipt is shown here)
VERIFIED_KEY = "verified_codes"  # the cases this browser looked up with code and phone tail


def _private(response):
    add_never_cache_headers(response)
    response["Cache-Control"] += ", private"
    return response


NOT_SUBMITTED = "申请未提交：请按提示修改标红的内容。已填写的内容都保留在表单中。"
# Browsers never fill a file input again: say so rather than claim everything was kept.
NOT_SUBMITTED_FILES_LOST = (
    "申请未提交：请按提示修改标红的内容。已填写的文字内容保留在表单中；您选择的附件未保存，请重新选择文件。"
)
REPEAT_NOTICE = "这份申请已经提交过，以下是该申请的受理回执（未重复登记）。"


def remember_receipt(request, application: Application) -> None:
    request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, [])[-9:], application.query_code]


@csrf_exempt  # the upload limit must be installed before the body is read; CSRF is checked below
@require_http_methods(["GET", "POST"])
def apply(request):
    if request.method == "POST":
        intake_guards.limit_upload_size(request, settings.INTAKE_UPLOAD_MAX_BYTES)
    return _apply(request)


@csrf_protect
def _apply(request):
    form = ApplyForm(
        request.POST or None, request.FILES or None, initial={"agency": request.GET.get("agency")}
    )
    http_status = 200
    if request.method == "POST":
        if intake_guards.upload_too_large(request):
            # Nothing is stored; the text fields are shown again, the files must be chosen again.
            form.is_valid()
            form.errors.pop("files", None)
            form.add_error("files", intake_guards.upload_too_large_message(settings.INTAKE_UPLOAD_MAX_BYTES))
            http_status = 413
        elif form.is_valid():
            http_status, response = _submit(request, form)
            if response is not None:
                return response
        elif form.honeypot_tripped:
            http_status = 400
    if request.method == "POST" and not form.is_valid() and http_status == 200:
        messages.error(request, NOT_SUBMITTED_FILES_LOST if form.files_lost else NOT_SUBMITTED)
    limit = intake_guards.upload_size_words(settings.INTAKE_UPLOAD_MAX_BYTES)
    context = {"form": form, "upload_limit": limit}
    response = render(request, "applications/public/apply.html", context, status=http_status)
    return _private(retry_later(response) if http_status == 503 else response)


def _submit(request, form: ApplyForm):
    """Store the valid form once (rate limit, one-time token): (status, redirect or None)."""
    try:
        ticket = ratelimit.acquire("applications", request)
    except ratelimit.RateLimited as exc:
        form.add_error(None, exc.message)
        return 429, None
    try:
        intake = application_intake(
            agency=form.cleaned_data["agency"],
            data=form.applicant_data(),
            files=form.cleaned_data["files"],
            form_token=form.cleaned_data.get("form_token", ""),
        )
    except ValidationError as exc:
        ratelimit.release(ticket)
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return 200, None
    except DROPPED_CONNECTION_ERRORS:
        # The transaction rolled back with the connection: nothing stored, the typed text is kept.
        # Rendering the form needs the database again; if it is still down, DroppedConnectionMiddleware
        # answers with the plain 503 page.
        discard_broken_connections()
        ratelimit.release(ticket)
        form.add_error(None, FORM_NOT_SAVED)
        return 503, None
    if not intake.created:
        ratelimit.release(ticket)
        messages.info(request, REPEAT_NOTICE)
    remember_receipt(request, intake.application)
    return 200, redirect("applications:receipt", code=intake.application.query_code)


def _own_receipt(request, code: str) -> Application:
    # The receipt is shown to the browser that submitted it; later look-ups need the phone digits.
    if code not in request.session.get(SESSION_KEY, []):
        raise Http404
    return Application.objects.select_related("agency").get(query_code=code)


@require_safe
def receipt(request, code: str):
    application = _own_receipt(request, code)
    return _private(
        render(
            request,
            "applications/public/receipt.html",
            {
                "application": application,
                "clock": selectors.case_clock(application),
                "status": PUBLIC_STATUS_LABELS[application.status_enum],
            },
        )
    )


@require_safe
def receipt_pdf(request, code: str):
    application = _own_receipt(request, code)
    notice = application.notices.filter(kind=NoticeKind.RECEIPT).first()
    if notice is None:
        raise Http404
    # The applicant's own receipt, generated here: shown in the browser, ready to print.
    with ensure_pdf(notice).pdf.open("rb") as stored:
        data = stored.read()
    return _private(generated_pdf_response(data, f"受理回执-{application.query_code}.pdf"))


@require_http_methods(["GET", "POST"])
def status(request):
    form = StatusForm(request.POST or None)
    context: dict[str, object] = {"form": form, "application": None}
    http_status = 200
    if request.method == "POST":
        if refusal := lookup_refusal(request, request.POST.get("query_code", "")):
            context["refused"] = refusal
            http_status = 429
        elif form.is_valid():
            application = find_application(
                request, form.cleaned_data["query_code"], form.cleaned_data["phone_tail"]
            )
            if application is None:
                context["not_found"] = True
                http_status = 404
            else:
                remember_verified(request, application)
                context.update(_status_context(application, form.cleaned_data))
    return _private(render(request, "applications/public/status.html", context, status=http_status))


def remember_verified(request, application: Application) -> None:
    """This browser gave the code and phone tail of this case: its letters may be downloaded here."""
    codes = [c for c in request.session.get(VERIFIED_KEY, []) if c != application.query_code]
    request.session[VERIFIED_KEY] = [*codes[-9:], application.query_code]


def _status_context(application: Application, lookup: dict) -> dict:
    clock = selectors.case_clock(application)
    return {
        "application": application,
        "status": PUBLIC_STATUS_LABELS[application.status_enum],
        "clock": clock,
        "correction": applicant_view.awaited_correction(application, clock),
        "timeline": applicant_view.timeline(application),
        "notices": applicant_view.applicant_notices(application),
        "satisfaction_form": SatisfactionForm(initial=lookup),
        "rated": hasattr(application, "satisfaction"),
        "delivered_on": application.notices.filter(kind=NoticeKind.REPLY)
        .values_list("delivered_on", flat=True)
        .first(),
        "outcome_label": OUTCOMES[application.outcome].label if application.outcome in OUTCOMES else "",
    }


@require_http_methods(["POST"])
def satisfaction(request):
    form = SatisfactionForm(request.POST)
    if refusal := lookup_refusal(request, request.POST.get("query_code", "")):
        return _private(
            render(
                request,
                "applications/public/status.html",
                {"form": StatusForm(), "refused": refusal},
                status=429,
            )
        )
    if not form.is_valid():
        application = None
        if form.cleaned_data.get("query_code") and form.cleaned_data.get("phone_tail"):
            application = find_application(
                request, form.cleaned_data["query_code"], form.cleaned_data["phone_tail"]
            )
        context = {"form": StatusForm(request.POST), "application": application}
        if application:
            context.update(_status_context(application, form.cleaned_data))
            context["satisfaction_form"] = form
        return _private(render(request, "applications/public/status.html", context, status=400))
    application = find_application(request, form.cleaned_data["query_code"], form.cleaned_data["phone_tail"])
    if application is None:
        return _private(
            render(
                request,
                "applications/public/status.html",
                {"form": StatusForm(request.POST), "not_found": True},
                status=404,
            )
        )
    remember_verified(request, application)
    try:
        services.satisfaction_submit(
            application=application, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "感谢您的评价，我们会认真改进工作。")
    context = {
        "form": StatusForm(initial=form.cleaned_data),
        **_status_context(application, form.cleaned_data),
    }
    return _private(render(request, "applications/public/status.html", context))


def _verified_case(request, code: str) -> Application:
    """The case of ``code`` if this browser submitted it or gave its code and phone tail; else 404."""
    if code not in request.session.get(VERIFIED_KEY, []) and code not in request.session.get(SESSION_KEY, []):
        raise Http404
    application = Application.objects.select_related("agency").filter(query_code=code).first()
    if application is None:
        raise Http404
    return application


@require_safe
def notice_pdf(request, code: str, pk: int):
    """A letter issued to the applicant, as PDF, personal data masked, for the verified browser only."""
    application = _verified_case(request, code)
    notice = (
        application.notices.filter(pk=pk, kind__in=applicant_view.APPLICANT_NOTICE_KINDS)
        .select_related("application")
        .first()
    )
    if notice is None:
        raise Http404
    response = HttpResponse(masked_file(notice, "pdf"), content_type="application/pdf")
    filename = quote(f"{notice.get_kind_display()}-{application.query_code}.pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return _private(response)
