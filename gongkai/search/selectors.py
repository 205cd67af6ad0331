"""Public full-text search: one interface, a backend per database.

The index (FTS5 on SQLite, a GIN tsvector index on PostgreSQL) narrows the
candidates to those holding each phrase's tokens adjacent; the exact sequences
are then confirmed on the page of results shown. Only public items are in the index.
"""

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.utils.safestring import SafeString, mark_safe

from gongkai.catalogue.models import Item
from gongkai.search import ranked
from gongkai.search.expand import SynonymSet, split_query, with_synonyms
from gongkai.search.keywords import words
from gongkai.search.models import SearchEntry, SynonymGroup
from gongkai.search.text import (
    _SPACE_RE,
    Query,
    all_phrases,
    confirmed_snippet,
    facet_groups,
    fts5_match,
    highlight,
    index_groups,
    index_phrases,
    matched_groups,
    parse_query,
    tsquery_text,
)

PER_PAGE = 20
MAX_PAGE = 100  # deep pages are bounded: refine the query or the filters instead
# Beyond COUNT_LIMIT matches the count is shown as an estimate ("约 N+"), and the facets count a sample of
# COUNT_LIMIT matches: the newest on SQLite, the first the GIN index yields on PostgreSQL.
COUNT_LIMIT = 10000
QUICK_COUNT_LIMIT = 1000  # without facets (the API, suggestions, related items) the count stops here
WINDOW = 10000  # without tantivy, relevance orders WINDOW matches (chosen as the sample above)
SPLIT_WINDOW = 500  # a split query ranks, by the words each holds, this many index matches
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
    # The query as typed, when nothing matched it whole and these results are for its `words`.
    split_from: str = ""
    words: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()  # other phrases searched as well (SynonymGroup)
    searched: tuple[str, ...] = ()  # every phrase searched: as typed, its synonyms, its words


def _filters(filters: dict[str, object]) -> tuple[str, list[object]]:
    """PostgreSQL: the filters as conditions on the entry's columns."""
    clauses: list[str] = []
    params: list[object] = []
    for column in FACETS:
        value = filters.get(column)
        if value in (None, "") or value == []:
            continue
        if isinstance(value, list | tuple):
            clauses.append(f"e.{column} IN ({', '.join(['%s'] * len(value))})")
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


# -- SQLite: FTS5 over (tokens, facets), rowid = recency ---------------------------------------------
# Every shape asks FTS5 for rowids in index order (newest first) and stops at its LIMIT; the entries
# are then read by their unique recency key. Filters are terms of the facets column.

_FTS_MATCHES = "SELECT rowid AS r FROM search_fts WHERE search_fts MATCH %s ORDER BY rowid"


def _sqlite_page(match: str, sort: str, limit: int, offset: int) -> list[tuple[int, str]]:
    if sort == "relevance":  # BM25 among the newest WINDOW matches (all of them, for most queries)
        inner = (
            "SELECT r, score FROM (SELECT rowid AS r, bm25(search_fts, 1.0, 0.0) AS score FROM search_fts "
            "WHERE search_fts MATCH %s ORDER BY rowid LIMIT %s) ORDER BY score, r LIMIT %s OFFSET %s"
        )
        params: list[str | int] = [match, WINDOW, limit, offset]
        order = "m.score, m.r"
    else:
        inner, params, order = f"{_FTS_MATCHES} LIMIT %s OFFSET %s", [match, limit, offset], "m.r"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.item_id, e.text FROM ({inner}) AS m "  # noqa: S608
            f"JOIN search_searchentry e ON e.recency = m.r ORDER BY {order}",
            params,
        )
        return cursor.fetchall()


def _sqlite_sample(match: str, limit: int, columns: tuple[str, ...]) -> list[tuple]:
    with connection.cursor() as cursor:
        if not columns:
            cursor.execute(f"SELECT 1 FROM ({_FTS_MATCHES} LIMIT %s)", [match, limit])  # noqa: S608
        else:
            cursor.execute(
                f"SELECT {', '.join(f'e.{c}' for c in columns)} FROM ({_FTS_MATCHES} LIMIT %s) AS m "  # noqa: S608
                "JOIN search_searchentry e ON e.recency = m.r",
                [match, limit],
            )
        return cursor.fetchall()


# -- PostgreSQL: a GIN index on the stored tsvector column `vector` ------------------------------------


