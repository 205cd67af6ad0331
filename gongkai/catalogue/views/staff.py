"""Staff pages for drafting, reviewing and publishing catalogue items."""

from collections.abc import Callable
from typing import Any, cast

from csp.constants import NONCE
from csp.decorators import csp_update
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.audit.selectors import audit_events_for
from gongkai.catalogue import history_selectors, review, selectors, services
from gongkai.catalogue.forms import (
    AttachmentForm,
    ItemForm,
    RevisionForm,
    TransitionForm,
    ValidityForm,
)
from gongkai.catalogue.models import Item, ItemRevision
from gongkai.catalogue.workflow import (
    ACTION_LABELS,
    EDITABLE_STATUSES,
    ITEM_WORKFLOW,
    PUBLIC_STATUSES,
    REVIEW_STATUSES,
    REVISION_WORKFLOW,
    STATUS_LABELS,
    Action,
    Status,
    TransitionRefused,
)
from gongkai.core.review_findings import fingerprint, needing_decision
from gongkai.core.roles import Role
from gongkai.core.views import (
    FORM_ERRORS,
    Refusal,
    attachment_response,
    paginate,
    perform,
    refusal_errors,
    refuse,
    staff_required,
)
from gongkai.organisation.permissions import workflow_actor

# Pages with the 正文 editor: its <style> elements carry this response's nonce (body_editor.js).
# (django-csp types its decorators for views that take the request only.)
editor_styles = cast(Callable[[Callable[..., Any]], Callable[..., Any]], csp_update({"style-src": [NONCE]}))
HISTORY_ON_ITEM_PAGE = 5  # the newest versions; the history page lists them all
ITEM_LIST_STATUSES = [s for s in Status if s not in (Status.APPLIED, Status.DISCARDED)]


def _can_draft(user) -> bool:
    """May start a new item (for a department chosen on the form; the service checks which)."""
    return user.has_role(Role.CLERK, Role.OFFICE)


def _may_draft_item(user, item: Item) -> bool:
    """May edit this item's content: the service's own rule (office, or its department's clerk)."""
    return services.may_draft(user, item.agency_id, item.department_id)


# The names of an item page's forms other than the transitions (named by their actions).
VALIDITY_FORM = "validity"
UPLOAD_FORM = "upload"


def _actions(user, obj, workflow, refusal: Refusal | None = None):
    item = obj if isinstance(obj, Item) else obj.item
    actor = workflow_actor(user, agency_id=item.agency_id, department_id=item.department_id)
    return [
        {
            "action": t.action.value,
            "label": ACTION_LABELS[t.action],
            "reason_required": t.reason_required,
            "findings_decision": t.findings_decision,
            "typed": refusal.typed(t.action.value) if refusal else {},
            "errors": refusal.errors_for(t.action.value) if refusal else {},
        }
        for t in workflow.available(obj.status_enum, actor)
    ]


def _bound(form, refusal: Refusal):
    """A Django form bound to what was posted, with the refusal's messages beside its fields."""
    form.is_valid()
    for name, texts in refusal.errors.items():
        field = name if name in form.fields else None
        for text in texts:
            if text not in form.errors.get(field or NON_FIELD_ERRORS, []):
                form.add_error(field, text)
    return form


def _form_errors_of(form) -> dict[str, list[str]]:
    return {(FORM_ERRORS if k == NON_FIELD_ERRORS else k): list(v) for k, v in form.errors.items()}


def _findings_context(obj) -> dict:
    """The review's warnings while the content can still change or is in review (not once live)."""
    if obj.status_enum not in EDITABLE_STATUSES | REVIEW_STATUSES:
        return {"findings": []}
    findings = review.item_findings(obj) if isinstance(obj, Item) else review.revision_findings(obj)
    return {
        "findings": findings,
        "findings_seen": fingerprint(findings),
        "findings_need_decision": bool(needing_decision(findings)),
    }


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@staff_required
def item_list(request):
    items = selectors.items_for_staff(request.user)
    status = request.GET.get("status", "")
    if status in {s.value for s in ITEM_LIST_STATUSES}:
        items = items.filter(status=status)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        items = selectors.staff_search(items, q)
    counts = selectors.status_counts(request.user)
    statuses = [
        {"value": s.value, "label": STATUS_LABELS[s], "count": counts.get(s.value, 0)}
        for s in ITEM_LIST_STATUSES
    ]
    return render(
        request,
        "catalogue/staff/item_list.html",
        {
            "page": paginate(request, items.order_by("-updated_at", "-id"), per_page=30),
            "statuses": statuses,
            "status": status,
            "q": q,
            "can_draft": _can_draft(request.user),
        },
    )


