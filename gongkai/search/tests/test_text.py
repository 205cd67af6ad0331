"""The pure text layer of search: normalisation, bigram tokens, queries, highlighting."""

import html
import re
import sqlite3
import unicodedata
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from gongkai.search.tests.helpers import needs_fts5
from gongkai.search.text import (
    MSG_EMPTY,
    MSG_TOO_LONG,
    MSG_TOO_SHORT,
    Query,
    _aligned,
    _tables,
    confirmed_snippet,
    contains_all,
    facet_text,
    facet_token,
    fts5_match,
    highlight,
    index_text,
    normalise,
    parse_query,
    positions_lossy,
    recency_key,
    tokens,
    traditional,
    tsquery_text,
)
from gongkai.testing.postgres import scratch_database

SEEDS = Path(__file__).resolve().parents[2] / "demo" / "seeds"
HAN = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af]+")
_SIMPLIFIED_WORDS = """
社会保险 低保 政府信息公开 劳动 就业 养老 救助 人事 统计 审批 条例 公开 指南
最低生活保障 办事指南 依申请公开 行政许可 社会救助 人力资源 年度报告 政务公开
"""
_TRADITIONAL_WORDS = "勞動保障 社會保險 計劃 條例 審批 統計 政務公開 養老 後續 裡面 資訊"
SIMPLIFIED = _SIMPLIFIED_WORDS.split()
VOCABULARY = [*SIMPLIFIED, *_TRADITIONAL_WORDS.split()]
PUNCTUATION = list("，。、；：“”（）《》！？【】…—·　 ,.;:!?-\"'*()^+\n\t")
LATIN = ["NEAR", "OR", "AND", "NOT", "abc", "2025", "11441234MB2C00001A", "ＡＢＣ１２３", "pdf"]

cjk_char = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0x3400, max_codepoint=0x4DBF),
    st.characters(min_codepoint=0xF900, max_codepoint=0xFAFF),
    st.just("〇"),
)
piece = st.one_of(
    st.sampled_from(VOCABULARY),
    st.text(cjk_char, min_size=1, max_size=4),
    st.sampled_from(PUNCTUATION),
    st.sampled_from(LATIN),
    st.integers(0, 99999).map(str),
    st.sampled_from(["😀", "\x00", "\u200b", "①", "㍿"]),
)
government_text = st.lists(piece, max_size=30).map("".join)
# Token characters: letters and digits, and the Han blocks (which include a few unassigned points).
TOKEN = rf"(?:[^\W_]|{HAN.pattern[:-1]})+"
FTS5_PHRASES = rf'"{TOKEN}( {TOKEN})*"( AND "{TOKEN}( {TOKEN})*")*'
FACET_GROUP = r'\("[acdyvg]x?[0-9a-f]+"( OR "[acdyvg]x?[0-9a-f]+")*\)'
FTS5_GRAMMAR = re.compile(
    rf"tokens : \({FTS5_PHRASES}\)( AND facets : \({FACET_GROUP}( AND {FACET_GROUP})*\))?"
)
LEXEME = rf"'{TOKEN}'"
TSQUERY_OPERAND = rf"({LEXEME}|\({LEXEME}( <-> {LEXEME})+\))"
TSQUERY_GRAMMAR = re.compile(rf"{TSQUERY_OPERAND}( & {TSQUERY_OPERAND})*")
HOSTILE = [
    "",
    " ",
    "低",
    "a",
    "低" * 1000,
    "abc " * 250,
    '"',
    "*",
    "NEAR",
    "OR",
    "-",
    ":",
    '低保" OR 1=1 --',
    "'; DROP TABLE x; --",
    "\x00\x1f",
    "😀低保",
    "😀",
    "低保 NEAR/3 社会*",
    '"低保" AND (社会 OR 保险) NOT 救助 ^公开 +就业 -养老',
    "政務公開 abc 低",
    "Ｓｅｌｅｃｔ＊ｆｒｏｍ",
    "低\\保'\"",
    "\ud800低保",
    "e\u0301低保ש",
    "〇\ufada低保",  # an unassigned point in the compatibility ideograph block
]


def _plain(snippet: str) -> str:
    return html.unescape(re.sub(r"</?mark>", "", snippet))


# --- normalise ---------------------------------------------------------------------------