def _pg_matching(query: Query, filters: dict[str, object]) -> tuple[str, list]:
    """The condition (on `e`) selecting the matching entries. The GIN index finds the entries with
    every bigram; a run of several bigrams must also be a phrase (<->, like FTS5's phrase), checked
    on the vector's positions, or on the token text for the few entries too long for exact
    positions (`lossy`)."""
    check_database()
    sql = "e.vector @@ to_tsquery('simple', %s)"
    params: list[object] = [tsquery_text(query, phrase=False)]
    like = "(' ' || e.tokens || ' ') LIKE %s"
    if query.any_phrase or any(query.alternatives):  # OR-groups: every run checked on the token text
        groups = [[" ".join(run) for run in runs] for runs in index_groups(query)]
        ors = ["(" + " OR ".join([like] * len(group)) + ")" for group in groups]
        likes = (" OR " if query.any_phrase else " AND ").join(ors)
        adjacent = [text for group in groups for text in group]
    else:
        adjacent = [" ".join(run) for run in index_phrases(query) if len(run) > 1]
        likes = " AND ".join([like] * len(adjacent))
    if adjacent:
        sql += f" AND CASE WHEN e.lossy THEN {likes} ELSE e.vector @@ to_tsquery('simple', %s) END"
        for text in adjacent:
            escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params.append(f"% {escaped} %")
        params.append(tsquery_text(query, phrase=True))
    groups = facet_groups(filters)
    if groups:  # the filters as tokens of the facets GIN index (migration 0004)
        sql += " AND array_to_tsvector(string_to_array(e.facets, ' ')) @@ %s::tsquery"
        params.append(" & ".join("(" + " | ".join(f"'{token}'" for token in group) + ")" for group in groups))
    return sql, params


@contextmanager
def _pg_plan(*disabled: str):
    """A cursor for search statements: memory for exact bitmaps (past work_mem a bitmap of a frequent
    term turns lossy and every row of its pages is read and re-checked), and some plan types turned
    off. PostgreSQL's cost model does not count reading (detoasting) each row's vector, and its
    estimates for bigrams outside its most common elements are guesses: left alone it walks the
    table or the date index checking row after row where the GIN index finds the matches at once."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '64MB'")
        for name in disabled:
            cursor.execute(f"SET LOCAL enable_{name} = off")
        yield cursor
        for name in ("work_mem", *(f"enable_{name}" for name in disabled)):
            cursor.execute(f"RESET {name}")  # inside an enclosing transaction it would outlive the block


FROM_ENTRIES = "FROM search_searchentry e"
WALK = 3000  # entries whose vectors a walk reads at most (filtered: of those passing the filters)
WALK_SCAN = 100000  # newest entries a walk looks at, at most (its filters need no vector)


def _pg_walk(filters: dict[str, object]) -> tuple[str, list]:
    """FROM over the newest entries passing the filters, in date order, for a bounded walk: a frequent
    term fills its first pages from these. The agency's own date index when filtered by agency."""
    where, params = _filters({k: v for k, v in filters.items() if k != "agency_id"})
    agency = filters.get("agency_id")
    if agency in (None, ""):
        newest, newest_params = "SELECT * FROM search_searchentry ORDER BY recency", []
    else:
        newest = "SELECT * FROM search_searchentry WHERE agency_id = %s ORDER BY agency_id, recency"
        newest_params = [agency]
    walk = f"SELECT * FROM ({newest} LIMIT %s) AS e WHERE TRUE{where} ORDER BY recency LIMIT %s"  # noqa: S608
    return f"FROM ({walk}) AS e", [*newest_params, WALK_SCAN, *params]


def _pg_page(
    query: Query, filters: dict[str, object], sort: str, limit: int, offset: int
) -> list[tuple[int, str]]:
    if sort == "relevance":  # ts_rank among WINDOW matches (all of them, for most queries)
        condition, params = _pg_matching(query, filters)
        with _pg_plan("seqscan", "indexscan") as cursor:
            cursor.execute(
                "SELECT item_id, text FROM (SELECT e.item_id, e.text, e.recency, "  # noqa: S608
                f"ts_rank(e.vector, to_tsquery('simple', %s)) AS score {FROM_ENTRIES} WHERE {condition} "
                "LIMIT %s) AS m ORDER BY score DESC, recency LIMIT %s OFFSET %s",
                [tsquery_text(query, phrase=False), *params, WINDOW, limit, offset],
            )
            return cursor.fetchall()
    # A frequent term: its page is among the newest entries, read in date order (a bounded walk).
    condition, params = _pg_matching(query, {})
    walk_from, walk_params = _pg_walk(filters)
    page = "SELECT e.item_id, e.text {} WHERE {} ORDER BY e.recency LIMIT %s OFFSET %s"
    with _pg_plan("seqscan", "bitmapscan") as cursor:
        cursor.execute(
            page.format(walk_from, condition),
            [*walk_params, max(WALK, (offset + limit) * 20), *params, limit, offset],
        )
        rows = cursor.fetchall()
    if len(rows) == limit:
        return rows
    # Otherwise the GIN index finds every match (with the filters), then they are sorted by date.
    condition, params = _pg_matching(query, filters)
    with _pg_plan("seqscan", "indexscan") as cursor:
        cursor.execute(page.format(FROM_ENTRIES, condition), [*params, limit, offset])
        return cursor.fetchall()


