"""Changes of a published item's 有效性 (已修改/已废止/已失效/有效), dated, with their history.

Re-exported by gongkai.catalogue.services (the catalogue's write API). The dated history
(ValidityChange) is what table 二 of the annual report counts (gongkai.reports.table2).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.catalogue.history import version_replace
from gongkai.catalogue.models import Item, Validity, ValidityChange, VersionCause
from gongkai.catalogue.workflow import PUBLIC_STATUSES, TransitionRefused
from gongkai.core.roles import Role
from gongkai.organisation.models import User
from gongkai.organisation.permissions import workflow_actor
from gongkai.search.index import sync_item


@transaction.atomic
def item_set_validity(
    *, actor: User, item: Item, validity: str, note: str, changed_on: datetime.date | None = None
) -> Item:
    """Mark a published item 已修改/已废止/已失效 (or 有效 again); the page stays with the mark.

    ``changed_on``: the date the change took effect (e.g. the 废止 date the repealing document
    states), Beijing calendar; today when omitted; never in the future, never before the item's
    成文日期. A change of 有效性 adds a ValidityChange row (the history table 二 counts);
    changing only the note does not. Raises TransitionRefused with a Chinese message.
    """
    item = Item.objects.select_for_update().get(pk=item.pk)
    if workflow_actor(actor, agency_id=item.agency_id, department_id=item.department_id).same_agency is False:
        raise TransitionRefused("只能办理本机关的信息。")
    if not actor.has_role(Role.OFFICE, Role.LEADER):
        raise TransitionRefused("变更有效性须由政务公开办公室或局领导办理。")
    if item.status_enum not in PUBLIC_STATUSES:
        raise TransitionRefused("只有已发布的信息才能变更有效性。")
    if validity not in Validity.values:
        raise TransitionRefused("请选择有效性。")
    if validity != Validity.VALID and not note.strip():
        raise TransitionRefused("变更有效性须填写说明（如废止文件的文号）。")
    today = timezone.localdate()
    changed_on = changed_on or today
    if changed_on > today:
        raise TransitionRefused("变更日期不能晚于今天；尚未生效的废止请到生效之日再登记。")
    if item.written_on and changed_on < item.written_on:
        raise TransitionRefused("变更日期不能早于成文日期。")
    last = item.validity_changes.order_by("-changed_on", "-recorded_at", "-id").first()
    if validity != item.validity and last is not None and changed_on < last.changed_on:
        raise TransitionRefused(
            f"变更日期不能早于上一次有效性变更的日期（{last.changed_on:%Y年%-m月%-d日}）。"
        )
    old, old_note = item.validity, item.validity_note
    item.validity = validity
    item.validity_note = note.strip()
    item.save(update_fields=["validity", "validity_note", "updated_at"])
    if (validity, item.validity_note) != (old, old_note):  # the public page shows both
        version_replace(item=item, actor=actor, cause=VersionCause.VALIDITY, at=timezone.now())
    if validity != old:
        ValidityChange.objects.create(
            item=item,
            from_validity=old,
            to_validity=validity,
            changed_on=changed_on,
            note=note.strip(),
            recorded_by=actor,
        )
    sync_item(item)  # the search index changes in the same transaction
    audit_record(
        actor=actor,
        action="item_set_validity",
        target=item,
        agency=item.agency,
        from_state=old,
        to_state=validity,
        comment=note.strip(),
        data={"changed_on": changed_on.isoformat()},
    )
    return item