def test_it_converts_traditional_to_simplified():
    pairs = {"勞動": "劳动", "務": "务", "計劃": "计划", "條例": "条例", "裡": "里", "裏": "里", "後": "后"}
    for old, simplified in pairs.items():
        assert normalise(old) == simplified
    assert normalise("政務公開") == "政务公开"


def test_it_leaves_simplified_text_unchanged():
    for word in [*SIMPLIFIED, "中华人民共和国政府信息公开条例", "蓬莱市人力资源和社会保障局"]:
        assert normalise(word) == word
    for seed in ["000", "001", "004"]:  # the Simplified seed documents: no ideograph changes
        text = next(SEEDS.glob(f"{seed}_*.txt")).read_text(encoding="utf-8")
        assert HAN.findall(normalise(text)) == HAN.findall(text)


def test_it_normalises_a_traditional_seed_document():
    text = next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8")
    assert "劳动保障依法行政计划" in normalise(text)
    assert contains_all(text, parse_query("劳动保障依法行政计划"))


def test_it_folds_width_case_and_compatibility_forms():
    assert normalise("ＡＢＣ１２３") == "abc123" == normalise("abc123")
    assert normalise("（第１号）：Ｉｔｅｍ") == "(第1号):item"
    assert normalise("\uf900") == normalise("豈")  # compatibility ideograph -> unified
    assert normalise("⼀") == "一"  # Kangxi radical


def test_it_strips_control_and_format_characters_and_keeps_the_rest():
    assert normalise("低\x00保\u200b障\ufeff") == "低保障"
    assert normalise("低保\n申请\t") == "低保 申请 "
    assert normalise("葛\U000e0100城") == "葛城"  # an ideographic variation selector
    assert normalise("😀 ☆ ©") == "😀 ☆ ©"
    assert normalise("\ud800低保") == "低保"  # a lone surrogate does not break anything


def test_it_maps_every_han_character_to_exactly_one_han_character():
    for start, end in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2A6DF)):
        text = "".join(map(chr, range(start, end + 1)))
        assert HAN.fullmatch(normalise(text)) and len(normalise(text)) == len(text)


@settings(deadline=None)
@given(st.text())
def test_it_normalises_idempotently(text):
    assert normalise(normalise(text)) == normalise(text)


@settings(deadline=None, max_examples=300)
@given(st.text() | government_text)
def test_it_normalises_like_the_reference_pipeline(text):
    """The per-character fast path equals NFKC followed by the case and T->S tables."""
    tables = _tables()
    reference = unicodedata.normalize("NFKC", text.translate(tables.strip)).translate(tables.after)
    assert normalise(text) == reference


@settings(deadline=None)
@given(st.text(cjk_char), st.text(cjk_char))
def test_it_normalises_han_text_character_by_character(left, right):
    """Context never changes a conversion, so a substring's form is a substring of the text's."""
    assert normalise(left + right) == normalise(left) + normalise(right)


def test_it_does_not_depend_on_phrase_context():
    # OpenCC's phrase-aware t2s gives 说乾隆 for 說乾隆 but 说干 for 說乾; per character it is stable.
    assert normalise("說乾") in normalise("說乾隆")


# --- tokens ------------------------------------------------------------------------------


def test_it_splits_cjk_runs_into_overlapping_bigrams():
    assert tokens("低保障") == ["低保", "保障"]
    assert tokens("低保") == ["低保"]
    assert tokens("低") == ["低"]
    assert tokens("低，保障。") == ["低", "保障"]
    assert tokens("〇〇二") == ["〇〇", "〇二"]


def test_it_keeps_words_and_numbers_whole():
    assert tokens("2025年度报告 11441234MB2C00001A Covid-19") == [
        "2025",
        "年",  # the edge character beside a word (see the mixed-script tests below)
        "年度",
        "度报",
        "报告",
        "告",
        "11441234mb2c00001a",
        "covid",
        "19",
    ]
    assert tokens("第3号abc低保") == ["第", "3", "号", "abc", "低", "低保"]


def test_it_drops_punctuation_symbols_and_emoji():
    assert tokens('"*()^:+-😀☆——……') == []
    assert tokens("😀低保🎉") == ["低保"]


