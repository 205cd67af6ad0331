"""Keeping the search index in step with the catalogue, inside the caller's transaction."""

import html

import nh3
from django.db import connection

from gongkai.catalogue.models import Item
from gongkai.search.extract import attachment_text
from gongkai.search.keywords import keywords
from gongkai.search.models import SearchEntry
from gongkai.search.text import index_text


def plain_text(markup: str) -> str:
    return html.unescape(nh3.clean(markup or "", tags=set())).strip()


def item_text(item: Item) -> str:
    """What search reads of an item: title, summary, body and the text of its live attachments."""
    parts = [item.title, item.summary, plain_text(item.body)]
    for attachment in item.attachments.filter(revision__isnull=True):
        try:
            with attachment.file.open("rb") as handle:
                parts.append(attachment_text(handle.read(), attachment.content_type))
        except OSError:  # a missing file on storage must not stop publishing
            continue
    return "\n".join(part for part in parts if part)


def _fts(sql: str, params: list) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _remove(item_id: int) -> bool:
    old = SearchEntry.objects.filter(pk=item_id).values_list("tokens", flat=True).first()
    if old is None:
        return False
    # External-content FTS5: a row is removed by replaying its old tokens.
    _fts("INSERT INTO search_fts(search_fts, rowid, tokens) VALUES('delete', %s, %s)", [item_id, old])
    SearchEntry.objects.filter(pk=item_id).delete()
    return True


def sync_item(item: Item) -> bool:
    """Index the item if it is public, remove it otherwise. Returns whether it is indexed now."""
    _remove(item.pk)
    if not (item.is_public and item.published_at):
        return False
    text = item_text(item)
    tokens = index_text(text)
    SearchEntry.objects.create(
        item=item,
        agency_id=item.agency_id,
        category_id=item.category_id,
        department_id=item.department_id,
        published_at=item.published_at,
        year=item.published_at.year,
        validity=item.validity,
        genre=item.genre,
        text=text,
        tokens=tokens,
        keywords=" ".join(keywords(f"{item.title}\n{text}")),
    )
    _fts("INSERT INTO search_fts(rowid, tokens) VALUES(%s, %s)", [item.pk, tokens])
    return True


def stale_and_missing() -> tuple[list[int], list[int]]:
    """Public items missing from the index, and indexed entries that are no longer public or changed."""
    public = dict(Item.objects.public().values_list("pk", "updated_at"))
    indexed = set(SearchEntry.objects.values_list("pk", flat=True))
    missing = sorted(set(public) - indexed)
    stale = sorted(indexed - set(public))
    for entry in SearchEntry.objects.filter(pk__in=set(public) & indexed).select_related("item").iterator():
        if entry.text != item_text(entry.item) or entry.category_id != entry.item.category_id:
            stale.append(entry.pk)
    return missing, sorted(stale)
