"""Publication history (发布历史): one ItemVersion per period in which an item's page did not change.

Called only by the services that change what a published item shows — ``item_transition``
(publication opens the first version, withdrawal closes the live one), ``revision_transition``
(an applied revision replaces it), ``item_set_validity`` and ``item_publish_reviewed`` — inside
their transaction, with the item's row locked and already saved; they audit the change themselves.
The snapshot's fields are ``catalogue.content.SNAPSHOT_FIELDS``, the same list revisions use.
"""

import datetime

from django.db.models import Max

from gongkai.catalogue.content import SNAPSHOT_FIELDS, content_of, to_json
from gongkai.catalogue.models import Item, ItemRevision, ItemVersion, VersionCause, VersionEnd
from gongkai.organisation.models import User


def _live_attachments(item: Item) -> list[dict[str, object]]:
    return [
        {"id": a.pk, "name": a.original_name, "size": a.size, "sha256": a.sha256}
        for a in item.attachments.filter(revision__isnull=True).order_by("id")
    ]


def version_open(
    *,
    item: Item,
    actor: User | None,
    cause: VersionCause,
    at: datetime.datetime,
    revision: ItemRevision | None = None,
    note: str = "",
) -> ItemVersion:
    """Record what the item shows from ``at`` on, as its next version (numbered from 1).

    ``item``: locked and saved, live (published or filed). Raises IntegrityError if another
    version of the item is still open (close it first: ``version_replace``).
    """
    last = item.versions.aggregate(last=Max("number"))["last"] or 0
    return ItemVersion.objects.create(
        item=item,
        number=last + 1,
        content=to_json(content_of(item, SNAPSHOT_FIELDS)),
        attachments=_live_attachments(item),
        is_public=item.is_public,
        cause=cause,
        note=note,
        revision=revision,
        published_from=at,
        published_by=actor,
    )


def version_close(
    *, item: Item, actor: User | None, at: datetime.datetime, end: VersionEnd
) -> ItemVersion | None:
    """End the item's live version at ``at``; None when none is open (the item was not live).

    Never before the version began: with several app servers a slightly slower clock must not make
    a period end before it started."""
    version = item.versions.filter(published_until__isnull=True).first()
    if version is None:
        return None
    version.published_until = max(at, version.published_from)
    version.end = end
    version.ended_by = actor
    version.save(update_fields=["published_until", "end", "ended_by"])
    return version


def version_replace(
    *,
    item: Item,
    actor: User | None,
    cause: VersionCause,
    at: datetime.datetime,
    revision: ItemRevision | None = None,
) -> ItemVersion:
    """The live version ends at ``at`` and the item's current content becomes the next one."""
    closed = version_close(item=item, actor=actor, at=at, end=VersionEnd.SUPERSEDED)
    start = closed.published_until if closed and closed.published_until else at
    return version_open(item=item, actor=actor, cause=cause, at=start, revision=revision)