def test_it_drops_words_too_long_to_be_queried():
    assert tokens("a" * 51 + " " + "b" * 50) == ["b" * 50]


def test_it_builds_index_text():
    assert index_text("勞動保障 ＡＢＣ１２３。") == "劳动 动保 保障 障 abc123"
    assert index_text("") == ""


def test_it_gives_the_same_tokens_for_simplified_and_traditional():
    assert tokens("勞動保障") == tokens("劳动保障")
    assert tokens("ＡＢＣ１２３") == tokens("abc123") == ["abc123"]


# --- recall ------------------------------------------------------------------------------


@st.composite
def text_and_query(draw):
    text = draw(government_text) + draw(st.sampled_from(VOCABULARY))  # at least one run of 2+
    runs = [m for m in HAN.finditer(text) if len(m.group()) >= 2]
    run = draw(st.sampled_from(runs))
    length = draw(st.integers(2, min(4, len(run.group()))))
    start = draw(st.integers(run.start(), run.end() - length))
    return text, text[start : start + length]


@settings(deadline=None, max_examples=300)
@given(text_and_query())
def test_it_finds_every_text_containing_a_two_to_four_character_query(case):
    text, q = case
    query = parse_query(q)
    assert query.error is None
    assert set(tokens(q)) <= set(tokens(text))
    assert set(query.terms) <= set(tokens(text))
    assert contains_all(text, query)
    assert "<mark>" in highlight(text, query)


@settings(deadline=None, max_examples=300)
@given(government_text, st.text(cjk_char, min_size=2, max_size=4) | st.sampled_from(VOCABULARY))
def test_it_confirms_nothing_in_a_text_without_the_query(text, q):
    assume(normalise(q) not in normalise(text))
    assert not contains_all(text, parse_query(q))


@settings(deadline=None, max_examples=100)
@given(st.lists(government_text, min_size=1, max_size=8), st.data())
def test_it_finds_exactly_the_matching_texts_through_a_bigram_index(texts, data):
    """Index lookup (AND of terms) then confirmation returns exactly the texts holding q."""
    runs = [m.group() for t in texts for m in HAN.finditer(t) if len(m.group()) >= 2]
    pool = runs or VOCABULARY
    source = data.draw(st.sampled_from(pool))
    length = data.draw(st.integers(2, min(4, len(source))))
    start = data.draw(st.integers(0, len(source) - length))
    q = source[start : start + length]
    query = parse_query(q)
    index = [set(index_text(t).split()) for t in texts]
    found = [t for t, terms in zip(texts, index, strict=True) if set(query.terms) <= terms]
    confirmed = [t for t in found if contains_all(t, query)]
    assert confirmed == [t for t in texts if normalise(q) in normalise(t)]


def test_it_matches_simplified_queries_to_traditional_text_and_back():
    assert contains_all("政务公开工作", parse_query("政務公開"))
    assert contains_all("政務公開工作", parse_query("政务公开"))
    assert contains_all("Ｐｏｒｔａｌ ＡＢＣ１２３", parse_query("abc123"))
    assert not contains_all("政务工作", parse_query("政務公開"))


# --- queries -----------------------------------------------------------------------------


def test_it_parses_a_query_into_terms_and_phrases():
    query = parse_query("  政務公開 低保障 ABC 低保障 年")
    assert query == Query(
        terms=("政务", "务公", "公开", "低保", "保障", "abc"),
        phrases=("政务公开", "低保障", "abc", "年"),
        error=None,
    )
    assert fts5_match(query) == 'tokens : ("政务 务公 公开" AND "低保 保障" AND "abc")'
    assert tsquery_text(query) == "('政务' <-> '务公' <-> '公开') & ('低保' <-> '保障') & 'abc'"
    assert tsquery_text(query, phrase=False) == "'政务' & '务公' & '公开' & '低保' & '保障' & 'abc'"
    # Only whitespace separates phrases: punctuation inside a part keeps it one sequence.
    query = parse_query("《政務公開，低保障》")
    assert query.phrases == ("政务公开,低保障",)
    assert fts5_match(query) == 'tokens : ("政务 务公 公开 低保 保障")'


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("", MSG_EMPTY),
        (" ", MSG_EMPTY),
        ('"*:-', MSG_EMPTY),
        ("😀", MSG_EMPTY),
        ("\x00\x1f", MSG_EMPTY),
        ("低", MSG_TOO_SHORT),
        (" 低 ", MSG_TOO_SHORT),
        ("低 保", MSG_TOO_SHORT),
        ("低" * 51, MSG_TOO_LONG),
        ("低" * 1000, MSG_TOO_LONG),
        ("a", None),
        ("低" * 50, None),
        ("低保" + " " * 100 + "救助", None),
    ],
)
def test_it_explains_queries_that_cannot_be_searched(raw, error):
    query = parse_query(raw)
    assert query.error == error
    if error:
        assert query.terms == query.phrases == ()
        with pytest.raises(ValueError):
            fts5_match(query)