@staff_required
def internal_list(request):
    return render(
        request,
        "catalogue/staff/internal_list.html",
        {
            "page": paginate(request, selectors.internal_items(request.user)),
        },
    )


@staff_required
@editor_styles
@require_http_methods(["GET", "POST"])
def item_create(request):
    if not _can_draft(request.user):
        raise PermissionDenied("只有股室经办人或政务公开办公室可以起草信息。")
    agency = request.user.agency
    form = ItemForm(request.POST or None, agency=agency, initial={"department": request.user.department_id})
    if request.method == "POST" and form.is_valid():
        content = form.content()
        try:
            item = services.item_create(actor=request.user, agency=agency, **content)
        except ValidationError as exc:
            _form_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "草稿已保存。可以继续上传附件，然后提交审核。")
            return redirect("catalogue_staff:detail", pk=item.pk)
    return render(request, "catalogue/staff/item_form.html", {"form": form, "item": None})


@staff_required
@editor_styles
@require_http_methods(["GET", "POST"])
def item_edit(request, pk: int):
    item = selectors.staff_item(request.user, pk)
    not_editable = f"“{item.status_label}”状态的信息不能直接修改。"
    if item.status_enum not in EDITABLE_STATUSES and request.method != "POST":
        messages.error(request, not_editable)
        return redirect("catalogue_staff:detail", pk=item.pk)
    if not _may_draft_item(request.user, item):
        raise PermissionDenied("只有本股室经办人或政务公开办公室可以修改信息。")
    form = ItemForm(request.POST or None, instance=item, agency=item.agency)
    if request.method == "POST" and item.status_enum not in EDITABLE_STATUSES:
        # Sent to review (or published) since the form was opened: the typed text stays on screen.
        form.is_valid()
        form.add_error(None, not_editable)
    elif request.method == "POST" and form.is_valid():
        try:
            services.item_update(actor=request.user, item=Item.objects.get(pk=item.pk), **form.content())
        except ValidationError as exc:
            _form_errors(form, exc)
        except (PermissionDenied, TransitionRefused) as exc:
            form.add_error(None, getattr(exc, "message", str(exc)))
        else:
            messages.success(request, "修改已保存。")
            return redirect("catalogue_staff:detail", pk=item.pk)
    return render(request, "catalogue/staff/item_form.html", {"form": form, "item": item})


@staff_required
def item_detail(request, pk: int):
    return _item_page(request, selectors.staff_item(request.user, pk))


def _item_page(request, item: Item, refusal: Refusal | None = None):
    """The item page; after a refusal (HTTP 200) with the posted form as typed and its messages."""
    validity_form = ValidityForm(initial={"validity": item.validity, "note": item.validity_note})
    if refusal and refusal.form == VALIDITY_FORM:
        validity_form = _bound(ValidityForm(refusal.data), refusal)
    open_revision = item.revisions.exclude(status__in=[Status.APPLIED, Status.DISCARDED]).first()
    may_draft_item = _may_draft_item(request.user, item)
    return render(
        request,
        "catalogue/staff/item_detail.html",
        {
            "item": item,
            "attachments": item.attachments.filter(revision__isnull=True),
            "actions": _actions(request.user, item, ITEM_WORKFLOW, refusal),
            "upload_errors": refusal.errors_for(UPLOAD_FORM) if refusal else {},
            "history": audit_events_for(item),
            "revisions": item.revisions.all(),
            "versions": history_selectors.item_versions(item)[:HISTORY_ON_ITEM_PAGE],
            "open_revision": open_revision,
            "can_edit": item.status_enum in EDITABLE_STATUSES and may_draft_item,
            # The same conditions revision_save applies (published, may draft for its department).
            "can_revise": item.status_enum in PUBLIC_STATUSES and may_draft_item and not open_revision,
            "can_set_validity": item.status_enum in PUBLIC_STATUSES
            and request.user.has_role(Role.OFFICE, Role.LEADER),
            "transition_form": TransitionForm(),
            "validity_form": validity_form,
            "validity_changes": item.validity_changes.select_related("recorded_by"),
            "attachment_form": AttachmentForm(),
            **_findings_context(item),
        },
    )


