"""Keeping the search index in step with the catalogue, inside the caller's transaction.

Indexing never reads attachment files: it uses the text extraction stored on each attachment
(gongkai.search.services.attachment_extract, after the upload commits), so publishing costs the
same whatever the files hold. It never fails the caller either (see sync_item).
"""

import html
import logging

import nh3
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from gongkai.catalogue.models import Item
from gongkai.search import ranked
from gongkai.search.index_limit import cap_text
from gongkai.search.keywords import keywords
from gongkai.search.models import SearchEntry
from gongkai.search.text import facet_text, positions_lossy, recency_key, tokens

logger = logging.getLogger(__name__)


def plain_text(markup: str) -> str:
    return html.unescape(nh3.clean(markup or "", tags=set())).strip()


def item_text(item: Item) -> str:
    """What search reads of an item: title, summary, body and the stored visible text of its live
    attachments (what a reader of each file sees; nothing it hides)."""
    parts = [item.title, item.summary, plain_text(item.body)]
    parts.extend(
        item.attachments.filter(revision__isnull=True).order_by("pk").values_list("visible_text", flat=True)
    )
    return "\n".join(part for part in parts if part)


def indexed_text(item: Item) -> tuple[str, bool]:
    """The part of item_text an entry holds (index_limit.cap_text), and whether it was cut."""
    return cap_text(item_text(item), index_tokens)


def _fts(sql: str, params: list) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _remove(item_id: int) -> bool:
    old = SearchEntry.objects.filter(pk=item_id).values_list("recency", "tokens", "facets").first()
    if old is None:
        return False
    # External-content FTS5: a row is removed by replaying its old values.
    _fts("INSERT INTO search_fts(search_fts, rowid, tokens, facets) VALUES('delete', %s, %s, %s)", list(old))
    SearchEntry.objects.filter(pk=item_id).delete()
    return True


def _entry_fields(item: Item) -> dict[str, object]:
    """The columns the order, the filters and the facets read, as they should be for this item.
    ValueError for an item never published (only public items are indexed)."""
    published_at = item.published_at
    if published_at is None:
        raise ValueError(f"item {item.pk} has never been published: it has no place in the index")
    fields: dict[str, object] = {
        "agency_id": item.agency_id,
        "category_id": item.category_id,
        "department_id": item.department_id,
        # The year people see on the page (and the catalogue's year filter): local, not UTC.
        "year": timezone.localtime(published_at, timezone.get_default_timezone()).year,
        "validity": item.validity,
        "genre": item.genre,
    }
    return {
        **fields,
        "published_at": published_at,
        "recency": recency_key(int(published_at.timestamp()), item.pk),
        "facets": facet_text(fields),
    }


def index_tokens(text: str) -> list[str]:
    """The tokens an entry with this searchable text stores (the check and migration 0005 compare and
    re-tokenise with this, so that entries indexed by an older tokeniser are found and brought up)."""
    return tokens(text)


def entry_for(item: Item, text: str, *, truncated: bool = False) -> SearchEntry:
    """The (unsaved) entry of a public item whose searchable text is `text` (already capped)."""
    token_list = index_tokens(text)
    return SearchEntry(
        item=item,
        **_entry_fields(item),
        text=text,
        tokens=" ".join(token_list),
        lossy=positions_lossy(token_list),
        keywords=" ".join(keywords(f"{item.title}\n{text}")),
        truncated=truncated,
    )


def sync_item(item: Item) -> bool:
    """Index the item if it is public, remove it otherwise. Returns whether it is indexed now.

    Never raises: the caller is usually publishing, and a publication must not fail for the index.
    A failure is logged and leaves the item out of the index (never a stale entry of an item that
    is no longer public); `search_index check` reports it as missing and `update` adds it.
    """
    try:
        with transaction.atomic():  # a savepoint inside the caller's transaction
            return _sync(item)
    except Exception:
        logger.exception("search index: could not index item %s; run search_index update", item.pk)
    try:
        with transaction.atomic():
            _remove(item.pk)
            ranked.schedule(item.pk)
    except Exception:
        logger.exception("search index: could not remove item %s either", item.pk)
    return False


def _sync(item: Item) -> bool:
    _remove(item.pk)
    if not (item.is_public and item.published_at):
        ranked.schedule(item.pk)  # tantivy (when configured) follows once the transaction commits
        return False
    text, truncated = indexed_text(item)
    entry = entry_for(item, text, truncated=truncated)
    entry.save(force_insert=True)
    _fts(
        "INSERT INTO search_fts(rowid, tokens, facets) VALUES(%s, %s, %s)",
        [entry.recency, entry.tokens, entry.facets],
    )
    ranked.schedule(item.pk)  # tantivy (when configured) follows once the transaction commits
    return True


def stale_and_missing() -> tuple[list[int], list[int]]:
    """Public items missing from the index, and indexed entries that are no longer public, changed, or
    tokenised otherwise than the current tokeniser does."""
    public = dict(Item.objects.public().values_list("pk", "updated_at"))
    indexed = set(SearchEntry.objects.values_list("pk", flat=True))
    missing = sorted(set(public) - indexed)
    stale = sorted(indexed - set(public))
    for entry in SearchEntry.objects.filter(pk__in=set(public) & indexed).select_related("item").iterator():
        fields = _entry_fields(entry.item)
        if (
            (entry.text, entry.truncated) != indexed_text(entry.item)
            or any(getattr(entry, name) != value for name, value in fields.items())
            or entry.tokens != " ".join(index_tokens(entry.text))  # tokenised by an older version
        ):
            stale.append(entry.pk)
    return missing, sorted(stale)


# -- The FTS5 table on SQLite -----------------------------------------------------------------------
# An external-content FTS5 index trusts its caller: a search_searchentry row deleted or changed
# behind the services' back leaves postings that no 'delete' can replay. The command finds such
# rows and regenerates the index from the entries ('rebuild'); PostgreSQL's GIN index has no such gap.


def fts_orphans() -> int:
    """Rows of the full-text index without an entry (SQLite; always 0 on PostgreSQL)."""
    if connection.vendor != "sqlite":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM search_fts_docsize d "
            "LEFT JOIN search_searchentry e ON e.recency = d.id WHERE e.item_id IS NULL"
        )
        return cursor.fetchone()[0]


def fts_consistent() -> bool:
    """FTS5's own integrity check of the index against the entries (SQLite; True elsewhere)."""
    if connection.vendor != "sqlite":
        return True
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES('integrity-check', 1)")
    except DatabaseError:  # "database disk image is malformed": the index disagrees with the entries
        return False
    return True


def fts_rebuild() -> None:
    """Regenerate the whole full-text index from the entries, then merge it into one segment."""
    _fts("INSERT INTO search_fts(search_fts) VALUES('rebuild')", [])
    _fts("INSERT INTO search_fts(search_fts) VALUES('optimize')", [])