def _assert_safe(query: Query) -> None:
    if query.error is None:
        assert FTS5_GRAMMAR.fullmatch(fts5_match(query)), fts5_match(query)
        assert TSQUERY_GRAMMAR.fullmatch(tsquery_text(query)), tsquery_text(query)
        assert TSQUERY_GRAMMAR.fullmatch(tsquery_text(query, phrase=False))
    else:
        assert query.error in (MSG_EMPTY, MSG_TOO_SHORT, MSG_TOO_LONG)


@pytest.mark.parametrize("raw", HOSTILE)
def test_it_treats_hostile_queries_as_plain_text(raw):
    query = parse_query(raw)
    _assert_safe(query)
    assert all(operator not in query.terms for operator in ("NEAR", "OR", "AND", "NOT"))


def test_it_turns_operators_into_ordinary_words():
    assert parse_query('低保" OR 1=1 --').terms == ("低保", "or", "1")
    assert parse_query("'; DROP TABLE x; --").terms == ("drop", "table", "x")
    assert parse_query("NEAR").terms == ("near",)


@settings(deadline=None, max_examples=300)
@given(st.text(max_size=80) | government_text)
def test_it_never_raises_and_always_builds_safe_expressions(raw):
    _assert_safe(parse_query(raw))


# --- highlight ---------------------------------------------------------------------------


def test_it_marks_traditional_text_for_a_simplified_query():
    assert highlight("推進政務公開工作", parse_query("政务公开")) == "推進<mark>政務公開</mark>工作"


def test_it_escapes_the_text():
    snippet = highlight('<script>alert("低保")</script> & 低保', parse_query("低保"))
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet
    assert snippet.count("<mark>") == 2
    assert highlight("<b>no match</b>", parse_query("低保")) == "&lt;b&gt;no match&lt;/b&gt;"


def test_it_marks_every_occurrence():
    text = "低保申请。" * 5 + "城乡低保标准"
    snippet = highlight(text, parse_query("低保"), width=1000)
    assert snippet.count("<mark>低保</mark>") == text.count("低保") == 6
    assert snippet.count("<mark>") == snippet.count("</mark>") == 6


def test_it_merges_overlapping_phrases_into_one_mark():
    assert highlight("最低保障线", parse_query("低保 保障")) == "最<mark>低保障</mark>线"


def test_it_cuts_a_long_text_around_the_first_match():
    text = "前" * 300 + "社会救助" + "后" * 300
    snippet = highlight(text, parse_query("社会救助"), width=60)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>社会救助</mark>" in snippet
    assert len(_plain(snippet)) <= 62


def test_it_shows_the_start_when_nothing_matches():
    assert highlight("甲" * 200, parse_query("低保"), width=10) == "甲" * 10 + "…"
    assert highlight("", parse_query("低保")) == ""
    assert highlight("低保", parse_query("")) == "低保"


def test_it_maps_length_changing_normalisation_back_to_the_original():
    text = "①㍿低保……ＡＢＣ\x00\u200b低保ﬁ"
    snippet = highlight(text, parse_query("低保 abc fi"))
    assert snippet == "①㍿<mark>低保</mark>……<mark>ＡＢＣ</mark><mark>低保</mark><mark>ﬁ</mark>"
    assert highlight("(株)と㍿", parse_query("株式会社")) == "(株)と<mark>㍿</mark>"
    assert highlight("cafe\u0301 低保", parse_query("café")) == "<mark>cafe\u0301</mark> 低保"


