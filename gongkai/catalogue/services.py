"""Writes to the catalogue. Each public function is one transaction and audits itself."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.catalogue.content import CONTENT_FIELDS, content_of, from_json, to_json
from gongkai.catalogue.history import version_close, version_open, version_replace
from gongkai.catalogue.models import (
    COUNTED_DOCUMENT_TYPES,
    Attachment,
    Category,
    Column,
    DisclosureMode,
    DocumentType,
    IndexSequence,
    Item,
    ItemRevision,
    VersionCause,
    VersionEnd,
)
from gongkai.catalogue.review import item_findings, revision_findings
from gongkai.catalogue.validity import item_set_validity as item_set_validity
from gongkai.catalogue.workflow import (
    EDITABLE_STATUSES,
    ITEM_WORKFLOW,
    PUBLIC_STATUSES,
    REVISION_WORKFLOW,
    Action,
    Status,
    TransitionRefused,
)
from gongkai.core.html import sanitize_body
from gongkai.core.review_findings import Decision, required_decision
from gongkai.documents.uploads import UploadRejected, check_upload, sha256_of
from gongkai.organisation.models import Agency, Department, User
from gongkai.organisation.permissions import acts_for_department, is_staff_of, workflow_actor
from gongkai.search.index import sync_item
from gongkai.search.services import schedule_extraction

# Set once when a draft is created (e.g. by the importer), never edited afterwards.
CREATE_ONLY_FIELDS = ("source_note",)


def may_draft(actor: User, agency_id: int, department_id: int | None) -> bool:
    """Clerks draft for their own department; the disclosure office for any."""
    try:
        _check_can_draft(actor, agency_id, department_id)
    except PermissionDenied:
        return False
    return True


def _check_can_draft(actor: User, agency_id: int, department_id: int | None) -> None:
    if not is_staff_of(actor, agency_id):
        raise PermissionDenied("只能为本机关起草信息。")
    if not acts_for_department(actor, agency_id=agency_id, department_id=department_id):
        raise PermissionDenied("只有本股室经办人或政务公开办公室可以起草和修改信息。")


def _clean_content(agency: Agency, fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(fields)
    if "body" in cleaned:
        cleaned["body"] = sanitize_body(cleaned["body"])
    if "title" in cleaned:
        cleaned["title"] = " ".join(str(cleaned["title"]).split())
        if not cleaned["title"]:
            raise ValidationError({"title": "请填写名称。"})
    if cleaned.get("disclosure_mode") == DisclosureMode.NOT_DISCLOSED:
        # Seed 004 art. 17: only the leading group decides that an item is not disclosed.
        raise ValidationError({"disclosure_mode": "不予公开须经政务公开领导小组审批，请使用“提请不予公开”。"})
    if "department" in cleaned and cleaned["department"] is None:
        raise ValidationError({"department": "请选择承办股室。"})
    category = cleaned.get("category")
    if category is not None and category.agency_id != agency.pk:
        raise ValidationError({"category": "请选择本机关的主题分类。"})
    department = cleaned.get("department")
    if department is not None and department.agency_id != agency.pk:
        raise ValidationError({"department": "请选择本机关的股室。"})
    if "document_type" in cleaned and cleaned["document_type"] not in DocumentType.values:
        raise ValidationError({"document_type": "请选择公文类别。"})
    return cleaned


def _check_document_type(values: dict[str, Any]) -> None:
    """规章 and 行政规范性文件 carry their 文号, 成文日期 and 施行日期 (table 二 counts them by
    these dates; 规章制定程序条例 art. 31-32, 国办发〔2018〕37号 on 行政规范性文件).

    ``values``: the item's content as it will be (the stored fields with the changes applied).
    Raises ValidationError with a Chinese message per missing or inconsistent field.
    """
    kind = values.get("document_type") or DocumentType.OTHER
    if kind not in COUNTED_DOCUMENT_TYPES:
        return
    label = DocumentType(kind).label
    errors: dict[str, str] = {}
    if not str(values.get("document_number") or "").strip():
        errors["document_number"] = f"{label}须填写文号。"
    if not values.get("written_on"):
        errors["written_on"] = f"{label}须填写成文日期。"
    if not values.get("effective_on"):
        errors["effective_on"] = f"{label}须填写施行日期。"
    elif values.get("written_on") and values["effective_on"] < values["written_on"]:
        errors["effective_on"] = "施行日期不能早于成文日期。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def item_create(
    *,
    actor: User,
    agency: Agency,
    category: Category,
    title: str,
    department: Department | None = None,
    **fields: Any,
) -> Item:
    _check_can_draft(actor, agency.pk, department.pk if department else None)
    unknown = set(fields) - set(CONTENT_FIELDS) - set(CREATE_ONLY_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    content = _clean_content(
        agency, {"title": title, "category": category, "department": department, **fields}
    )
    content.setdefault("publisher", agency.name)
    _check_document_type(content)
    item = Item.objects.create(agency=agency, created_by=actor, status=Status.DRAFT, **content)
    audit_record(actor=actor, action="item_create", target=item, agency=agency, to_state=item.status)
    return item


@transaction.atomic
def item_update(*, actor: User, item: Item, **fields: Any) -> Item:
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.status_enum not in EDITABLE_STATUSES:
        raise TransitionRefused(f"“{item.status_label}”状态的信息不能直接修改；已发布的信息请发起修订。")
    new_department = fields.get("department", item.department)
    _check_can_draft(actor, item.agency_id, item.department_id)
    _check_can_draft(actor, item.agency_id, new_department.pk if new_department else None)
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    changes = _clean_content(item.agency, fields)
    _check_document_type({**content_of(item), **changes})
    changed = [name for name, value in changes.items() if getattr(item, name) != value]
    for name, value in changes.items():
        setattr(item, name, value)
    item.refresh_is_public()
    item.save()
    audit_record(actor=actor, action="item_update", target=item, agency=item.agency, data={"fields": changed})
    return item


def _next_index_number(item: Item, when: datetime.datetime) -> str:
    year = timezone.localtime(when).year
    # The locked row makes two publications of one agency never share a serial.
    sequence, _ = IndexSequence.objects.select_for_update().get_or_create(agency=item.agency, year=year)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return f"{item.agency.code}/{year}-{sequence.last_value:05d}"


@transaction.atomic
def item_transition(
    *,
    actor: User,
    item: Item,
    action: Action,
    reason: str = "",
    filed_on: datetime.date | None = None,
    decision: Decision | None = None,
) -> Item:
    """The one way an item changes state: checks the rules, applies, audits.

    ``decision``: the reviewer's decision on the review findings, required (TransitionRefused
    otherwise) by the transitions the table marks ``findings_decision`` when there are findings.
    """
    item = Item.objects.select_for_update().select_related("agency").get(pk=item.pk)
    source = item.status_enum
    transition = ITEM_WORKFLOW.check(
        Action(action),
        source,
        workflow_actor(actor, agency_id=item.agency_id, department_id=item.department_id),
        reason,
    )
    acknowledged = required_decision(transition.findings_decision, lambda: item_findings(item), decision)
    now = timezone.now()
    item.status = transition.target
    if transition.action == Action.RETURN or transition.action == Action.REJECT_NONDISCLOSURE:
        item.return_reason = reason.strip()
    if transition.action == Action.SUBMIT:
        item.return_reason = ""
    if transition.target == Status.PUBLISHED:
        item.published_at = now
        if not item.index_number:
            item.index_number = _next_index_number(item, now)
    if transition.action == Action.FILE:
        filed_on = filed_on or timezone.localdate()
        if item.published_at and filed_on < timezone.localtime(item.published_at).date():
            raise TransitionRefused("备案日期不能早于发布日期。")
        item.filed_on = filed_on
    if transition.action == Action.WITHDRAW:
        item.withdrawal_reason = reason.strip()
    if transition.action == Action.PROPOSE_NONDISCLOSURE:
        item.nondisclosure_ground = reason.strip()
    if transition.action == Action.APPROVE_NONDISCLOSURE:
        item.disclosure_mode = "not_disclosed"
    item.refresh_is_public()
    item.save()
    if transition.target in PUBLIC_STATUSES and source not in PUBLIC_STATUSES:
        version_open(item=item, actor=actor, cause=VersionCause.PUBLISHED, at=now)
    elif source in PUBLIC_STATUSES and transition.target not in PUBLIC_STATUSES:
        version_close(item=item, actor=actor, at=now, end=VersionEnd.WITHDRAWN)
    sync_item(item)  # the search index changes in the same transaction
    audit_record(
        actor=actor,
        action=f"item_{transition.action}",
        target=item,
        agency=item.agency,
        from_state=source,
        to_state=item.status,
        comment=reason.strip(),
        data={
            "index_number": item.index_number or "",
            "filed_on": str(item.filed_on or ""),
            **acknowledged,
        },
    )
    return item


def revision_fields(revision: ItemRevision) -> dict[str, Any]:
    """The revision's changes as model values (categories and departments loaded)."""
    return from_json(revision.changes)


