"""Time public full-text search on a synthetic catalogue of N published items.

    .venv/bin/python benchmarks/search.py --items 100000 [--repeat 10] [--db sqlite]
    .venv/bin/python benchmarks/search.py --items 100000 --db postgres [--url postgres://…/gk_search]
    .venv/bin/python benchmarks/search.py --items 1000000 --skip-build   # reuse the corpus built before
    .venv/bin/python benchmarks/search.py --items 1000000 --skip-build --tantivy --shapes tantivy

Corpus. Sentences and words come from the seed documents (gongkai/demo/seeds, Traditional ones
converted to Simplified): every seed sentence is cut into words by a greedy longest match against
the seeds' own frequent 2-4 character strings, and a pool of sentence variants is made by swapping
words for other seed words (by frequency) or for terms of the agencies' everyday work (低保,
养老保险, 劳动合同 …, the TOPICS below, which the seeds mention too rarely for a search benchmark).
Each item has one topic: a title '关于<topic term><seed phrase>的通知/意见/办法/公告…' and a body
of 300-1500 characters in paragraphs of pool sentences, a quarter of them carrying a topic term.
About 15 % of the items are written in Traditional characters (the pools converted once with
OpenCC's s2t). Five agencies of different sizes, their categories from categories_seed_defaults,
published over the last ten years (ids follow the dates, a few days of jitter, as a catalogue
grows), all public (status published, scope public, proactive), unique index numbers.

Build. Items and SearchEntry rows are bulk-created in batches with the application's own
item_text and index_text; then the index is built once over the loaded rows: on SQLite
`INSERT INTO search_fts(rowid, tokens, facets) SELECT recency, …`, FTS5 'optimize' and ANALYZE; on
PostgreSQL the GIN index of the migration (search_vector_gin) is dropped before the load and
re-created after it, then VACUUM ANALYZE. SQLite writes to
<tmp>/gongkai-search-bench/search-<N>.sqlite3 (or --sqlite-path); PostgreSQL uses --url or
DATABASE_URL — a scratch database, it is flushed. --skip-build reuses what is there.

Measure. Each query shape calls gongkai.search.selectors.search_public (what the search page
and the API call) on a warmed connection; every query is run once to warm up, then --repeat
times, round-robin; time.perf_counter around the call; p50/p95/max in ms over all queries and
repeats of a shape. With --tantivy the index of gongkai.search.ranked is rebuilt from the
SearchEntry rows (kept for --skip-build) and relevance is also timed with SEARCH_TANTIVY_DIR set.
A call slower than --slow seconds on warm-up is not repeated (marked '*');
a statement is cancelled after --timeout seconds (reported as a timeout).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEEDS = ROOT / "gongkai" / "demo" / "seeds"
BATCH = 2000
TRADITIONAL_SHARE = 0.15
YEARS = 10

# Two- to four-character queries, two-word queries, and Traditional queries (normalised to Simplified).
QUERIES = [
    "低保",
    "养老",
    "社保",
    "救助",
    "就业",
    "养老金",
    "社保卡",
    "公务员",
    "社会保险",
    "劳动关系",
    "政府信息",
    "信息公开",
    "依法行政",
    "就业 补贴",
    "养老 保险",
    "政务 监督",
    "勞動",
    "社會保險",
    # Rarer ones: about 2 % of the items, 0.1 %, two words that never meet, a word not in the corpus.
    "殡葬",
    "残疾 殡葬 低保",
    "殡葬 社保卡",
    "地震",
]

# The agencies' everyday subjects; each item has one. Weights: how common the subject is.
TOPICS = [
    (30, ["政府信息公开", "信息公开", "依申请公开", "政务公开", "公开目录", "公开指南"]),
    (22, ["社会保险", "养老保险", "医疗保险", "失业保险", "工伤保险", "社保卡", "社保费", "参保缴费"]),
    (16, ["就业", "就业补贴", "创业担保贷款", "职业培训", "高校毕业生", "稳就业", "公益性岗位"]),
    (12, ["劳动关系", "劳动合同", "劳动争议", "劳动仲裁", "农民工工资", "劳动保障监察"]),
    (10, ["养老金", "养老服务", "基本养老金", "养老机构", "居家养老"]),
    (8, ["低保", "最低生活保障", "城乡低保", "低保对象", "低保标准"]),
    (7, ["社会救助", "临时救助", "医疗救助", "特困人员", "救助站"]),
    (6, ["行政审批", "行政许可", "办事指南", "一网通办", "营商环境"]),
    (5, ["人才引进", "职称评审", "事业单位招聘", "公务员", "技能人才"]),
    (4, ["婚姻登记", "殡葬改革", "社会组织", "儿童福利", "残疾人"]),
]
TITLE_KINDS = [  # (title ending, genre, weight)
    ("通知", "notice", 40),
    ("意见", "opinion", 12),
    ("办法", "measures", 10),
    ("公告", "announcement", 12),
    ("规定", "provisions", 6),
    ("实施方案", "plan", 8),
    ("工作报告", "report", 6),
    ("批复", "reply", 6),
]
TITLE_VERBS = ["进一步加强", "做好", "推进", "规范", "开展", "印发", "调整", "实施", "完善", "落实", "公布"]
AGENCIES = [  # name, short name, share of the items
    ("示范县人力资源和社会保障局", "人社局", 0.34),
    ("示范县民政局", "民政局", 0.24),
    ("示范县医疗保障局", "医保局", 0.18),
    ("示范县退役军人事务局", "退役军人局", 0.14),
    ("示范县行政审批服务局", "审批局", 0.10),
]
VALIDITY = [("valid", 86), ("amended", 6), ("repealed", 5), ("expired", 3)]

_SENTENCE_RE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
_HAN_RUN_RE = re.compile(r"[\u4e00-\u9fff]+")
_NOISE = ("本站", "客服", "范文", "网友", "上传", "上一篇", "下一篇", "首页", "导语", "前言", "打印", "时间:")


# --------------------------------------------------------------------------- corpus


class Corpus:
    """Sentence pools, words and titles drawn from the seed documents."""

    def __init__(self, rng: random.Random) -> None:
        import opencc

        t2s = opencc.OpenCC("t2s")
        text = "\n".join(
            t2s.convert(path.read_text(encoding="utf-8")) for path in sorted(SEEDS.glob("*.txt"))
        )
        text = re.sub(r"\([a-zü]+\)", "", text)  # pronunciation glosses in seed 003: 务(wù)
        text = text.replace("*", "").replace(",", "，").replace(":", "：")
        sentences = []
        for match in _SENTENCE_RE.finditer(text):
            sentence = match.group(0).strip(" \u3000")
            han = sum(len(run) for run in _HAN_RUN_RE.findall(sentence))
            if han >= 8 and len(sentence) <= 160 and not any(noise in sentence for noise in _NOISE):
                sentences.append(sentence if sentence[-1] in "。！？；!?;" else sentence + "。")
        # Words: the seeds' frequent 2-4 character strings; sentences cut by greedy longest match.
        counts: Counter[str] = Counter()
        for run in _HAN_RUN_RE.findall("\n".join(sentences)):
            for size in (2, 3, 4):
                counts.update(run[i : i + size] for i in range(len(run) - size + 1))
        vocab = {word: n for word, n in counts.items() if n >= 3 and "的" not in word}
        self.words = sorted(vocab, key=lambda w: (-vocab[w], w))
        self.word_weights = _cumulative([vocab[w] for w in self.words])
        self.segmented = [_segment(sentence, vocab) for sentence in sentences]
        self.topics = [terms for _, terms in TOPICS]
        self.topic_weights = _cumulative([weight for weight, _ in TOPICS])
        phrases = [w for w in self.words if len(w) == 4][:400]
        self.phrases = phrases
        # Sentence pools: general variants, and variants carrying each topic's terms.
        self.general = [self._variant(rng, None) for _ in range(30000)]
        self.topical = [[self._variant(rng, terms) for _ in range(2500)] for terms in self.topics]
        s2t = opencc.OpenCC("s2t")
        self.general_t = s2t.convert("\n".join(self.general)).split("\n")
        self.topical_t = [s2t.convert("\n".join(pool)).split("\n") for pool in self.topical]
        self.s2t = s2t
        self.seed_sentences = len(sentences)

    def _variant(self, rng: random.Random, terms: list[str] | None) -> str:
        words = list(rng.choice(self.segmented))
        slots = [i for i, word in enumerate(words) if len(word) >= 2]
        for i in slots:
            if rng.random() < 0.12:
                words[i] = rng.choices(self.words, cum_weights=self.word_weights)[0]
        if terms and slots:
            words[rng.choice(slots)] = rng.choice(terms)
        return "".join(words)

    def item(self, rng: random.Random, traditional: bool) -> tuple[str, str, str, str]:
        """(title, body HTML, genre, summary) of one item."""
        topic = rng.choices(range(len(self.topics)), cum_weights=self.topic_weights)[0]
        ending, genre = rng.choices(
            [(e, g) for e, g, _ in TITLE_KINDS], weights=[w for *_, w in TITLE_KINDS]
        )[0]
        subject = rng.choice(self.topics[topic]) + rng.choice(self.phrases)
        title = f"关于{rng.choice(TITLE_VERBS)}{subject}的{ending}"
        general = self.general_t if traditional else self.general
        topical = (self.topical_t if traditional else self.topical)[topic]
        target = rng.randint(300, 1500)
        paragraphs, size = [], 0
        while size < target:
            paragraph = "".join(
                rng.choice(topical) if rng.random() < 0.25 else rng.choice(general)
                for _ in range(rng.randint(2, 5))
            )
            paragraphs.append(paragraph)
            size += len(paragraph)
        if traditional:
            title = self.s2t.convert(title)
        summary = paragraphs[0][:80] if rng.random() < 0.2 else ""
        return title, "".join(f"<p>{p}</p>" for p in paragraphs), genre, summary


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _segment(sentence: str, vocab: dict[str, int]) -> list[str]:
    words, i = [], 0
    while i < len(sentence):
        for size in (4, 3, 2, 1):
            piece = sentence[i : i + size]
            if size == 1 or piece in vocab:
                words.append(piece)
                i += len(piece)
                break
    return words


# --------------------------------------------------------------------------- build


COUNTS: dict[str, int] = {}  # matches per query, from the bounded count
_WORKER: dict = {}  # set before the worker pool forks: the corpus and the shape of the agencies


def _generate(job: tuple[int, int, int]) -> tuple[list[tuple], float, float]:
    """One batch of items, generated and tokenised in a worker: (rows, CPU seconds generating, CPU
    seconds in item text + index_text + keywords). Seeded per batch: --workers does not change it."""
    from gongkai.search.index import plain_text
    from gongkai.search.text import positions_lossy, tokens

    batch_no, first, last = job
    corpus, shapes, start, span, n_items, seed = (
        _WORKER[k] for k in ("corpus", "shapes", "start", "span", "n_items", "seed")
    )
    keywords = _WORKER["keywords"]
    rng = random.Random(seed * 1_000_003 + batch_no)
    agency_weights = _cumulative([share for *_, share in shapes])
    validity_weights = _cumulative([w for _, w in VALIDITY])
    rows, t_text = [], 0.0
    t0 = time.process_time()
    for i in range(first, last):
        a = rng.choices(range(len(shapes)), cum_weights=agency_weights)[0]
        n_depts, n_cats, _ = shapes[a]
        moment = start + dt.timedelta(seconds=span * (i + 0.5) / n_items + rng.gauss(0, 3 * 86400))
        local = min(start + dt.timedelta(seconds=span), moment).astimezone(_WORKER["tz"])  # office hours
        published = local.replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59), second=0, microsecond=0)
        title, body, genre, summary = corpus.item(rng, rng.random() < TRADITIONAL_SHARE)
        validity = rng.choices(VALIDITY, cum_weights=validity_weights)[0][0]
        t1 = time.process_time()
        # gongkai.search.index.item_text without its attachment query (these items have none).
        text = "\n".join(part for part in (title, summary, plain_text(body)) if part)
        token_list = tokens(text)
        lossy = positions_lossy(token_list)
        index = " ".join(token_list)
        words = " ".join(keywords(f"{title}\n{text}")) if keywords else ""
        t_text += time.process_time() - t1
        placing = (i, a, rng.randrange(n_depts), rng.randrange(n_cats), published, rng.randint(0, 10))
        rows.append((*placing, title, summary, body, genre, validity, lossy, text, index, words))
    return rows, time.process_time() - t0 - t_text, t_text


def build(args: argparse.Namespace, vendor: str) -> dict[str, float]:
    import multiprocessing

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from gongkai.catalogue.models import Category, Item
    from gongkai.catalogue.services import categories_seed_defaults
    from gongkai.organisation.models import Agency, Department, User
    from gongkai.search.models import SearchEntry

    figures: dict[str, float] = {}
    call_command("migrate", verbosity=0)
    if vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
        with connection.cursor() as cursor:  # the GIN index is built once, after the load
            cursor.execute("DROP INDEX IF EXISTS search_vector_gin")
    started = time.perf_counter()
    corpus = Corpus(random.Random(args.seed))
    print(
        f"corpus: {corpus.seed_sentences} seed sentences, {len(corpus.words)} seed words, "
        f"{len(corpus.general)} + {sum(map(len, corpus.topical))} sentence variants "
        f"({time.perf_counter() - started:.1f}s)",
        flush=True,
    )
    user = User.objects.create(username="bench")
    agencies = []
    for n, (name, short, share) in enumerate(AGENCIES):
        agency = Agency.objects.create(
            name=name, short_name=short, code=f"11441234MB2C0000{n}A", slug=f"bench-{n}", order=n
        )
        categories_seed_defaults(agency=agency)
        depts = [Department.objects.create(agency=agency, name=d) for d in ("办公室", "业务股", "政策法规股")]
        cats = list(Category.objects.filter(agency=agency, parent__isnull=False))
        agencies.append((agency, depts, cats, share))
    try:  # the filter and facet columns exactly as sync_item writes them
        from gongkai.search.index import _entry_fields as entry_fields
    except ImportError:

        def entry_fields(item: Item) -> dict[str, object]:
            fields = ("agency_id", "category_id", "department_id", "published_at", "validity", "genre")
            local = timezone.localtime(item.published_at, timezone.get_default_timezone())
            return {**{name: getattr(item, name) for name in fields}, "year": local.year}

    keywords = None
    if "keywords" in {f.name for f in SearchEntry._meta.get_fields()}:
        try:
            from gongkai.search.keywords import keywords

            keywords("劳动保障")
        except ImportError as exc:
            keywords = None
            print(f"keywords left empty: {exc}")
        else:
            print("keywords: gongkai.search.keywords (rjieba), as sync_item does")
    now = timezone.now().replace(microsecond=0)
    start = now - dt.timedelta(days=365 * YEARS)
    _WORKER.update(
        tz=timezone.get_default_timezone(),
        corpus=corpus,
        shapes=[(len(d), len(c), share) for _, d, c, share in agencies],
        start=start,
        span=(now - start).total_seconds(),
        n_items=args.items,
        seed=args.seed,
        keywords=keywords,
    )
    n_items = args.items
    jobs = [(b, first, min(first + BATCH, n_items)) for b, first in enumerate(range(0, n_items, BATCH))]
    t_items = t_entries = t_gen = t_text = 0.0
    done, last_report = 0, time.perf_counter()
    started = time.perf_counter()
    connection.close()  # no database connection across the fork
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        for rows, gen, text_seconds in pool.imap(_generate, jobs):
            t_gen += gen
            t_text += text_seconds
            t0 = time.perf_counter()
            items = []
            for i, a, d, c, published, lag, title, summary, body, genre, validity, *_ in rows:
                agency, depts, cats, _ = agencies[a]
                items.append(
                    Item(
                        agency=agency,
                        department=depts[d],
                        category=cats[c],
                        title=title,
                        summary=summary,
                        body=body,
                        publisher=agency.name,
                        written_on=(published - dt.timedelta(days=lag)).date(),
                        published_at=published,
                        document_number=f"示{agency.short_name}发〔{published.year}〕{i % 997 + 1}号",
                        genre=genre,
                        validity=validity,
                        status="published",
                        scope="public",
                        disclosure_mode="proactive",
                        is_public=True,
                        index_number=f"{agency.code}/{published.year}-{i:07d}",
                        created_by=user,
                    )
                )
            with transaction.atomic():
                Item.objects.bulk_create(items)
                t1 = time.perf_counter()
                extra = {}
                entries = []
                for item, row in zip(items, rows, strict=True):
                    lossy, text, tokens, words = row[-4:]
                    if keywords is not None:
                        extra["keywords"] = words
                    entries.append(
                        SearchEntry(
                            item=item,
                            **entry_fields(item),
                            text=text,
                            tokens=tokens,
                            lossy=lossy,
                            **extra,
                        )
                    )
                SearchEntry.objects.bulk_create(entries)
            t2 = time.perf_counter()
            t_items += t1 - t0
            t_entries += t2 - t1
            done += len(rows)
            if t2 - last_report > 30:
                rate = done / (t2 - started)
                left = (n_items - done) / rate / 60
                print(f"  {done:,} items, {rate:,.0f}/s, about {left:.1f} min to go", flush=True)
                last_report = t2
    load = time.perf_counter() - started
    figures["load, wall (workers generate and tokenise, main inserts)"] = load
    figures["  generate items (worker CPU)"] = t_gen
    figures["  item text + index_text + keywords (worker CPU)"] = t_text
    figures["  insert items (bulk_create)"] = t_items
    figures["  insert search entries (bulk_create)"] = t_entries
    print(f"loaded {n_items:,} items in {load:.1f}s ({n_items / load:,.0f}/s)", flush=True)

    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            figures["database file before the FTS table, MB"] = _sqlite_bytes(connection) / 1e6
            t0 = time.perf_counter()
            cursor.execute(
                "INSERT INTO search_fts(rowid, tokens, facets) "
                "SELECT recency, tokens, facets FROM search_searchentry"
            )
            figures["FTS5 fill (INSERT … SELECT)"] = time.perf_counter() - t0
            print(f"FTS5 filled in {figures['FTS5 fill (INSERT … SELECT)']:.1f}s", flush=True)
            t0 = time.perf_counter()
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES('optimize')")
            figures["FTS5 optimize"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            cursor.execute("ANALYZE")
            figures["ANALYZE"] = time.perf_counter() - t0
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            figures["database file after the FTS table, MB"] = _sqlite_bytes(connection) / 1e6
        else:
            cursor.execute("SET maintenance_work_mem = %s", [args.maintenance_work_mem])
            t0 = time.perf_counter()
            cursor.execute("CREATE INDEX search_vector_gin ON search_searchentry USING GIN (vector)")
            figures["GIN index (CREATE INDEX)"] = time.perf_counter() - t0
            print(f"GIN index built in {figures['GIN index (CREATE INDEX)']:.1f}s", flush=True)
            t0 = time.perf_counter()
            cursor.execute("VACUUM ANALYZE")
            figures["VACUUM ANALYZE"] = time.perf_counter() - t0
    return figures


def _sqlite_bytes(connection) -> int:
    name = Path(connection.settings_dict["NAME"])
    return sum(p.stat().st_size for p in (name, Path(f"{name}-wal")) if p.exists())


def sizes(vendor: str) -> dict[str, float]:
    """Sizes in MB."""
    from django.db import connection

    out: dict[str, float] = {}
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            out["database file"] = _sqlite_bytes(connection) / 1e6
            tables = ["search_fts_data", "search_fts_idx", "search_fts_docsize", "search_fts_config"]
            tables += ["search_searchentry", "sqlite_autoindex_search_searchentry_1", "search_agency_recency"]
            tables += ["search_facets", "catalogue_item"]
            try:
                for name in tables:
                    # Per page, not aggregate=1: that sum is 32-bit in SQLite 3.40 and wraps past 2 GiB.
                    cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name = %s", [name])
                    out[f"{name} (dbstat)"] = (cursor.fetchone()[0] or 0) / 1e6
                out["FTS5 index total (search_fts_*)"] = sum(
                    out[f"{name} (dbstat)"] for name in tables if name.startswith("search_fts")
                )
            except Exception as exc:  # dbstat is a compile-time option
                out["dbstat unavailable"] = 0.0
                print(f"(dbstat: {exc})")
        else:
            for label, sql in [
                ("GIN index search_vector_gin", "SELECT pg_relation_size('search_vector_gin')"),
                ("search_searchentry total", "SELECT pg_total_relation_size('search_searchentry')"),
                ("search_searchentry heap", "SELECT pg_relation_size('search_searchentry')"),
                ("search_facets (covering index)", "SELECT pg_relation_size('search_facets')"),
                ("catalogue_item total", "SELECT pg_total_relation_size('catalogue_item')"),
                ("database", "SELECT pg_database_size(current_database())"),
            ]:
                cursor.execute(sql)
                out[label] = cursor.fetchone()[0] / 1e6
    return out


# --------------------------------------------------------------------------- measure


class Timeout(Exception):
    pass


def measure(args: argparse.Namespace, vendor: str) -> list[tuple[str, str, list[float], bool]]:
    from django.db import connection
    from django.db.utils import OperationalError

    from gongkai.search import selectors
    from gongkai.search.models import SearchEntry
    from gongkai.search.text import parse_query

    # The filtered shape: the largest agency and the last full year.
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(year) FROM search_searchentry")
        year = cursor.fetchone()[0] - 1
    agency_id = (
        SearchEntry.objects.filter(year=year)
        .values_list("agency_id", flat=True)
        .order_by("agency_id")
        .first()  # agencies were created largest first
    )

    def count_only(q: str) -> None:
        # The bounded count inside search_public, on its own (the same call, without facet columns).
        COUNTS[q] = len(selectors.newest_matches(parse_query(q), {}, selectors.COUNT_LIMIT + 1))

    def page_sql_only(q: str) -> None:
        # The index's share of search_public (newest first, page 1): the page of matches, unconfirmed.
        selectors.page_rows(parse_query(q), {}, "date", selectors.PER_PAGE + 1, 0)

    shapes = {
        "newest first, page 1": lambda q: selectors.search_public(q, with_facets=False),
        "newest first, page 1, SQL only": page_sql_only,
        "agency + year, page 1": lambda q: selectors.search_public(
            q, filters={"agency_id": agency_id, "year": year}, with_facets=False
        ),
        "newest first, page 50": lambda q: selectors.search_public(q, page=50, with_facets=False),
        "bounded count only": count_only,
        "page 1 with facets and counts": lambda q: selectors.search_public(q),
        "relevance, page 1": lambda q: selectors.search_public(q, sort="relevance", with_facets=False),
    }
    if args.tantivy:
        shapes["relevance, page 1, tantivy"] = lambda q: _with_tantivy(
            args, lambda: selectors.search_public(q, sort="relevance", with_facets=False)
        )
    if args.shapes:
        shapes = {name: fn for name, fn in shapes.items() if any(s in name for s in args.shapes)}

    # Cancel runaway statements.
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("SET statement_timeout = %s", [int(args.timeout * 1000)])
    deadline = [math.inf]
    if vendor == "sqlite":
        connection.ensure_connection()
        connection.connection.set_progress_handler(lambda: int(time.perf_counter() > deadline[0]), 10000)

    def timed(fn, q: str) -> float:
        deadline[0] = time.perf_counter() + args.timeout
        t = time.perf_counter()
        try:
            fn(q)
        except OperationalError as exc:  # interrupted (SQLite) or statement_timeout (PostgreSQL)
            if vendor == "postgresql":
                connection.close()
                with connection.cursor() as cursor:
                    cursor.execute("SET statement_timeout = %s", [int(args.timeout * 1000)])
            raise Timeout(str(exc)) from None
        finally:
            deadline[0] = math.inf
        return (time.perf_counter() - t) * 1000

    print(f"\nfilter: agency_id={agency_id}, year={year}; load average {_load()}")
    results = []
    for name, fn in shapes.items():
        per_query: dict[str, list[float]] = {}
        once: set[str] = set()
        timeouts: set[str] = set()
        for q in QUERIES:  # warm-up
            try:
                ms = timed(fn, q)
            except Timeout:
                timeouts.add(q)
                continue
            per_query[q] = []
            if ms > args.slow * 1000:
                per_query[q].append(ms)
                once.add(q)
        for _ in range(args.repeat):
            for q in QUERIES:
                if q in once or q in timeouts:
                    continue
                try:
                    per_query[q].append(timed(fn, q))
                except Timeout:
                    timeouts.add(q)
        for q in QUERIES:
            mark = "timeout" if q in timeouts else ("*" if q in once else "")
            results.append((name, q, per_query.get(q, []), mark))
        times = sorted(t for q in per_query for t in per_query[q])
        summary = _summary(times)
        flag = f"  timeouts (>{args.timeout:.0f}s): {' '.join(sorted(timeouts))}" if timeouts else ""
        flag += f"  once (>{args.slow:.0f}s): {' '.join(sorted(once))}" if once else ""
        print(f"{name:<34}{summary}{flag}  [load {_load()}]", flush=True)
    return results


def _tantivy_dir(args: argparse.Namespace, vendor: str) -> Path:
    if args.tantivy_dir:
        return Path(args.tantivy_dir)
    return Path(tempfile.gettempdir()) / "gongkai-search-bench" / f"tantivy-{vendor}-{args.items}"


def _with_tantivy(args: argparse.Namespace, call):
    """Run call() with ranked search on (settings.SEARCH_TANTIVY_DIR set), as a configured site would."""
    from django.conf import settings

    before = getattr(settings, "SEARCH_TANTIVY_DIR", "")
    settings.SEARCH_TANTIVY_DIR = str(args.tantivy_path)
    try:
        return call()
    finally:
        settings.SEARCH_TANTIVY_DIR = before


def build_tantivy(args: argparse.Namespace) -> dict[str, float]:
    """The index of gongkai.search.ranked, rebuilt from the SearchEntry rows (ranked.rebuild)."""
    from gongkai.search import ranked
    from gongkai.search.models import SearchEntry

    path = args.tantivy_path
    figures: dict[str, float] = {}
    if not (args.skip_build and (path / "meta.json").exists()):
        started = time.perf_counter()
        rows = SearchEntry.objects.order_by("pk").values(*ranked.ENTRY_FIELDS).iterator(chunk_size=2000)
        count = _with_tantivy(args, lambda: ranked.rebuild(rows))
        figures["tantivy rebuild (read entries, index, commit)"] = elapsed = time.perf_counter() - started
        print(f"tantivy: {count:,} documents in {elapsed:.1f}s", flush=True)
    figures["tantivy index, MB"] = sum(p.stat().st_size for p in path.iterdir() if p.is_file()) / 1e6
    return figures


def _pct(times: list[float], p: float) -> float:
    return times[min(len(times) - 1, math.ceil(len(times) * p) - 1)]


def _summary(times: list[float]) -> str:
    if not times:
        return f"{'-':>9}{'-':>9}{'-':>9}"
    times = sorted(times)
    return f"{statistics.median(times):>9.1f}{_pct(times, 0.95):>9.1f}{times[-1]:>9.1f}"


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def report(results, args, vendor: str) -> None:
    shapes = list(dict.fromkeys(name for name, *_ in results))
    print("\nper query, p50 ms ('*' measured once, 'T' timed out); columns:")
    for n, name in enumerate(shapes):
        print(f"  {chr(65 + n)}  {name}")
    print(f"{'query':<10}{'matches':>9}" + "".join(f"{chr(65 + n):>10}" for n in range(len(shapes))))
    limit = 10000
    for q in QUERIES:
        n = COUNTS.get(q)
        cells = [f"{'-' if n is None else ('>' if n > limit else '') + str(min(n, limit)):>9}"]
        for s in shapes:
            times, mark = next((t, m) for name, qq, t, m in results if name == s and qq == q)
            if mark == "timeout":
                cells.append(f"{'T':>10}")
            else:
                cells.append(f"{statistics.median(times):>9.1f}{'*' if mark else ' '}")
        print(f"{q:<10}" + "".join(cells))

    print("\nsummary (ms)")
    print(f"{'shape':<34}{'p50':>9}{'p95':>9}{'max':>9}")
    worst = 0.0
    for s in shapes:
        times = sorted(t for name, _, ts, _ in results if name == s for t in ts)
        timed_out = any(m == "timeout" for name, _, _, m in results if name == s)
        print(f"{s:<34}{_summary(times)}{'  + timeouts' if timed_out else ''}")
        if times:
            worst = max(worst, times[-1])
        if timed_out:
            worst = math.inf
    newest = sorted(t for name, _, ts, _ in results if name == "newest first, page 1" for t in ts)
    if newest:
        p95 = _pct(newest, 0.95)
        print(
            f"\ngoal: newest-first page 1 p95 < 10 ms ({vendor}, {args.items:,} items): "
            f"{p95:.1f} ms — {'met' if p95 < 10 else 'NOT met'}"
        )
    ranked = sorted(t for name, _, ts, _ in results if name == "relevance, page 1, tantivy" for t in ts)
    if ranked:
        p95 = _pct(ranked, 0.95)
        print(
            f"goal: ranked (tantivy) page 1 p95 < 200 ms: {p95:.1f} ms — {'met' if p95 < 200 else 'NOT met'}"
        )
    shown = f"timed out (>{args.timeout:.0f} s)" if worst == math.inf else f"{worst:.0f} ms"
    print(f"goal: no query above 1 s: worst {shown} — {'met' if worst < 1000 else 'NOT met'}")


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--url", help="PostgreSQL URL of a scratch database (default: DATABASE_URL)")
    parser.add_argument(
        "--sqlite-path", help="SQLite file (default: <tmp>/gongkai-search-bench/search-N.sqlite3)"
    )
    parser.add_argument("--skip-build", action="store_true", help="reuse the corpus built by an earlier run")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2, help="processes generating and tokenising items")
    parser.add_argument("--slow", type=float, default=3.0, help="seconds: slower calls are measured once")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a statement is cancelled")
    parser.add_argument("--maintenance-work-mem", default="512MB", help="PostgreSQL, for CREATE INDEX")
    parser.add_argument("--tantivy", action="store_true", help="also time ranked search with tantivy")
    parser.add_argument("--tantivy-dir", help="its index (default: <tmp>/gongkai-search-bench/tantivy-DB-N)")
    parser.add_argument("--shapes", nargs="*", help="only the query shapes whose name contains one of these")
    args = parser.parse_args()

    os.environ.setdefault("GONGKAI_VAR_DIR", tempfile.mkdtemp(prefix="gongkai-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    os.environ.setdefault("GONGKAI_MANIFEST_STATIC", "0")
    if args.db == "postgres":
        url = args.url or os.environ.get("DATABASE_URL")
        if not url:
            parser.error("--db postgres needs --url or DATABASE_URL (a scratch database: it is flushed)")
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
        path = Path(
            args.sqlite_path
            or Path(tempfile.gettempdir()) / "gongkai-search-bench" / f"search-{args.items}.sqlite3"
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        if not args.skip_build:
            for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                p.unlink(missing_ok=True)
        elif not path.exists():
            parser.error(f"--skip-build: {path} does not exist")
        os.environ["SQLITE_PATH"] = str(path)

    import django

    django.setup()
    from django.db import connection

    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if vendor == "sqlite" else "SHOW server_version")
        db_version = cursor.fetchone()[0]
    print(
        f"{platform.node()} · {os.cpu_count()} CPU · {platform.python_version()} · {vendor} {db_version} · "
        f"{time.strftime('%Y-%m-%d %H:%M %Z')} · load average {_load()}"
    )
    print(f"database: {connection.settings_dict['NAME']}")
    if not args.skip_build:
        started = time.perf_counter()
        figures = build(args, vendor)
        print("\nbuild")
        for label, value in figures.items():
            print(f"  {label:<50}{value:>10.1f}{'' if 'MB' in label else ' s'}")
        print(f"  {'total':<50}{time.perf_counter() - started:>10.1f} s")
    from gongkai.search.models import SearchEntry

    print(f"\nindexed items: {SearchEntry.objects.count():,}")
    print("sizes (MB)")
    for label, value in sizes(vendor).items():
        print(f"  {label:<50}{value:>10.1f}")
    if args.tantivy:
        args.tantivy_path = _tantivy_dir(args, vendor)
        for label, value in build_tantivy(args).items():
            print(f"  {label:<50}{value:>10.1f}{'' if 'MB' in label else ' s'}")
    results = measure(args, vendor)
    report(results, args, vendor)


if __name__ == "__main__":
    main()
