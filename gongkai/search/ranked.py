"""Optional ranked search with tantivy: BM25 relevance ordering at scale.

On when settings.SEARCH_TANTIVY_DIR names a directory (e.g. var/tantivy); off by default. The index
there mirrors SearchEntry: one document per public item, its bigram text (`tokens`, already
space-separated, read by tantivy's whitespace tokenizer with positions, so a CJK run becomes a phrase
of its bigrams) and the filter fields. It only *orders*: search_public loads the ranked ids from the
database and confirms each one exactly like the database path does (contains_all on SearchEntry.text,
public items only through Item.objects.public()), so a stale index can never surface a non-public item.

Writes happen after the database transaction commits (index.sync_item -> schedule -> on_commit): the
flush re-reads the committed SearchEntry rows of the items it was told about, so a rolled-back
publication never reaches tantivy, whatever the order of commits. Within a process one writer at a time,
behind a lock; it is opened per batch and released after the commit, because tantivy allows one writer
per directory across all processes (gunicorn workers, the search_index command) and a writer held for
the life of a process would lock every other one out.

The index is created by `manage.py search_index rebuild`. Until then, or when the directory is missing,
corrupt or of another schema version, ranked search logs a warning and search_public falls back to the
database order (never an error page); writes are skipped and `search_index check` reports it.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from gongkai.search.models import SearchEntry
from gongkai.search.text import Query, index_groups, index_phrases

logger = logging.getLogger(__name__)

# 2: tokens of Han runs beside words (text._run_tokens); an index of version 1 lacks them.
SCHEMA_VERSION = 2
MARKER = "gongkai-ranked.json"  # written by rebuild: which schema the index was built with
INT_FIELDS = ("agency_id", "category_id", "department_id", "year")
RAW_FIELDS = ("validity", "genre")
ENTRY_FIELDS = ("item_id", "tokens", *INT_FIELDS, *RAW_FIELDS)
BATCH = 1000
WRITER_WAIT = 10.0  # seconds to wait for another process's writer before giving up
RETRY_AFTER = 30.0  # seconds before reopening an index that failed to open
# The files tantivy writes in its directory: only these are removed when a broken index is rebuilt.
_TANTIVY_FILE = re.compile(r"[0-9a-f]{32}(\.\d+)?\.(idx|pos|term|store|fast|fieldnorm|del)")
_TANTIVY_NAMES = {"meta.json", ".managed.json", MARKER}  # lock files stay: another process may hold one

_cache_lock = threading.Lock()
_write_lock = threading.Lock()
_indexes: dict[Path, Any] = {}
_failed: dict[Path, float] = {}
_local = threading.local()


class Unavailable(RuntimeError):
    """The tantivy index cannot be used: missing, corrupt, of another schema, or locked."""


def _is_fatal(exc: BaseException) -> bool:
    # Rust panics reach Python as pyo3's PanicException, a BaseException: catch those, not these.
    return isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit)


def enabled() -> bool:
    return bool(getattr(settings, "SEARCH_TANTIVY_DIR", ""))


def directory() -> Path:
    path = Path(settings.SEARCH_TANTIVY_DIR)
    return path if path.is_absolute() else Path(settings.BASE_DIR) / path


def _schema():
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("item_id", stored=True, indexed=True, fast=True)
    builder.add_text_field("tokens", tokenizer_name="whitespace", index_option="position")
    for name in INT_FIELDS:
        builder.add_unsigned_field(name, indexed=True, fast=True)
    for name in RAW_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    return builder.build()


def _open(*, create: bool = False):
    """The cached Index for the configured directory; with create=True a fresh one replaces whatever
    is there when it cannot be opened. Raises Unavailable."""
    import tantivy

    path = directory()
    with _cache_lock:
        index = _indexes.get(path)
        if index is not None and (path / "meta.json").exists():
            return index
        _indexes.pop(path, None)
        if not create and time.monotonic() < _failed.get(path, float("-inf")) + RETRY_AFTER:
            raise Unavailable(f"tantivy index at {path} failed to open recently; retrying later")
        try:
            marker = json.loads((path / MARKER).read_text(encoding="utf-8"))
            if marker.get("schema") != SCHEMA_VERSION:
                raise Unavailable(f"tantivy index at {path} has schema {marker.get('schema')}")
            index = tantivy.Index.open(str(path))
            index.searcher()  # opens every segment: a damaged file fails here, not mid-request
        except BaseException as exc:
            if _is_fatal(exc):
                raise
            if not create:
                _failed[path] = time.monotonic()
                raise Unavailable(f"tantivy index at {path} cannot be opened: {exc}") from exc
            index = _create(path)
        _failed.pop(path, None)
        _indexes[path] = index
        return index


def _create(path: Path):
    import tantivy

    path.mkdir(parents=True, exist_ok=True)
    for child in path.iterdir():
        if child.is_file() and (child.name in _TANTIVY_NAMES or _TANTIVY_FILE.fullmatch(child.name)):
            child.unlink()
    index = tantivy.Index(_schema(), path=str(path), reuse=False)
    (path / MARKER).write_text(json.dumps({"schema": SCHEMA_VERSION}), encoding="utf-8")
    return index


def forget() -> None:
    """Drop the cached index objects (tests; after the directory was changed behind our back)."""
    with _cache_lock:
        _indexes.clear()
        _failed.clear()


@contextmanager
def _writer(*, create: bool = False, heap_size: int = 32_000_000, num_threads: int = 1) -> Iterator:
    """(index, writer): committed when the block ends, merges awaited, then released."""
    with _write_lock:
        index = _open(create=create)
        deadline = time.monotonic() + WRITER_WAIT
        while True:
            try:
                writer = index.writer(heap_size=heap_size, num_threads=num_threads)
                break
            except ValueError as exc:  # LockBusy: another process is writing
                if "LockBusy" not in str(exc) or time.monotonic() > deadline:
                    raise Unavailable(f"tantivy index at {directory()} is locked: {exc}") from exc
                time.sleep(0.05)
        try:
            yield index, writer
            writer.commit()
            writer.wait_merging_threads()  # keeps the segment count down; releases the writer
        except BaseException:
            writer.rollback()
            raise
        finally:
            del writer
        index.reload()


def _document(entry):
    import tantivy

    doc = tantivy.Document()
    doc.add_unsigned("item_id", _get(entry, "item_id"))
    doc.add_text("tokens", _get(entry, "tokens") or "")
    for name in INT_FIELDS:
        value = _get(entry, name)
        if value is not None:
            doc.add_unsigned(name, int(value))
    for name in RAW_FIELDS:
        doc.add_text(name, _get(entry, name) or "")
    return doc


def _get(entry, name: str):
    return entry[name] if isinstance(entry, dict) else getattr(entry, name)


def _ids_query(schema, item_ids: Iterable[int]):
    import tantivy

    return tantivy.Query.term_set_query(schema, "item_id", [int(pk) for pk in item_ids])


def _chunks(items: Iterable, size: int = BATCH) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _delete(index, writer, item_ids: list[int]) -> None:
    # delete_documents_by_term does not match u64 terms in tantivy-py 0.27: delete by query instead.
    for chunk in _chunks(item_ids):
        writer.delete_documents_by_query(_ids_query(index.schema, chunk))


def index_entries(entries: Iterable) -> int:
    """Add or replace the documents of these SearchEntry rows (or dicts with ENTRY_FIELDS); one commit."""
    entries = list(entries)
    if not entries:
        return 0
    with _writer() as (index, writer):
        _delete(index, writer, [_get(entry, "item_id") for entry in entries])
        for entry in entries:
            writer.add_document(_document(entry))
    return len(entries)


def delete(item_ids: Iterable[int]) -> None:
    item_ids = list(item_ids)
    if item_ids:
        with _writer() as (index, writer):
            _delete(index, writer, item_ids)


def rebuild(entries: Iterable) -> int:
    """Replace the whole index with these entries, in one commit (searchers see the old index until
    then). Creates the index, or replaces a broken one. Returns the number of documents."""
    count = 0
    with _writer(create=True, heap_size=256_000_000, num_threads=0) as (_index, writer):
        writer.delete_all_documents()
        for entry in entries:
            writer.add_document(_document(entry))
            count += 1
    return count


# -- After the database commits ---------------------------------------------------------------------


def _dirty() -> set[int]:
    if not hasattr(_local, "dirty"):
        _local.dirty = set()
    return _local.dirty


def schedule(item_id: int) -> None:
    """Bring the item's document in step with its SearchEntry once the current transaction commits
    (at once outside a transaction). A rolled-back transaction drops its callback; ids it left behind
    are flushed with the next commit, which reads the committed rows, so they change nothing."""
    if not enabled() or getattr(_local, "suspended", False):
        return
    _dirty().add(item_id)
    # One callback per call: the first to run flushes them all, the others find nothing to do.
    transaction.on_commit(flush, robust=True)


@contextmanager
def suspended(suspend: bool = True) -> Iterator[None]:
    """No tantivy writes from sync_item in this thread (the rebuild command rebuilds it at the end)."""
    before = getattr(_local, "suspended", False)
    _local.suspended = before or suspend
    try:
        yield
    finally:
        _local.suspended = before


def flush() -> None:
    """Write the scheduled items as the database now has them. Never raises: a failure is logged,
    and `search_index check` / `update` find and repair the difference."""
    dirty = _dirty()
    if not dirty or not enabled():
        return
    item_ids = sorted(dirty)
    dirty.clear()
    try:
        # The rows are read under the writer's lock, so concurrent flushes land in commit order.
        with _writer() as (index, writer):
            _delete(index, writer, item_ids)
            for chunk in _chunks(item_ids):
                for entry in SearchEntry.objects.filter(pk__in=chunk).values(*ENTRY_FIELDS):
                    writer.add_document(_document(entry))
    except BaseException as exc:
        if _is_fatal(exc):
            raise
        logger.warning("tantivy: could not index items %s: %s", item_ids[:20], exc)


# -- Reading ------------------------------------------------------------------------------------------


def _int_filter(schema, name: str, value):
    import tantivy

    values = value if isinstance(value, list | tuple | set) else [value]
    try:
        numbers = [int(v) for v in values]
    except (TypeError, ValueError):
        return tantivy.Query.empty_query()  # the database would match nothing either
    numbers = [n for n in numbers if n >= 0]
    if not numbers:
        return tantivy.Query.empty_query()
    if len(numbers) == 1:
        return tantivy.Query.term_query(schema, name, numbers[0])
    return tantivy.Query.term_set_query(schema, name, numbers)


def _query(schema, query: Query, filters: dict):
    import tantivy

    Q, must, should = tantivy.Query, tantivy.Occur.Must, tantivy.Occur.Should

    def run_query(run: tuple[str, ...]):  # several tokens: adjacent
        if len(run) > 1:
            return Q.phrase_query(schema, "tokens", list(run))
        return Q.term_query(schema, "tokens", run[0])

    clauses = []
    if not query.any_phrase and not any(query.alternatives):
        for run in index_phrases(query):  # the AND of the query's phrases
            clauses.append((must, run_query(run)))
    else:  # per phrase any of its alternatives; split words: any phrase (one Must of Shoulds)
        groups = []
        for runs in index_groups(query):
            group = [run_query(run) for run in runs]
            groups.append(group[0] if len(group) == 1 else Q.boolean_query([(should, q) for q in group]))
        if query.any_phrase:
            clauses.append((must, Q.boolean_query([(should, group) for group in groups])))
        else:
            clauses.extend((must, group) for group in groups)
    for name, value in (filters or {}).items():
        if value in (None, "") or name not in (*INT_FIELDS, *RAW_FIELDS):
            continue
        if name in INT_FIELDS:
            condition = _int_filter(schema, name, value)
        else:
            condition = Q.term_query(schema, name, str(value))
        clauses.append((must, Q.const_score_query(condition, 0.0)))  # filters do not change the score
    return Q.boolean_query(clauses)


def search(query: Query, filters: dict | None, limit: int, offset: int = 0) -> list[int] | None:
    """Item ids ranked by BM25, best first; None when the index is unavailable (logged), in which case
    the caller falls back to the database."""
    if not enabled() or query.error or not query.terms:
        return None
    try:
        index = _open()
        searcher = index.searcher()
        hits = searcher.search(
            _query(index.schema, query, filters or {}), limit=limit, offset=offset, count=False
        ).hits
        return [int(pk) for pk in searcher.fast_field_values("item_id", [address for _, address in hits])]
    except BaseException as exc:
        if _is_fatal(exc):
            raise
        logger.warning("tantivy ranked search unavailable, using the database order: %s", exc)
        if not isinstance(exc, Unavailable):  # reopen next time: a damaged index then fails to open
            with _cache_lock:
                _indexes.pop(directory(), None)
        return None


def _orm_filters(filters: dict) -> dict[str, object]:
    """The same filters as selectors._filters, for the ORM."""
    result: dict[str, object] = {}
    for name in (*INT_FIELDS, *RAW_FIELDS):
        value = (filters or {}).get(name)
        if value in (None, ""):
            continue
        if isinstance(value, list | tuple):
            result[f"{name}__in"] = list(value)
        else:
            result[name] = value
    return result


def page_rows(query: Query, filters: dict | None, limit: int, offset: int) -> list[tuple[int, str]] | None:
    """(item_id, text) of a page of ranked results, for search_public to confirm and load exactly as it
    does the database's rows; ids no longer in SearchEntry, or no longer matching the filters there,
    are dropped. None when tantivy is unavailable: search_public then uses the database order."""
    item_ids = search(query, filters, limit, offset)
    if item_ids is None:
        return None
    try:
        entries = dict(
            SearchEntry.objects.filter(pk__in=item_ids, **_orm_filters(filters or {})).values_list(
                "pk", "text"
            )
        )
    except (TypeError, ValueError):  # a filter value the database cannot compare: nothing matches
        return []
    return [(pk, entries[pk]) for pk in item_ids if pk in entries]


# -- Operations ---------------------------------------------------------------------------------------


def document_count() -> int | None:
    """Documents in the index; None when it is unavailable."""
    try:
        index = _open()
        index.reload()
        return index.searcher().num_docs
    except BaseException as exc:
        if _is_fatal(exc):
            raise
        logger.warning("tantivy index unavailable: %s", exc)
        return None


def _indexed_ids(index) -> Iterator[int]:
    import tantivy

    searcher, last = index.searcher(), -1
    while True:
        query = tantivy.Query.range_query(
            index.schema, "item_id", tantivy.FieldType.Unsigned, lower_bound=last + 1
        )
        hits = searcher.search(
            query, limit=10000, count=False, order_by_field="item_id", order=tantivy.Order.Asc
        ).hits
        page = searcher.fast_field_values("item_id", [address for _, address in hits])
        if not page:
            return
        yield from page
        last = page[-1]


def differences() -> tuple[list[int], list[int]] | None:
    """(ids in SearchEntry but not in the index, ids in the index but not in SearchEntry); None when
    the index is unavailable."""
    try:
        index = _open()
        index.reload()
        indexed = set(_indexed_ids(index))
    except BaseException as exc:
        if _is_fatal(exc):
            raise
        logger.warning("tantivy index unavailable: %s", exc)
        return None
    current = set(SearchEntry.objects.values_list("pk", flat=True))
    return sorted(current - indexed), sorted(indexed - current)


def reconcile() -> tuple[int, int]:
    """Add the entries missing from the index and delete the documents SearchEntry no longer has (items
    whose writes failed, e.g. while a rebuild held the writer). Returns (added, removed). Raises
    Unavailable when there is no usable index (run rebuild)."""
    with _writer() as (index, writer):
        indexed = set(_indexed_ids(index))
        current = set(SearchEntry.objects.values_list("pk", flat=True))
        missing, extra = sorted(current - indexed), sorted(indexed - current)
        _delete(index, writer, extra)
        for chunk in _chunks(missing):
            for entry in SearchEntry.objects.filter(pk__in=chunk).values(*ENTRY_FIELDS):
                writer.add_document(_document(entry))
    return len(missing), len(extra)