@settings(deadline=None)
@given(st.text())
def test_it_aligns_normalised_and_original_text(text):
    norm, starts, ends, _ = _aligned(text)
    assert norm == normalise(text)
    assert len(starts) == len(ends) == len(norm)
    assert all(0 <= s < e <= len(text) for s, e in zip(starts, ends, strict=True))


@settings(deadline=None, max_examples=200)
@given(government_text, st.sampled_from(VOCABULARY), st.integers(1, 200))
def test_it_bounds_and_escapes_every_snippet(text, q, width):
    query = parse_query(q)
    snippet = highlight(text, query, width=width)
    assert re.sub(r"</?mark>", "", snippet).count("<") == 0
    assert len(_plain(snippet)) <= width + 2
    assert snippet.count("<mark>") == snippet.count("</mark>")
    if contains_all(text, query) and width >= 8:
        assert "<mark>" in snippet


# --- real backends -----------------------------------------------------------------------

DOCUMENTS = [
    "城乡居民最低生活保障办事指南",  # 0
    "低保申请条件与审批流程",  # 1
    "勞動保障依法行政計劃",  # 2 Traditional
    "社會保險條例實施細則",  # 3 Traditional
    "社会保险费征缴暂行条例",  # 4
    "政府信息公开工作年度报告 2025",  # 5
    "低保 保障",  # 6: the bigrams of 低保障, adjacent, but not the substring
    "养老救助",  # 7
]
EXPECTED = {
    "低保": {1, 6},
    "保障": {0, 2, 6},
    "劳动保障": {2},
    "勞動保障": {2},
    "社会保险": {3, 4},
    "社會保險條例": {3},
    "生活保障": {0},
    "政府信息": {5},
    "低保障": set(),
    "保险 条例": {3, 4},
    "2025": {5},
}


@needs_fts5
def test_it_finds_exactly_the_expected_rows_with_sqlite_fts5():
    db = sqlite3.connect(":memory:")
    db.execute(
        "create virtual table docs using fts5(tokens, facets, tokenize = 'unicode61 remove_diacritics 0')"
    )
    db.executemany(
        "insert into docs(rowid, tokens, facets) values (?, ?, ?)",
        [(i, index_text(d), facet_text({"year": 2020 + i % 2})) for i, d in enumerate(DOCUMENTS)],
    )
    for raw, expected in EXPECTED.items():
        query = parse_query(raw)
        rows = {r for (r,) in db.execute("select rowid from docs where docs match ?", (fts5_match(query),))}
        assert {r for r in rows if contains_all(DOCUMENTS[r], query)} == expected, raw
        assert rows >= expected
    assert {
        r
        for (r,) in db.execute(
            "select rowid from docs where docs match ?", (fts5_match(parse_query("低保障")),)
        )
    } == {6}
    for raw in HOSTILE:
        query = parse_query(raw)
        if query.error is None:
            db.execute("select rowid from docs where docs match ?", (fts5_match(query),)).fetchall()
    # Filters are terms of the facets column only: a query for the token itself finds nothing.
    for raw, expected in EXPECTED.items():
        query = parse_query(raw)
        odd = {
            r
            for (r,) in db.execute(
                "select rowid from docs where docs match ?", (fts5_match(query, {"year": 2021}),)
            )
        }
        assert {r for r in odd if contains_all(DOCUMENTS[r], query)} == {r for r in expected if r % 2}, raw
    either = fts5_match(parse_query("低保"), {"year": [2020, 2021], "agency_id": None})
    assert {r for (r,) in db.execute("select rowid from docs where docs match ?", (either,))} == {
        r
        for (r,) in db.execute(
            "select rowid from docs where docs match ?", (fts5_match(parse_query("低保")),)
        )
    }
    assert not db.execute(
        "select rowid from docs where docs match ?", (fts5_match(parse_query("y2021")),)
    ).fetchall()


@pytest.fixture(scope="module")
def postgres():
    with scratch_database("gk_search_text_test") as connection:
        yield connection


