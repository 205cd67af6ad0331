"""Catalogue entries for content reviewed by another workflow (the annual report's chain).

The annual report goes through its own review chain (gongkai.reports.workflow: 股室审核,
保密审查, 领导签发). Its leader's sign-off publishes it; this service then puts it in the
catalogue, in the agency's 政府信息公开年报 column, as a published item with an 索引号 — in the
same transaction, so search, feeds, the sitemap and the API see it exactly when it is public and
never before (invariant 1). Not reachable from any catalogue view.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.catalogue.history import version_open, version_replace
from gongkai.catalogue.models import Category, Column, Genre, Item, VersionCause
from gongkai.catalogue.services import _next_index_number
from gongkai.catalogue.workflow import Status
from gongkai.core.html import sanitize_body
from gongkai.organisation.models import Agency, User
from gongkai.search.index import sync_item


def annual_report_category(agency: Agency) -> Category:
    """The agency's top category in the 政府信息公开年报 column (seeded with every agency)."""
    category = (
        Category.objects.filter(agency=agency, column=Column.ANNUAL_REPORT, is_active=True)
        .order_by("parent_id", "order", "id")
        .first()
    )
    if category is None:
        raise ImproperlyConfigured(f"{agency} has no category in the annual-report column")
    return category


@transaction.atomic
def item_publish_reviewed(
    *, actor: User, agency: Agency, item: Item | None, title: str, body: str, source_note: str
) -> Item:
    """Create (``item`` None) or replace the body of the published catalogue item of a report.

    ``actor`` is who signed it off in the other workflow (the caller checked their permission);
    ``body`` is HTML, sanitised here. The 索引号 is given once and never changes; a replaced body
    keeps the item's first publication date (the body itself carries the correction note).
    Returns the item, published to the public, indexed for search, audited.
    """
    now = timezone.now()
    if item is None:
        item = Item(
            agency=agency,
            category=annual_report_category(agency),
            created_by=actor,
            publisher=agency.name,
            genre=Genre.REPORT,
            written_on=timezone.localdate(now),
            source_note=source_note,
            status=Status.PUBLISHED,
            published_at=now,
        )
        item.index_number = _next_index_number(item, now)
        action = "item_publish_reviewed"
    else:
        item = Item.objects.select_for_update().get(pk=item.pk)
        action = "item_replace_reviewed"
    was_live = item.pk is not None and item.is_live
    item.status = Status.PUBLISHED  # a signed-off correction republishes a withdrawn entry
    item.title = title
    item.body = sanitize_body(body)
    item.refresh_is_public()
    item.save()
    if was_live:
        version_replace(item=item, actor=actor, cause=VersionCause.REPLACED, at=now)
    else:
        version_open(item=item, actor=actor, cause=VersionCause.PUBLISHED, at=now)
    sync_item(item)
    audit_record(
        actor=actor,
        action=action,
        target=item,
        agency=agency,
        to_state=item.status,
        data={"index_number": item.index_number or "", "source": source_note},
    )
    return item