def _pg_sample(query: Query, filters: dict[str, object], limit: int, columns: tuple[str, ...]) -> list[tuple]:
    # In the GIN index's order, not the newest: ordering first would read (and check) every candidate.
    # Up to the limit that is the same set of entries; beyond it, a sample (the count is then "约").
    condition, params = _pg_matching(query, filters)
    selected = ", ".join(f"e.{c}" for c in columns) or "1"
    with _pg_plan("seqscan", "indexscan") as cursor:  # the GIN index's bitmap
        cursor.execute(f"SELECT {selected} {FROM_ENTRIES} WHERE {condition} LIMIT %s", [*params, limit])
        return cursor.fetchall()


def page_rows(
    query: Query, filters: dict[str, object], sort: str, limit: int, offset: int
) -> list[tuple[int, str]]:
    """(item_id, text) of a page of index matches (not yet confirmed), by date or relevance."""
    if connection.vendor == "sqlite":
        return _sqlite_page(fts5_match(query, filters), sort, limit, offset)
    return _pg_page(query, filters, sort, limit, offset)


def newest_matches(
    query: Query, filters: dict[str, object], limit: int, columns: tuple[str, ...] = ()
) -> list[tuple]:
    """The given columns of the newest `limit` index matches: the count, and the facets' sample."""
    if connection.vendor == "sqlite":
        return _sqlite_sample(fts5_match(query, filters), limit, columns)
    return _pg_sample(query, filters, limit, columns)


def synonym_sets(agency_id: object = None) -> list[SynonymSet]:
    """The synonym groups a search applies: the platform's, and the agency's own when the search is
    limited to an agency (every agency's otherwise). Read per search: a change applies at once."""
    groups = SynonymGroup.objects.all()
    if isinstance(agency_id, int):
        groups = groups.filter(Q(agency__isnull=True) | Q(agency_id=agency_id))
    return [SynonymSet(tuple(g.term_list), g.one_way) for g in groups.only("terms", "one_way")]


def search_public(
    raw: str,
    *,
    filters: dict[str, object] | None = None,
    sort: str = "date",
    page: int = 1,
    per_page: int = PER_PAGE,
    with_facets: bool = True,
    with_count: bool = True,
    split_words: bool = False,
) -> Results:
    """A page of public items matching `raw`, newest first or by relevance, with the count and, unless
    with_facets=False, the facet counts over COUNT_LIMIT matches (see above). Without facets the count
    stops at QUICK_COUNT_LIMIT. Beyond its limit the count is marked as an estimate (a lower bound).
    with_count=False (lists that show no count) leaves total at 0 and skips counting.

    Each phrase also finds its synonyms (SynonymGroup). With split_words=True, a query nothing
    matches is split into its words (expand.split_query): the results are then the items holding
    any of them, those with more first, and `split_from`/`words` say so."""
    query = parse_query(raw)
    page = max(1, min(page, MAX_PAGE))
    if query.error:
        return Results(query=query, page=page)
    filters = filters or {}
    sets = synonym_sets(filters.get("agency_id"))
    expanded = with_synonyms(query, sets)
    results = _search(expanded, filters, sort, page, per_page, with_facets, with_count)
    searched = all_phrases(expanded)
    if split_words and not results.hits and results.total == 0:
        split = split_query(query, words)
        if split is not None:
            split = with_synonyms(split, sets)
            results = _search_split(split, filters, sort, page, per_page, with_facets)
            results.split_from, results.words = _SPACE_RE.sub(" ", raw).strip(), split.phrases
            expanded = split
            searched = (*searched, *all_phrases(split))
    results.synonyms = tuple(phrase for phrase in all_phrases(expanded) if phrase not in expanded.phrases)
    results.searched = tuple(dict.fromkeys(searched))
    return results


