"""Intake: a request stored online or registered by the office, with its receipt letter.

``application_submit`` is the storing step; ``gongkai.applications.intake.application_intake``
wraps it so that a repeated submission answers with the case it already made.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from gongkai.applications import notices
from gongkai.applications.applicant import APPLICATION_FIELDS, clean_applicant
from gongkai.applications.models import Application, ApplicationFile, CaseEvent, Channel, NoticeKind
from gongkai.audit.services import audit_record
from gongkai.core.roles import Role
from gongkai.documents.uploads import CheckedUpload, UploadRejected, check_upload, sha256_of
from gongkai.organisation.models import Agency, User
from gongkai.organisation.permissions import is_staff_of
from gongkai.workdays.clock import EventKind

MAX_FILES = 5


def check_files(files: list[UploadedFile[bytes]]) -> list[tuple[UploadedFile[bytes], CheckedUpload]]:
    """The attachments checked (count, type, size); ValidationError on ``files`` for the first bad one.

    The forms run it too, so a bad file is reported with the other mistakes in one round."""
    if len(files) > MAX_FILES:
        raise ValidationError({"files": f"最多上传{MAX_FILES}个附件。"})
    checked = []
    for upload in files:
        upload.seek(0)
        try:
            info = check_upload(
                upload.name or "",
                upload,
                upload.size or 0,
                max_bytes=settings.ATTACHMENT_MAX_BYTES,
            )
        except UploadRejected as exc:
            raise ValidationError({"files": exc.message}) from exc
        upload.seek(0)
        checked.append((upload, info))
    return checked


@transaction.atomic
def application_submit(
    *,
    agency: Agency,
    data: dict[str, Any],
    files: Sequence[UploadedFile[bytes]] = (),
    channel: str = Channel.ONLINE,
    received_on: datetime.date | None = None,
    actor: User | None = None,
) -> Application:
    """Store a request (online, or registered by the office with its confirmed received date)."""
    if channel != Channel.ONLINE:
        if actor is None or not is_staff_of(actor, agency.pk) or not actor.has_role(Role.OFFICE):
            raise PermissionDenied("只有政务公开办公室可以登记窗口、信函或传真申请。")
        if received_on is None:
            raise ValidationError({"received_on": "请填写收到申请的日期。"})
        if received_on > timezone.localdate():
            raise ValidationError({"received_on": "收到申请的日期不能晚于今天。"})
    else:
        # Online: received on the day both sides confirm, i.e. the day it is submitted here.
        received_on = timezone.localdate()
    if not agency.is_active:
        raise ValidationError({"agency": "该机关暂不受理网上申请。"})
    cleaned = clean_applicant(data)
    checked = check_files(list(files))
    application = Application.objects.create(
        agency=agency,
        channel=channel,
        received_on=received_on,
        registered_by=actor if getattr(actor, "pk", None) else None,
        **{key: cleaned.get(key) or "" for key in APPLICATION_FIELDS},
    )
    CaseEvent.objects.create(
        application=application,
        kind=EventKind.RECEIVED,
        on=received_on,
        actor=actor if getattr(actor, "pk", None) else None,
    )
    for upload, info in checked:
        stored = ApplicationFile(
            application=application,
            original_name=info.name,
            content_type=info.content_type,
            size=info.size,
            sha256=sha256_of(upload.chunks()),
        )
        upload.seek(0)
        stored.file.save(info.name, upload, save=False)
        stored.save()
    notices.notice_issue(actor=actor, application=application, kind=NoticeKind.RECEIPT, day=received_on)
    audit_record(
        actor=actor,
        action="application_submit",
        target=application,
        agency=agency,
        to_state=application.status,
        data={"channel": channel, "received_on": str(received_on)},
    )
    return application
