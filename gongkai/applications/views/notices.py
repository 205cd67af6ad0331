"""Staff pages for letters: one letter as PDF or DOCX, its delivery (or failed delivery), and the
office's list of letters waiting to be printed or delivered, printed in one batch."""

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile, File
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.applications import notices, selectors, services
from gongkai.applications.views.case import _answer, _date, _text, delivery_form, failed_delivery_form
from gongkai.core.params import int_param
from gongkai.core.roles import Role
from gongkai.core.views import attachment_response, generated_pdf_response, perform, staff_required

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@staff_required
def notice_file(request, pk: int, notice_pk: int, fmt: str):
    """A letter as PDF (shown in the browser, ready to print) or DOCX (downloaded), personal data
    masked unless ``full=1`` (for those handling the case, audited)."""
    application = selectors.staff_application(request.user, pk)
    notice = get_object_or_404(application.notices, pk=notice_pk)
    if fmt not in ("pdf", "docx"):
        raise Http404
    if request.GET.get("full") == "1":
        label = f"{notice.get_kind_display()} {notice.number}"
        services.personal_data_viewed(actor=request.user, application=application, what=label)
        stored: File[bytes] = notices.ensure_pdf(notice).pdf if fmt == "pdf" else notice.docx
    else:
        stored = ContentFile(notices.masked_file(notice, fmt))
    name = f"{notice.get_kind_display()}-{notice.number}.{fmt}"
    if fmt == "pdf":
        return generated_pdf_response(stored.open("rb"), name)
    return attachment_response(SimpleNamespace(file=stored, content_type=DOCX_TYPE, original_name=name))


@staff_required
@require_POST
def notice_delivered(request, pk: int, notice_pk: int):
    application = selectors.staff_application(request.user, pk)
    notice = get_object_or_404(application.notices, pk=notice_pk)
    performed = perform(
        request,
        lambda: services.notice_mark_delivered(
            actor=request.user,
            notice=notice,
            method=_text(request, "method"),
            on=_date(request.POST.get("on")) or timezone.localdate(),
            proof=_text(request, "proof"),
        ),
        "已记录送达。",
    )
    return _answer(request, application, delivery_form(notice.pk), performed)


@staff_required
@require_POST
def notice_failed(request, pk: int, notice_pk: int):
    application = selectors.staff_application(request.user, pk)
    notice = get_object_or_404(application.notices, pk=notice_pk)
    performed = perform(
        request,
        lambda: services.notice_mark_failed(
            actor=request.user,
            notice=notice,
            reason=request.POST.get("reason", ""),
            on=_date(request.POST.get("on")) or timezone.localdate(),
            method=_text(request, "method"),
            note=_text(request, "note"),
        ),
        "已记录送达失败，可在核实地址或联系申请人后重新送达。",
    )
    return _answer(request, application, failed_delivery_form(notice.pk), performed)


def _office_only(request) -> None:
    if not request.user.has_role(Role.OFFICE):
        raise PermissionDenied("只有政务公开办公室可以查看和打印待送达文书。")


@staff_required
def deliveries(request):
    """待打印/待送达文书: the office's letters across cases not yet delivered."""
    _office_only(request)
    return render(
        request,
        "applications/staff/deliveries.html",
        {
            "rows": selectors.notices_to_deliver(request.user),
            "batch_max": selectors.BATCH_PRINT_MAX,
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def deliveries_print(request):
    """The selected letters (``notice``, repeated) as one PDF shown in the browser, ready to print."""
    _office_only(request)
    data = request.POST if request.method == "POST" else request.GET
    pks = [pk for pk in (int_param(v) for v in data.getlist("notice")) if pk is not None]
    if len(pks) > selectors.BATCH_PRINT_MAX:
        messages.error(request, f"一次最多打印{selectors.BATCH_PRINT_MAX}份文书，请分批选择。")
        return redirect("applications_staff:deliveries")
    chosen = selectors.notices_for_printing(request.user, pks)
    if not chosen:
        messages.error(request, "请先勾选要打印的文书。")
        return redirect("applications_staff:deliveries")
    pdf = services.notices_print(actor=request.user, notices=chosen)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return generated_pdf_response(pdf, f"待送达文书-{len(chosen)}份-{stamp}.pdf")