@staff_required
@require_POST
def item_action(request, pk: int):
    item = selectors.staff_item(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        invalid = refuse(
            request,
            _form_errors_of(form) if "action" not in form.errors else {FORM_ERRORS: ["操作无效，请重试。"]},
        )
        return _item_page(request, item, invalid.refusal(request, request.POST.get("action", "")))
    action = Action(form.cleaned_data["action"])
    performed = perform(
        request,
        lambda: services.item_transition(
            actor=request.user,
            item=item,
            action=action,
            reason=form.cleaned_data["reason"],
            filed_on=form.cleaned_data["filed_on"],
            decision=form.decision(),
        ),
        lambda done: f"已{ACTION_LABELS[action]}，当前状态：{done.status_label}。",
    )
    if performed.refused:
        item = selectors.staff_item(request.user, pk)
        return _item_page(request, item, performed.refusal(request, action.value))
    return redirect("catalogue_staff:detail", pk=item.pk)


@staff_required
@require_POST
def item_set_validity(request, pk: int):
    item = selectors.staff_item(request.user, pk)
    form = ValidityForm(request.POST)
    if form.is_valid():
        performed = perform(
            request,
            lambda: services.item_set_validity(actor=request.user, item=item, **form.cleaned_data),
            "有效性已更新。",
        )
    else:
        performed = refuse(request, _form_errors_of(form))
    if performed.refused:
        return _item_page(
            request, selectors.staff_item(request.user, pk), performed.refusal(request, VALIDITY_FORM)
        )
    return redirect("catalogue_staff:detail", pk=item.pk)


@staff_required
@require_POST
def attachment_upload(request, pk: int, revision_pk: int | None = None):
    item = selectors.staff_item(request.user, pk)
    revision = get_object_or_404(ItemRevision, pk=revision_pk, item=item) if revision_pk else None
    back = (
        redirect("catalogue_staff:revision", pk=revision.pk)
        if revision
        else redirect("catalogue_staff:detail", pk=item.pk)
    )
    if not _may_draft_item(request.user, item):
        raise PermissionDenied("只有本股室经办人或政务公开办公室可以上传附件。")
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        performed = refuse(request, _form_errors_of(form))
    else:
        try:
            attachment = services.attachment_add(
                actor=request.user, item=item, upload=form.cleaned_data["file"], revision=revision
            )
        except (ValidationError, TransitionRefused) as exc:
            performed = refuse(request, refusal_errors(exc, fields=("file",)))
        except PermissionDenied as exc:
            performed = refuse(request, {FORM_ERRORS: [str(exc)]})
        else:
            messages.success(request, f"附件“{attachment.original_name}”已上传。")
            return back
    # The item or revision page again, the message beside the upload (a file cannot be kept).
    refusal = performed.refusal(request, UPLOAD_FORM)
    if revision:
        return _revision_page(request, _staff_revision(request.user, revision.pk), refusal)
    return _item_page(request, selectors.staff_item(request.user, pk), refusal)


@staff_required
@require_POST
def attachment_delete(request, pk: int, attachment_pk: int):
    item = selectors.staff_item(request.user, pk)
    attachment = get_object_or_404(item.attachments, pk=attachment_pk)
    try:
        services.attachment_remove(actor=request.user, attachment=attachment)
    except (PermissionDenied, TransitionRefused) as exc:
        # Refused like every other form: the page again (HTTP 200), saying why.
        refusal = refuse(request, {FORM_ERRORS: [getattr(exc, "message", str(exc))]}).refusal(request, "")
        if attachment.revision_id:
            return _revision_page(request, _staff_revision(request.user, attachment.revision_id), refusal)
        return _item_page(request, selectors.staff_item(request.user, pk), refusal)
    messages.success(request, "附件已删除。")
    if attachment.revision_id:
        return redirect("catalogue_staff:revision", pk=attachment.revision_id)
    return redirect("catalogue_staff:detail", pk=item.pk)


@staff_required
def attachment_staff_download(request, pk: int, attachment_pk: int):
    item = selectors.staff_item(request.user, pk)
    return attachment_response(get_object_or_404(item.attachments, pk=attachment_pk))


@staff_required
@editor_styles
@require_http_methods(["GET", "POST"])
def revision_create(request, pk: int):
    item = selectors.staff_item(request.user, pk)
    if not _may_draft_item(request.user, item):
        raise PermissionDenied("只有本股室经办人或政务公开办公室可以发起修订。")
    form = RevisionForm(request.POST or None, instance=item, agency=item.agency)
    if request.method == "POST" and form.is_valid():
        try:
            revision = services.revision_save(
                actor=request.user,
                item=selectors.staff_item(request.user, pk),
                note=form.cleaned_data["note"],
                **form.content(),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        except (PermissionDenied, TransitionRefused) as exc:
            form.add_error(None, getattr(exc, "message", str(exc)))
        else:
            messages.success(request, "修订已保存。已发布的版本保持不变，修订经审核签发后生效。")
            return redirect("catalogue_staff:revision", pk=revision.pk)
    return render(
        request, "catalogue/staff/revision_form.html", {"form": form, "item": item, "revision": None}
    )


def _staff_revision(user, pk: int) -> ItemRevision:
    revision = get_object_or_404(ItemRevision.objects.select_related("item__agency"), pk=pk)
    selectors.staff_item(user, revision.item_id)  # 404 for other agencies
    return revision


@staff_required
@editor_styles
@require_http_methods(["GET", "POST"])
def revision_detail(request, pk: int):
    return _revision_page(request, _staff_revision(request.user, pk))


def _revision_page(request, revision: ItemRevision, refusal: Refusal | None = None):
    """The revision page (its edit form saved on POST); after a refused action or upload (HTTP
    200) with the posted form as typed and its messages."""
    item = revision.item
    may_draft_item = _may_draft_item(request.user, item)
    editable = revision.status_enum in EDITABLE_STATUSES and may_draft_item
    posted = request.method == "POST" and refusal is None  # the edit form itself was posted
    form = None
    if posted and not editable and may_draft_item:
        # Sent to review since the form was opened: the typed text stays on screen.
        form = RevisionForm(request.POST, instance=Item.objects.get(pk=item.pk), agency=item.agency)
        form.is_valid()
        form.add_error(None, f"修订当前为“{revision.status_label}”，不能修改。")
    elif editable:
        initial_item = Item.objects.get(pk=item.pk)
        for name, value in services.revision_fields(revision).items():
            setattr(initial_item, name, value)
        form = RevisionForm(
            request.POST if posted else None,
            instance=initial_item,
            agency=item.agency,
            initial={"note": revision.note},
        )
        if posted and form.is_valid():
            try:
                services.revision_save(
                    actor=request.user,
                    item=item,
                    revision=revision,
                    note=form.cleaned_data["note"],
                    **form.content(),
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            except (PermissionDenied, TransitionRefused) as exc:
                form.add_error(None, getattr(exc, "message", str(exc)))
            else:
                messages.success(request, "修订已保存。")
                return redirect("catalogue_staff:revision", pk=revision.pk)
    elif posted:
        raise PermissionDenied("此修订当前不能修改。")
    return render(
        request,
        "catalogue/staff/revision_detail.html",
        {
            "revision": revision,
            "item": item,
            "form": form,
            # Once applied, the item shows the new values: compare with what it showed before.
            "changes": history_selectors.revision_changes(revision),
            "attachments": revision.attachments.all(),
            "actions": _actions(request.user, revision, REVISION_WORKFLOW, refusal),
            "upload_errors": refusal.errors_for(UPLOAD_FORM) if refusal else {},
            "transition_form": TransitionForm(),
            "attachment_form": AttachmentForm(),
            **_findings_context(revision),
        },
    )


@staff_required
@require_POST
def revision_action(request, pk: int):
    revision = _staff_revision(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        invalid = refuse(
            request,
            _form_errors_of(form) if "action" not in form.errors else {FORM_ERRORS: ["操作无效，请重试。"]},
        )
        return _revision_page(request, revision, invalid.refusal(request, request.POST.get("action", "")))
    action = Action(form.cleaned_data["action"])
    performed = perform(
        request,
        lambda: services.revision_transition(
            actor=request.user,
            revision=revision,
            action=action,
            reason=form.cleaned_data["reason"],
            decision=form.decision(),
        ),
        lambda done: f"已{ACTION_LABELS[action]}，修订状态：{done.status_label}。",
    )
    if performed.refused:
        revision = _staff_revision(request.user, pk)
        return _revision_page(request, revision, performed.refusal(request, action.value))
    return redirect("catalogue_staff:revision", pk=revision.pk)
