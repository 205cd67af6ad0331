"""What the letters quote beyond the request itself: the corrected request (补正) and the files of
the disclosed information sent with the reply (答复附件).

``correction_record`` is called by ``application_transition`` when the corrected request arrives
(inside its transaction); the reply attachments are added and removed by the office or the drafting
department while the reply can still change, each change audited.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from gongkai.applications.models import Application, ApplicationFile, ReplyAttachment
from gongkai.applications.services.common import check, locked
from gongkai.applications.workflow import Action, TransitionRefused
from gongkai.audit.services import audit_record
from gongkai.documents.uploads import CheckedUpload, UploadRejected, check_upload, sha256_of
from gongkai.organisation.models import User

MAX_CORRECTION_FILES = 5
MAX_REPLY_ATTACHMENTS = 20
CORRECTION_TEXT_MAX = 5000


def checked_uploads(
    files: Sequence[UploadedFile[bytes]], *, limit: int, field: str = "files"
) -> list[tuple[UploadedFile[bytes], CheckedUpload]]:
    """Every file checked by its content (``documents.uploads``); TransitionRefused names the first
    refused one."""
    if len(files) > limit:
        raise TransitionRefused(f"最多上传{limit}个文件。", field=field)
    checked = []
    for upload in files:
        upload.seek(0)
        try:
            info = check_upload(
                upload.name or "", upload, upload.size or 0, max_bytes=settings.ATTACHMENT_MAX_BYTES
            )
        except UploadRejected as exc:
            raise TransitionRefused(exc.message, field=field) from exc
        upload.seek(0)
        checked.append((upload, info))
    return checked


def _store(row: ApplicationFile | ReplyAttachment, upload: UploadedFile[bytes], info: CheckedUpload) -> None:
    row.original_name = info.name
    row.content_type = info.content_type
    row.size = info.size
    row.sha256 = sha256_of(upload.chunks())
    upload.seek(0)
    row.file.save(info.name, upload, save=False)
    row.save()


def correction_record(
    *,
    actor: User,
    application: Application,
    on: datetime.date,
    corrected_description: str = "",
    files: Sequence[UploadedFile[bytes]] = (),
) -> dict[str, object]:
    """Record what the applicant corrected: the corrected request text (cited by later letters as
    '补正后的申请内容') and its files (补正材料). The caller holds the case's row lock and audits the
    transition; the returned dict goes into that audit event."""
    text = corrected_description.strip()
    if len(text) > CORRECTION_TEXT_MAX:
        raise TransitionRefused(
            f"补正后的申请内容不能超过{CORRECTION_TEXT_MAX}字（当前{len(text)}字）。",
            field="corrected_description",
        )
    checked = checked_uploads(files, limit=MAX_CORRECTION_FILES)
    if text:
        application.corrected_description = text
    application.corrected_on = on
    names = []
    for upload, info in checked:
        _store(ApplicationFile(application=application, stage=ApplicationFile.Stage.CORRECTION), upload, info)
        names.append(info.name)
    return {"corrected_description": text, "correction_files": names}


# The reply's attachments change with the reply draft: while the draft may be saved.
_ATTACHMENT_ACTION = Action.SAVE_REPLY_DRAFT


@transaction.atomic
def reply_attachments_add(
    *, actor: User, application: Application, files: Sequence[UploadedFile[bytes]]
) -> list[ReplyAttachment]:
    """Attach files of the disclosed information to the reply (listed on its 附件 line)."""
    application = locked(application)
    check(actor, application, _ATTACHMENT_ACTION)
    if not files:
        raise TransitionRefused("请选择要附上的文件。", field="attachments")
    room = MAX_REPLY_ATTACHMENTS - application.reply_attachments.count()
    checked = checked_uploads(files, limit=max(room, 0), field="attachments")
    added = []
    for upload, info in checked:
        row = ReplyAttachment(application=application, uploaded_by=actor)
        _store(row, upload, info)
        added.append(row)
    audit_record(
        actor=actor,
        action="reply_attachment_add",
        target=application,
        agency=application.agency,
        data={"names": [row.original_name for row in added]},
    )
    return added


@transaction.atomic
def reply_attachment_remove(*, actor: User, attachment: ReplyAttachment) -> None:
    application = locked(attachment.application)
    check(actor, application, _ATTACHMENT_ACTION)
    name = attachment.original_name
    attachment.file.delete(save=False)
    attachment.delete()
    audit_record(
        actor=actor,
        action="reply_attachment_remove",
        target=application,
        agency=application.agency,
        data={"name": name},
    )
