"""Public full-text search: one interface, a backend per database.

The index (FTS5 on SQLite, a GIN tsvector index on PostgreSQL) narrows the
candidates by the AND of the query's bigrams; the exact substrings are then
confirmed on the page of results shown. Only public items are in the index.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.utils.safestring import SafeString, mark_safe

from gongkai.catalogue.models import Item
from gongkai.search import ranked
from gongkai.search.models import SearchEntry
from gongkai.search.text import (
    Query,
    contains_all,
    fts5_match,
    highlight,
    parse_query,
    tokens,
    tsquery_text,
)

PER_PAGE = 20
MAX_PAGE = 100  # deep pages are bounded: refine the query or the filters instead
COUNT_LIMIT = 10000  # beyond this the count is shown as an estimate ("约")
FACETS = ("agency_id", "category_id", "department_id", "year", "validity", "genre")


class NotUTF8Database(RuntimeError):
    """PostgreSQL's text-search parser loses Chinese text in a non-UTF8 database."""


@dataclass
class Hit:
    item: Item
    title: SafeString
    snippet: SafeString


@dataclass
class Results:
    query: Query
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    total_is_estimate: bool = False
    page: int = 1
    has_next: bool = False
    facets: dict[str, list[tuple[object, int]]] = field(default_factory=dict)


def _filters(filters: dict[str, object]) -> tuple[str, list]:
    clauses, params = [], []
    for column in ("agency_id", "category_id", "department_id", "year", "validity", "genre"):
        value = filters.get(column)
        if value in (None, ""):
            continue
        if column == "category_id" and isinstance(value, list | tuple):
            clauses.append(f"e.category_id IN ({', '.join(['%s'] * len(value))})")
            params.extend(value)
        else:
            clauses.append(f"e.{column} = %s")
            params.append(value)
    return "".join(f" AND {c}" for c in clauses), params


def check_database() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_encoding")
            if cursor.fetchone()[0].upper() not in ("UTF8", "UTF-8"):
                raise NotUTF8Database(
                    "数据库不是UTF8编码，中文全文检索无法工作。请按部署说明以 ENCODING 'UTF8' 重建数据库。"
                )


def _matching_sql(query: Query) -> tuple[str, list]:
    """FROM/WHERE fragment selecting the entries whose index matches the query."""
    if connection.vendor == "sqlite":
        return (
            "FROM search_fts f JOIN search_searchentry e ON e.item_id = f.rowid WHERE search_fts MATCH %s",
            [fts5_match(query)],
        )
    check_database()
    # The GIN index finds the entries with every bigram (a plain AND: a tsvector keeps no positions
    # past 16,383, so <-> would miss matches deep in long texts); LIKE then asks for each run's bigrams
    # side by side in the token text, as FTS5's phrase does, so both backends count the same entries.
    sql = "FROM search_searchentry e WHERE to_tsvector('simple', e.tokens) @@ to_tsquery('simple', %s)"
    params = [tsquery_text(query, phrase=False)]
    for phrase in query.phrases:
        run = tokens(phrase)
        if len(run) > 1:
            sql += " AND (' ' || e.tokens || ' ') LIKE %s"
            adjacent = " ".join(run).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params.append(f"% {adjacent} %")
    return sql, params


def _order(sort: str, query: Query) -> tuple[str, list]:
    if sort == "relevance":
        if connection.vendor == "sqlite":
            return "ORDER BY bm25(search_fts), e.published_at DESC, e.item_id DESC", []
        return (
            "ORDER BY ts_rank(to_tsvector('simple', e.tokens), to_tsquery('simple', %s)) DESC, "
            "e.published_at DESC, e.item_id DESC",
            [tsquery_text(query, phrase=False)],
        )
    return "ORDER BY e.published_at DESC, e.item_id DESC", []


def search_public(
    raw: str,
    *,
    filters: dict[str, object] | None = None,
    sort: str = "date",
    page: int = 1,
    per_page: int = PER_PAGE,
    with_facets: bool = True,
) -> Results:
    query = parse_query(raw)
    page = max(1, min(page, MAX_PAGE))
    results = Results(query=query, page=page)
    if query.error:
        return results
    base, params = _matching_sql(query)
    where, filter_params = _filters(filters or {})
    order, order_params = _order(sort, query)
    with connection.cursor() as cursor:
        rows = None
        if sort == "relevance" and ranked.enabled():  # -- tantivy ranked order (see ranked.py) --
            # A page of ids by BM25, confirmed below exactly like the database's rows; None: fall back.
            rows = ranked.page_rows(query, filters or {}, per_page + 1, (page - 1) * per_page)
        if rows is None:
            cursor.execute(
                f"SELECT e.item_id, e.text {base}{where} {order} LIMIT %s OFFSET %s",
                [*params, *filter_params, *order_params, per_page + 1, (page - 1) * per_page],
            )
            rows = cursor.fetchall()
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 {base}{where} LIMIT %s) AS bounded",  # noqa: S608
            [*params, *filter_params, COUNT_LIMIT + 1],
        )
        total = cursor.fetchone()[0]
        if with_facets:
            for column in FACETS:
                cursor.execute(
                    f"SELECT {column}, COUNT(*) FROM (SELECT e.{column} AS {column} {base}{where} "  # noqa: S608
                    f"LIMIT %s) AS bounded GROUP BY {column} ORDER BY COUNT(*) DESC",
                    [*params, *filter_params, COUNT_LIMIT],
                )
                results.facets[column] = [tuple(r) for r in cursor.fetchall()]
    results.has_next = len(rows) > per_page and page < MAX_PAGE
    rows = [row for row in rows[:per_page] if contains_all(row[1], query)]
    items = Item.objects.public().select_related("agency", "category").in_bulk([pk for pk, _ in rows])
    for pk, text in rows:
        item = items.get(pk)
        if item is None:  # removed from public view since the index was read
            continue
        results.hits.append(
            Hit(
                item=item,
                title=mark_safe(highlight(item.title, query, width=len(item.title))),  # never cut
                snippet=mark_safe(highlight(text, query)),
            )
        )
    results.total = min(total, COUNT_LIMIT)
    results.total_is_estimate = total > COUNT_LIMIT
    return results


def indexed_count() -> int:
    return SearchEntry.objects.count()


def related_items(item: Item, n: int = 5) -> list[Item]:
    """Other public items sharing the item's leading keywords (its 相关信息 list)."""
    entry = SearchEntry.objects.filter(pk=item.pk).only("keywords").first()
    if entry is None or not entry.keywords:
        return []
    found: dict[int, Item] = {}
    for word in entry.keywords.split()[:3]:
        for hit in search_public(word, with_facets=False, per_page=n + 1).hits:
            if hit.item.pk != item.pk:
                found.setdefault(hit.item.pk, hit.item)
        if len(found) >= n:
            break
    return list(found.values())[:n]


def suggestions(raw: str, n: int = 8) -> list[str]:
    """Titles of public items for the search box's suggestions."""
    query = parse_query(raw)
    if query.error:
        return []
    return [hit.item.title for hit in search_public(raw, with_facets=False, per_page=n).hits]
