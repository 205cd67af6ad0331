"""Staff pages for the files sent with a reply (答复附件): add, remove, download."""

from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from gongkai.applications import selectors, services
from gongkai.applications.views.case import ATTACHMENTS_FORM, _answer
from gongkai.core.views import attachment_response, perform, staff_required


@staff_required
@require_POST
def add(request, pk: int):
    application = selectors.staff_application(request.user, pk)
    performed = perform(
        request,
        lambda: services.reply_attachments_add(
            actor=request.user, application=application, files=request.FILES.getlist("attachments")
        ),
        lambda added: f"已添加答复附件：{'、'.join(a.original_name for a in added)}。",
        field_labels={"attachments": "答复附件"},
    )
    return _answer(request, application, ATTACHMENTS_FORM, performed)


@staff_required
@require_POST
def remove(request, pk: int, attachment_pk: int):
    application = selectors.staff_application(request.user, pk)
    attachment = get_object_or_404(application.reply_attachments, pk=attachment_pk)
    performed = perform(
        request,
        lambda: services.reply_attachment_remove(actor=request.user, attachment=attachment),
        f"已删除答复附件“{attachment.original_name}”。",
    )
    return _answer(request, application, ATTACHMENTS_FORM, performed)


@staff_required
def download(request, pk: int, attachment_pk: int):
    application = selectors.staff_application(request.user, pk)
    return attachment_response(get_object_or_404(application.reply_attachments, pk=attachment_pk))