def test_it_finds_exactly_the_expected_rows_with_postgresql(postgres):
    def match(document: str, tsquery: str) -> bool:
        sql = "select to_tsvector('simple', %s) @@ to_tsquery('simple', %s)"
        return postgres.execute(sql, (index_text(document), tsquery)).fetchone()[0]

    for raw, expected in EXPECTED.items():
        query = parse_query(raw)
        for phrase in (True, False):
            rows = {i for i, d in enumerate(DOCUMENTS) if match(d, tsquery_text(query, phrase=phrase))}
            assert {r for r in rows if contains_all(DOCUMENTS[r], query)} == expected, raw
    assert [match(d, tsquery_text(parse_query("低保障"))) for d in DOCUMENTS].count(True) == 1
    for raw in HOSTILE:
        query = parse_query(raw)
        if query.error is None:
            postgres.execute("select to_tsquery('simple', %s)", (tsquery_text(query),)).fetchone()


def test_it_needs_plain_and_for_matches_deep_in_long_texts_on_postgresql(postgres):
    """A tsvector keeps positions only up to 16,383: <-> misses what lies beyond, & does not."""
    document = "公告" * 10_000 + "低保障"
    query = parse_query("低保障")
    sql = "select to_tsvector('simple', %s) @@ to_tsquery('simple', %s)"
    assert not postgres.execute(sql, (index_text(document), tsquery_text(query))).fetchone()[0]
    assert postgres.execute(sql, (index_text(document), tsquery_text(query, phrase=False))).fetchone()[0]
    assert contains_all(document, query)


# --- newest-first key, filter tokens, PostgreSQL position limits -------------------------------------


# The documented domain: seconds 0 .. 2**33 - 2, ids 1 .. 10**9 - 1 (clamping is tested apart).
@settings(max_examples=500)
@given(
    st.tuples(st.integers(0, 2**33 - 2), st.integers(1, 10**9 - 1)),
    st.tuples(st.integers(0, 2**33 - 2), st.integers(1, 10**9 - 1)),
)
def test_recency_key_sorts_newest_first_then_by_id_descending(a, b):
    key_a, key_b = recency_key(*a), recency_key(*b)
    assert 0 < key_a < 2**63 and 0 < key_b < 2**63
    assert (key_a < key_b) == ((a[0], a[1]) > (b[0], b[1]))
    assert (key_a == key_b) == (a == b)


def test_recency_key_refuses_ids_it_cannot_order():
    with pytest.raises(ValueError):
        recency_key(0, 10**9)
    with pytest.raises(ValueError):
        recency_key(0, 0)
    assert recency_key(-5, 1) == recency_key(0, 1)  # before 1970: as 1970
    # After the last second: as the last second, and the key stays positive.
    assert recency_key(2**40, 10**9 - 1) == recency_key(2**33 - 2, 10**9 - 1) == 10**9
    assert recency_key(2**33 - 1, 10**9 - 1) > 0


@given(st.text(max_size=30) | st.integers(0, 2**62))
def test_facet_tokens_are_single_alphanumeric_tokens(value):
    for column in ("agency_id", "genre"):
        if column == "agency_id" and isinstance(value, str):
            continue
        token = facet_token(column, value)
        assert re.fullmatch(r"[a-z][a-z0-9]*", token)  # one token for FTS5's unicode61 and PostgreSQL


def test_facet_text_skips_empty_values_and_keeps_distinct_values_apart():
    text = facet_text({"agency_id": 3, "department_id": None, "year": 2024, "validity": "valid", "genre": ""})
    assert text == "a3 y2024 vx76616c6964"
    assert facet_token("category_id", 12) != facet_token("department_id", 12)
    assert facet_token("genre", "notice") != facet_token("genre", "notices")


def test_positions_lossy_marks_what_a_tsvector_cannot_keep_exactly():
    assert not positions_lossy(["低保"] * 250 + ["保障"] * 10)
    assert positions_lossy(["低保"] * 251)
    assert positions_lossy([f"w{i}" for i in range(15001)])
    assert not positions_lossy([])


@settings(deadline=None, max_examples=300)
@given(
    st.text(max_size=200) | government_text,
    st.text(max_size=8) | st.sampled_from(["低保", "社会保险", "政府"]),
)
def test_confirmed_snippet_is_contains_all_then_highlight(text, raw):
    query = parse_query(raw)
    expected = highlight(text, query) if contains_all(text, query) else None
    assert confirmed_snippet(text, query) == expected


_MIXED = st.lists(
    st.sampled_from(
        ["低保", "低保障", "社会保险", "社會保險", "，", "。", "（", "Ａ", "a", " ", "政府", "\n", "工作"]
    ),
    max_size=120,
).map("".join)