def _hits(query: Query, rows: list[tuple[int, str]]) -> list[Hit]:
    """The rows confirmed on their text (every phrase group occurs exactly), as public items."""
    snippets: dict[int, str] = {}
    for pk, text in rows:
        snippet = confirmed_snippet(text, query)
        if snippet is not None:
            snippets[pk] = snippet
    items = (
        Item.objects.public()
        .select_related("agency", "category")
        .defer("body", "summary")  # the snippet comes from the entry's text
        .in_bulk(list(snippets))
    )
    hits = []
    for pk, snippet in snippets.items():
        item = items.get(pk)
        if item is None:  # removed from public view since the index was read
            continue
        hits.append(
            Hit(
                item=item,
                title=mark_safe(highlight(item.title, query, width=len(item.title))),  # never cut
                snippet=mark_safe(snippet),
            )
        )
    return hits


def _facet_counts(results: Results, sample: list[tuple], columns: tuple[str, ...]) -> None:
    for i, column in enumerate(columns):
        counts = Counter(row[i] for row in sample[:COUNT_LIMIT])
        results.facets[column] = sorted(counts.items(), key=lambda pair: (-pair[1], str(pair[0])))


def _search(
    query: Query,
    filters: dict[str, object],
    sort: str,
    page: int,
    per_page: int,
    with_facets: bool,
    with_count: bool,
) -> Results:
    results = Results(query=query, page=page)
    limit, offset = per_page + 1, (page - 1) * per_page
    columns = FACETS if with_facets else ()
    rows = None
    if sort == "relevance" and ranked.enabled():  # -- tantivy ranked order (see ranked.py) --
        # A page of ids by BM25, confirmed below exactly like the database's rows; None: fall back.
        rows = ranked.page_rows(query, filters, limit, offset)
    count_limit = COUNT_LIMIT if with_facets else QUICK_COUNT_LIMIT
    sample: list[tuple] | None = None
    if rows is None:
        rows = page_rows(query, filters, sort, limit, offset)
        if sort == "date" and not columns and len(rows) < limit and (rows or offset == 0):
            sample = [()] * (offset + len(rows))  # this page ends the matches: the count is known
    if sample is None:
        sample = newest_matches(query, filters, count_limit + 1, columns) if with_count or columns else []
    total = len(sample)
    _facet_counts(results, sample, columns)
    results.has_next = len(rows) > per_page and page < MAX_PAGE
    results.hits = _hits(query, rows[:per_page])
    results.total = min(total, count_limit)
    results.total_is_estimate = total > count_limit
    return results


def _search_split(
    query: Query, filters: dict[str, object], sort: str, page: int, per_page: int, with_facets: bool
) -> Results:
    """The words of a split query: among the first SPLIT_WINDOW index matches (by date or relevance),
    those holding more of the words first, the order kept among equals."""
    results = Results(query=query, page=page)
    rows = page_rows(query, filters, sort, SPLIT_WINDOW, 0)
    scored = [(matched_groups(text, query), pk, text) for pk, text in rows]
    ordered = [(pk, text) for n, pk, text in sorted(scored, key=lambda row: -row[0]) if n]
    offset = (page - 1) * per_page
    results.hits = _hits(query, ordered[offset : offset + per_page])
    results.has_next = len(ordered) > offset + per_page and page < MAX_PAGE
    results.total = len(ordered)
    results.total_is_estimate = len(rows) >= SPLIT_WINDOW
    if with_facets:
        _facet_counts(results, newest_matches(query, filters, COUNT_LIMIT + 1, FACETS), FACETS)
    return results


def indexed_count() -> int:
    return SearchEntry.objects.count()


def related_items(item: Item, n: int = 5) -> list[Item]:
    """Other public items sharing the item's leading keywords (its 相关信息 list): the same agency's
    first, then other agencies'. Only public items (search_public never yields another)."""
    entry = SearchEntry.objects.filter(pk=item.pk).only("keywords").first()
    if entry is None or not entry.keywords:
        return []
    leading = entry.keywords.split()[:3]
    found: dict[int, Item] = {}
    scopes: tuple[dict[str, object], ...] = ({"agency_id": item.agency_id}, {})
    for filters in scopes:
        for word in leading:
            if len(found) >= n:
                break
            page = search_public(word, filters=filters, with_facets=False, with_count=False, per_page=n + 1)
            for hit in page.hits:
                if hit.item.pk != item.pk:
                    found.setdefault(hit.item.pk, hit.item)
    return list(found.values())[:n]


def suggestions(raw: str, n: int = 8) -> list[str]:
    """Titles of public items for the search box's suggestions."""
    query = parse_query(raw)
    if query.error:
        return []
    results = search_public(raw, with_facets=False, with_count=False, per_page=n)
    return [hit.item.title for hit in results.hits]