# The reviewers and the leader read what the clerk changed and why before they sign it.
NOTE_REQUIRED = "请先填写修订说明（修订了什么、为什么修订），再提交审核。"


@transaction.atomic
def revision_save(
    *, actor: User, item: Item, note: str = "", revision: ItemRevision | None = None, **fields: Any
) -> ItemRevision:
    """Start (or edit) a revision of a published item; the live version stays as it is."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.status_enum not in PUBLIC_STATUSES:
        raise TransitionRefused("只有已发布的信息才能发起修订；未发布的信息请直接修改。")
    _check_can_draft(actor, item.agency_id, item.department_id)
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    changes = _clean_content(item.agency, fields)
    _check_document_type({**content_of(item), **changes})
    changes = {k: v for k, v in changes.items() if getattr(item, k) != v}
    if revision is None:
        if item.revisions.exclude(status__in=[Status.APPLIED, Status.DISCARDED]).exists():
            raise TransitionRefused("该信息已有一份未完成的修订，请先完成或放弃它。")
        revision = ItemRevision.objects.create(
            item=item, created_by=actor, note=note.strip(), changes=to_json(changes)
        )
        action = "revision_create"
    else:
        revision = ItemRevision.objects.select_for_update().get(pk=revision.pk, item=item)
        if revision.status_enum not in EDITABLE_STATUSES:
            raise TransitionRefused(f"“{revision.status_label}”状态的修订不能修改。")
        revision.changes = to_json(changes)
        revision.note = note.strip()
        revision.save()
        action = "revision_update"
    audit_record(
        actor=actor,
        action=action,
        target=item,
        agency=item.agency,
        data={"revision": revision.pk, "fields": sorted(changes)},
    )
    return revision


@transaction.atomic
def revision_transition(
    *, actor: User, revision: ItemRevision, action: Action, reason: str = "", decision: Decision | None = None
) -> ItemRevision:
    """The one way a revision changes state; ``decision`` as for ``item_transition``."""
    revision = ItemRevision.objects.select_for_update().select_related("item__agency").get(pk=revision.pk)
    item = Item.objects.select_for_update().get(pk=revision.item_id)
    source = revision.status_enum
    transition = REVISION_WORKFLOW.check(
        Action(action),
        source,
        workflow_actor(actor, agency_id=item.agency_id, department_id=item.department_id),
        reason,
    )
    if transition.action == Action.SUBMIT and not revision.note.strip():
        raise TransitionRefused(NOTE_REQUIRED, field="note")
    acknowledged = required_decision(
        transition.findings_decision, lambda: revision_findings(revision), decision
    )
    revision.status = transition.target
    if transition.action == Action.RETURN:
        revision.return_reason = reason.strip()
    elif transition.action == Action.SUBMIT:
        revision.return_reason = ""
    revision.save()
    if transition.target == Status.APPLIED:
        if item.status_enum not in PUBLIC_STATUSES:
            raise TransitionRefused("该信息已不在发布状态，修订不能生效。")
        for name, value in revision_fields(revision).items():
            setattr(item, name, value)
        # The 索引号 never changes; the page shows when it was last revised.
        item.refresh_is_public()
        item.save()
        revision.attachments.update(revision=None)  # before indexing: their text is searchable now
        # What the public saw until now is kept: the live version ends, this content is the next.
        version_replace(
            item=item, actor=actor, cause=VersionCause.REVISED, at=timezone.now(), revision=revision
        )
        sync_item(item)  # the search index changes in the same transaction
    audit_record(
        actor=actor,
        action=f"revision_{transition.action}",
        target=item,
        agency=item.agency,
        from_state=source,
        to_state=revision.status,
        comment=reason.strip(),
        data={"revision": revision.pk, **acknowledged},
    )
    return revision


@transaction.atomic
def attachment_add(
    *, actor: User, item: Item, upload: UploadedFile[bytes], revision: ItemRevision | None = None
) -> Attachment:
    item = Item.objects.select_for_update().get(pk=item.pk)
    _check_can_draft(actor, item.agency_id, item.department_id)
    if revision is None and item.status_enum not in EDITABLE_STATUSES:
        raise TransitionRefused("只能为草稿或已退回的信息添加附件；已发布的信息请在修订中添加。")
    if revision is not None and (
        revision.item_id != item.pk or revision.status_enum not in EDITABLE_STATUSES
    ):
        raise TransitionRefused("只能在草稿或已退回的修订中添加附件。")
    try:
        checked = check_upload(
            upload.name or "", upload, upload.size or 0, max_bytes=settings.ATTACHMENT_MAX_BYTES
        )
    except UploadRejected as exc:
        raise ValidationError(exc.message) from exc
    upload.seek(0)
    digest = sha256_of(upload.chunks())
    upload.seek(0)
    attachment = Attachment(
        item=item,
        revision=revision,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=digest,
        uploaded_by=actor,
    )
    attachment.file.save(checked.name, upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    schedule_extraction(attachment)  # after the commit, bounded, outside this transaction
    audit_record(
        actor=actor,
        action="attachment_add",
        target=item,
        agency=item.agency,
        data={"attachment": attachment.pk, "name": checked.name, "sha256": digest},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor: User, attachment: Attachment) -> None:
    item = Item.objects.select_for_update().get(pk=attachment.item_id)
    _check_can_draft(actor, item.agency_id, item.department_id)
    status = attachment.revision.status_enum if attachment.revision is not None else item.status_enum
    editable = status in EDITABLE_STATUSES
    if not editable:
        raise TransitionRefused("已发布或审核中的附件不能删除。")
    name = attachment.original_name
    stored = attachment.file.name
    attachment.delete()
    if stored:  # always, for a saved attachment
        transaction.on_commit(lambda: attachment.file.storage.delete(stored))
    audit_record(
        actor=actor, action="attachment_remove", target=item, agency=item.agency, data={"name": name}
    )


DEFAULT_CATEGORIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # (column, name, children)
    (Column.GUIDE, "政府信息公开指南", ()),
    (Column.RULES, "政府信息公开制度", ()),
    (
        Column.STATUTORY,
        "法定主动公开内容",
        (
            "机构职能",
            "法规文件",
            "行政许可和服务事项",
            "办事程序和时限",
            "服务承诺",
            "办事纪律和廉政制度",
            "统计信息",
            "规划计划",
            "财政预决算与收费",
            "重大决策",
            "突发事件",
            "行政执法",
            "人事",
            "其他",
        ),
    ),
    (Column.ANNUAL_REPORT, "政府信息公开年报", ()),
)


@transaction.atomic
def categories_seed_defaults(*, agency: Agency) -> list[Category]:
    """Give an agency the standard catalogue tree (idempotent); agencies edit it afterwards."""
    created = []
    for order, (column, name, children) in enumerate(DEFAULT_CATEGORIES):
        parent, made = Category.objects.get_or_create(
            agency=agency, parent=None, name=name, defaults={"column": column, "order": order * 100}
        )
        if made:
            created.append(parent)
        for child_order, child in enumerate(children):
            node, made = Category.objects.get_or_create(
                agency=agency,
                parent=parent,
                name=child,
                defaults={"column": column, "order": order * 100 + child_order + 1},
            )
            if made:
                created.append(node)
    return created