@settings(deadline=None, max_examples=500)
@given(_MIXED, st.sampled_from(["低保", "社会保险", "政府 工作", "保险 低保", "a 政府"]), st.integers(1, 80))
@example("低保" + "。" * 8 + "低保", "低保", 11)  # an occurrence straddling the snippet's right edge
@example("社會保險。社会保险", "社会保险", 6)  # the first occurrence is the Traditional one
def test_confirmed_snippet_reads_only_the_head_of_the_text_and_still_matches_the_whole(text, raw, width):
    # Occurrences in Traditional or full-width form before the first plain one, overlapping phrases,
    # narrow snippets: the fast path must give what normalising the whole text gives.
    query = parse_query(raw)
    expected = highlight(text, query, width=width) if contains_all(text, query) else None
    assert confirmed_snippet(text, query, width=width) == expected


@settings(deadline=None, max_examples=500)
@given(st.text(max_size=200) | government_text)
def test_normalising_only_the_characters_that_change_equals_translating_all(text):
    tables = _tables()
    if not tables.unsafe.search(text):
        assert normalise(text) == text.translate(tables.per_char)
        assert _aligned(text)[0] == text.translate(tables.per_char)


# --- boundaries the mutation run found untested (shared/research/mutation.md) -----------------------


@pytest.mark.parametrize(
    ("codepoint", "han"),
    [
        (0x33FF, False),
        (0x3400, True),
        (0x4DBF, True),
        (0x4DC0, False),  # ䷀ a Yijing hexagram: a symbol
        (0x4DFF, False),
        (0x4E00, True),  # 一
        (0x9FFF, True),
        (0x20000, True),
        (0x323AF, True),
        (0x323B0, False),
    ],
)
def test_the_han_ranges_end_where_unicode_ends_them(codepoint, han):
    pair = chr(codepoint) * 2
    assert (tokens(pair) == [pair]) == han  # a bigram of the two characters as they are


def test_yi_is_han_inside_a_word():
    assert tokens("统一规划") == ["统一", "一规", "规划"]


@pytest.mark.parametrize("selector", ["\ufe00", "\ufe0e", "\ufe0f", "\U000e0100", "\U000e01ef"])
def test_every_variation_selector_is_dropped(selector):
    assert normalise(f"低{selector}保") == "低保"
    assert tokens(f"低{selector}保") == ["低保"]


def test_a_snippet_never_ends_inside_a_combining_cluster():
    assert highlight("低保cafe\u0301 abc", parse_query("低保"), width=6) == "<mark>低保</mark>cafe\u0301…"


def test_a_mark_nested_in_a_longer_one_after_an_earlier_mark_is_merged():
    snippet = highlight("保险 社会保险费", parse_query("社会保险费 保险"))
    assert snippet == "<mark>保险</mark> <mark>社会保险费</mark>"


def test_an_occurrence_ending_at_the_left_edge_gives_no_empty_mark():
    assert highlight("𠀀𠀀", parse_query("低保 𠀀 低保"), width=0) == "<mark>𠀀</mark>…"


def test_the_default_snippet_is_120_characters():
    text = "前" * 300 + "低保" + "后" * 300
    snippet = highlight(text, parse_query("低保"))
    assert len(_plain(snippet)) == 120 + 2  # and a '…' at either end
    assert highlight("甲" * 130, parse_query("低保")) == "甲" * 120 + "…"


def test_positions_lossy_starts_past_15000_positions():
    assert not positions_lossy([f"w{i}" for i in range(15000)])
    assert positions_lossy([f"w{i}" for i in range(15001)])


def test_recency_key_values_are_pinned():
    assert recency_key(0, 1) == (2**33 - 1) * 10**9 + 10**9 - 2
    assert recency_key(1, 10**9 - 1) == (2**33 - 2) * 10**9


def test_the_messages_say_what_to_do():
    assert MSG_TOO_LONG == "搜索内容过长，请不超过50个字"
    assert MSG_TOO_SHORT == "请至少输入两个汉字或一个完整的词"


def test_traditional_gives_the_traditional_form():
    assert traditional("劳动保障") == "勞動保障"
    assert traditional("政务公开") == "政務公開"
