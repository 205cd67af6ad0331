"""Mixed-script sequences (人社发〔2025〕3号, 第12条, 2019年度), radicals NFKC leaves alone, and
highlighting across characters whose normalised form has another length (issue 10, 4.1 and 4.2)."""

import html
import re
import sqlite3
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gongkai.search.ideographs import EQUIVALENT_IDEOGRAPH
from gongkai.search.tests.helpers import needs_fts5
from gongkai.search.text import (
    _RUN_RE,
    MAX_GAP,
    MSG_TOO_SHORT,
    _pattern,
    confirmed_snippet,
    contains_all,
    fts5_match,
    highlight,
    index_phrases,
    index_text,
    normalise,
    parse_query,
    phrase_tokens,
    tokens,
    tsquery_text,
)
from gongkai.testing.postgres import scratch_database

HAN = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af]")


def _plain(snippet: str) -> str:
    return html.unescape(re.sub(r"</?mark>", "", snippet))


def _marks(snippet: str) -> list[str]:
    return [html.unescape(mark) for mark in re.findall(r"<mark>(.*?)</mark>", snippet)]


def _adjacent(run: tuple[str, ...], text_tokens: list[str]) -> bool:
    n = len(run)
    return any(tuple(text_tokens[i : i + n]) == run for i in range(len(text_tokens) - n + 1))


# --- tokens of Han runs beside words ------------------------------------------------------------


def test_a_han_run_beside_a_word_also_gives_its_edge_character():
    assert tokens("人社发〔2025〕3号文件") == ["人社", "社发", "发", "2025", "3", "号", "号文", "文件"]
    assert tokens("依据第12条规定") == ["依据", "据第", "第", "12", "条", "条规", "规定"]
    assert tokens("2019年度报告") == ["2019", "年", "年度", "度报", "报告"]
    assert tokens("低保障") == ["低保", "保障"]  # Han alone: bigrams as before
    assert tokens("abc 2025") == ["abc", "2025"]


def test_a_phrase_gives_the_tokens_its_text_surely_has():
    assert phrase_tokens("人社发〔2025〕3号") == ("人社", "社发", "发", "2025", "3", "号")
    assert phrase_tokens("第12条") == ("第", "12", "条")
    assert phrase_tokens("2019年度") == ("2019", "年", "年度")
    # A lone Han character at an end beside Han: the text's run may go on there (最低、救助).
    assert phrase_tokens("低、救助") == ("救助",)
    assert phrase_tokens("救助、低") == ("救助",)
    assert phrase_tokens("低") == ()
    assert phrase_tokens("低、保") == ()


def test_a_query_part_is_one_phrase():
    query = parse_query("人社发〔2025〕3号  第１２条")
    assert query.phrases == ("人社发〔2025〕3号", "第12条")
    assert fts5_match(query) == 'tokens : ("人社 社发 发 2025 3 号" AND "第 12 条")'
    assert (
        tsquery_text(query)
        == "('人社' <-> '社发' <-> '发' <-> '2025' <-> '3' <-> '号') & ('第' <-> '12' <-> '条')"
    )
    assert index_phrases(query) == [("人社", "社发", "发", "2025", "3", "号"), ("第", "12", "条")]
    assert parse_query("《条例》").phrases == ("条例",)  # from the first run to the last
    assert parse_query("号 条").error == MSG_TOO_SHORT


# --- precision and recall -------------------------------------------------------------------------

DOCUMENTS = [
    "关于印发人社发〔2025〕3号文件的通知",  # 0
    "人社发〔2024〕3号 另见2025年工作要点",  # 1: each part, not the sequence
    "人社发〔2025〕13号",  # 2: 13号, not 3号
    "人社发[2025]3号",  # 3: other brackets
    "根据《条例》第十二条规定",  # 4
    "根据第12条规定",  # 5
    "第1条、第2条",  # 6: 第 1 2 条 all present, 第12条 not
    "2019年度报告",  # 7
    "2019年 年度报告",  # 8: 2019 and 年度, not 2019年度
    "２０１９ 年度工作",  # 9: full-width digits, a PDF space
    "共12条措施",  # 10
    "人⺠政府⻔户网站",  # 11: radicals from a PDF
    "GB/T 2260-2007 行政区划代码",  # 12
    "gb 2260行政区划",  # 13
]
EXPECTED = {
    "人社发〔2025〕3号": {0, 3},
    "人社发[2025]3号": {0, 3},
    "人社发〔２０２５〕３号": {0, 3},
    "3号": {0, 1, 3},
    "13号": {2},
    "第十二条": {4},
    "第12条": {5},
    "12条": {5, 10},
    "第1条": {6},
    "2019年度": {7, 9},
    "2019年": {7, 8, 9},
    "年度报告": {7, 8},
    "人民政府": {11},
    "民政": {11},
    "门户网站": {11},
    "gb/t 2260": {12},
    "GB 2260": {12, 13},  # two phrases: whitespace separates
    "gb2260": set(),
    "2260行政区划": {13},
    "2260": {12, 13},
}


def _confirmed(query, candidates):
    return {i for i in candidates if contains_all(DOCUMENTS[i], query)}


@pytest.mark.parametrize(("raw", "expected"), EXPECTED.items())
def test_a_sequence_is_confirmed_whole_and_its_parts_alone_are_not(raw, expected):
    query = parse_query(raw)
    assert _confirmed(query, range(len(DOCUMENTS))) == expected
    for i in range(len(DOCUMENTS)):  # the index never loses what confirmation accepts
        if i in expected:
            assert all(_adjacent(run, tokens(DOCUMENTS[i])) for run in index_phrases(query)), (raw, i)
        snippet = confirmed_snippet(DOCUMENTS[i], query)
        assert (snippet is not None) == (i in expected)


def test_the_whole_sequence_is_marked_as_written():
    assert (
        highlight("关于人社发〔2025〕3号文件", parse_query("人社发[2025]3号"))
        == "关于<mark>人社发〔2025〕3号</mark>文件"
    )
    assert highlight("２０１９ 年度工作", parse_query("2019年度")) == "<mark>２０１９ 年度</mark>工作"
    # A word is whole: 3号 is not marked inside 13号.
    assert highlight("13号和3号", parse_query("3号")) == "13号和<mark>3号</mark>"
    assert highlight("x3号 ab3号", parse_query("3号")) == "x3号 ab3号"
    assert highlight("第1条、第12条", parse_query("第12条")) == "第1条、<mark>第12条</mark>"


def test_separators_between_runs_are_bounded():
    gap = "　" * MAX_GAP
    assert contains_all(f"2019{gap}年度", parse_query("2019年度"))
    assert not contains_all(f"2019{gap}　年度", parse_query("2019年度"))
    assert contains_all("低保、救助", parse_query("低保，救助"))
    assert not contains_all("低保救助", parse_query("低保，救助"))  # the query has a break there


def test_numerals_are_not_converted():
    # The decision (text.py): 第十二条 and 第12条 each find their own form, not each other.
    assert not contains_all("第十二条", parse_query("第12条"))
    assert not contains_all("第12条", parse_query("第十二条"))
    assert not contains_all("第一百一十二条", parse_query("第十二条"))


SEPARATORS = ["", "", " ", "〔", "〕", "、", "[", "-", "/", "　", "（", "）"]
mixed_piece = st.one_of(
    st.sampled_from(["人社发", "第", "条", "号", "年度", "低保", "救助", "十二", "报告", "年", "文件"]),
    st.sampled_from(["2025", "3", "13", "12", "1", "2019", "２０２５", "３", "gb", "GB", "t", "abc"]),
    st.sampled_from(SEPARATORS),
    st.sampled_from(["㈠", "⒈", "ﬁ", "㍿", "⺠", "⻔", "Ⓐ", "⼀"]),
)
mixed_text = st.lists(mixed_piece, max_size=25).map("".join)


@st.composite
def text_and_part(draw):
    """A text and a query drawn from it: runs a..b of its normalised form, no whitespace inside, Han
    runs at either end possibly cut short."""
    text = draw(mixed_text)
    norm = normalise(text)
    runs = list(_RUN_RE.finditer(norm))
    if not runs:
        return "低保", "低保"
    a = draw(st.integers(0, len(runs) - 1))
    b = a
    while b + 1 < len(runs) and draw(st.booleans()):
        b += 1
    start, end = runs[a].start(), runs[b].end()
    if runs[a].group(1):
        start = draw(st.integers(start, runs[a].end() - 1))
    if runs[b].group(1):
        end = draw(st.integers(max(start, runs[b].start()) + 1, end))
    return text, norm[start:end]


@settings(deadline=None, max_examples=400)
@given(text_and_part())
@example(("最低、救助", "低、救"))
@example(("3号文5", "号文5"))
@example(("人社发〔2025〕3号文件", "社发〔2025〕3号文"))
def test_every_part_of_a_text_finds_it_through_the_index(case):
    text, part = case
    query = parse_query(part)
    confirmed = contains_all(text, query)
    gaps = [len(g) for g in re.split(r"[^\W_]+", part)[1:-1]] if part else []
    if query.error or re.search(r"\s", part) or any(gap > MAX_GAP for gap in gaps):
        return
    assert confirmed, (text, part)
    text_tokens = tokens(text)
    for run in index_phrases(query):
        assert _adjacent(run, text_tokens), (text, part, run)
    assert "<mark>" in highlight(text, query, width=len(text))


@settings(deadline=None, max_examples=400)
@given(mixed_text, mixed_text)
def test_whatever_confirmation_accepts_the_index_finds(text, raw):
    query = parse_query(raw)
    if query.error or not contains_all(text, query):
        return
    text_tokens = tokens(text)
    assert all(_adjacent(run, text_tokens) for run in index_phrases(query)), (text, raw)


@settings(deadline=None, max_examples=300)
@given(mixed_text, mixed_text, st.integers(1, 60))
def test_the_fast_snippet_equals_the_full_one(text, raw, width):
    query = parse_query(raw)
    expected = highlight(text, query, width=width) if contains_all(text, query) else None
    assert confirmed_snippet(text, query, width=width) == expected


# --- real backends ----------------------------------------------------------------------------------


@needs_fts5
def test_sqlite_fts5_finds_exactly_the_sequences():
    db = sqlite3.connect(":memory:")
    db.execute("create virtual table docs using fts5(tokens, tokenize = 'unicode61 remove_diacritics 0')")
    db.executemany(
        "insert into docs(rowid, tokens) values (?, ?)", list(enumerate(map(index_text, DOCUMENTS)))
    )
    for raw, expected in EXPECTED.items():
        query = parse_query(raw)
        rows = {r for (r,) in db.execute("select rowid from docs where docs match ?", (fts5_match(query),))}
        assert rows >= expected, raw
        assert _confirmed(query, rows) == expected, raw


@pytest.fixture(scope="module")
def postgres():
    with scratch_database("gk_search_sequences_test") as connection:
        yield connection


def test_postgresql_finds_exactly_the_sequences(postgres):
    sql = "select to_tsvector('simple', %s) @@ to_tsquery('simple', %s)"
    for raw, expected in EXPECTED.items():
        query = parse_query(raw)
        phrase = {
            i
            for i, d in enumerate(DOCUMENTS)
            if postgres.execute(sql, (index_text(d), tsquery_text(query))).fetchone()[0]
        }
        assert phrase >= expected, raw
        assert _confirmed(query, phrase) == expected, raw
        # The lossy entries' check: the phrase's tokens adjacent in the token text.
        for i in expected:
            for run in index_phrases(query):
                assert f" {' '.join(run)} " in f" {index_text(DOCUMENTS[i])} "


# --- radicals NFKC leaves alone -----------------------------------------------------------------------

UCD = Path("/usr/share/unicode/EquivalentUnifiedIdeograph.txt")  # Debian's unicode-data


def test_radicals_from_pdfs_are_indexed_and_queried_as_their_ideograph():
    assert normalise("⺠⻔⻓⻢⻅") == "民门长马见"
    assert normalise("⻑") == "长"  # a Traditional equivalent (長) is simplified like any other
    assert tokens("人⺠政府") == tokens("人民政府")
    assert parse_query("人⺠") == parse_query("人民")
    # The stored text keeps what was written: the snippet shows the radical, marked.
    assert highlight("县人⺠政府", parse_query("人民政府")) == "县<mark>人⺠政府</mark>"
    assert highlight("人民政府", parse_query("人⺠政府")) == "<mark>人民政府</mark>"
    assert confirmed_snippet("⻔户网站", parse_query("门户")) == "<mark>⻔户</mark>网站"


def test_the_radical_table_covers_the_supplement_and_the_strokes():
    supplement = {cp for cp in range(0x2E80, 0x2F00) if unicodedata.category(chr(cp)) != "Cn"}
    # ⺀ REPEAT has no equivalent ideograph; ⺟ and ⻳ have compatibility decompositions (NFKC maps them).
    assert supplement - set(EQUIVALENT_IDEOGRAPH) == {0x2E80, 0x2E9F, 0x2EF3}
    assert normalise("⺟⻳") == "母龟"
    for cp, target in EQUIVALENT_IDEOGRAPH.items():
        assert 0x2E80 <= cp <= 0x2EFF or 0x31C0 <= cp <= 0x31EF
        assert unicodedata.normalize("NFKC", chr(cp)) == chr(cp)  # what NFKC does not do
        assert HAN.fullmatch(chr(target)) and len(normalise(chr(cp))) == 1
        assert HAN.fullmatch(normalise(chr(cp)))
    for cp in range(0x2F00, 0x2FD6):  # Kangxi radicals: NFKC already gives an ideograph
        assert HAN.fullmatch(normalise(chr(cp)))


@pytest.mark.skipif(not UCD.exists(), reason="Unicode data files (Debian's unicode-data) not installed")
def test_the_radical_table_is_the_unicode_property():
    expected = {}
    for line in UCD.read_text(encoding="utf-8").splitlines():
        data = line.split("#", 1)[0].strip()
        if data:
            codepoints, target = (part.strip() for part in data.split(";"))
            first, _, last = codepoints.partition("..")
            for cp in range(int(first, 16), int(last or first, 16) + 1):
                expected[cp] = int(target, 16)
    for cp, target in expected.items():
        assert normalise(chr(cp)) == normalise(chr(target)), hex(cp)
    assert {
        cp: target for cp, target in expected.items() if unicodedata.normalize("NFKC", chr(cp)) == chr(cp)
    } == EQUIVALENT_IDEOGRAPH


# --- highlighting across length changes ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "snippet"),
    [
        ("一、㈠低保申请㈡救助", "低保", "一、㈠<mark>低保</mark>申请㈡救助"),
        ("㈠低保", "㈠低保", "<mark>㈠低保</mark>"),  # (一)低保: 一 ) 低保, from ㈠ on
        ("前言⒈低保⒉救助", "救助", "前言⒈低保⒉<mark>救助</mark>"),
        ("⒈2019年度", "2019年度", "⒈<mark>2019年度</mark>"),
        ("ﬁle ﬁnance低保", "低保", "ﬁle ﬁnance<mark>低保</mark>"),
        ("the ﬁle 低保", "file", "the <mark>ﬁle</mark> 低保"),
        ("㍿㍿低保㍿", "低保", "㍿㍿<mark>低保</mark>㍿"),
        ("㍿第3号㍿", "第3号", "㍿<mark>第3号</mark>㍿"),
        ("人⺠㈠政府", "人民", "<mark>人⺠</mark>㈠政府"),
    ],
)
def test_marks_are_the_original_characters_of_the_match(text, raw, snippet):
    query = parse_query(raw)
    assert highlight(text, query) == snippet
    assert confirmed_snippet(text, query) == snippet


@settings(deadline=None, max_examples=300)
@given(mixed_text, mixed_text, mixed_text)
def test_every_mark_normalises_to_a_match_and_nothing_else_is_lost(before, middle, after):
    text = before + middle + after
    query = parse_query(middle)
    if query.error:
        return
    snippet = highlight(text, query, width=len(text) + 1)
    assert _plain(snippet) == re.sub(r"\s+", " ", text).strip()
    for mark in _marks(snippet):
        assert any(_pattern(phrase)[0].search(normalise(mark)) for phrase in query.phrases), (text, mark)
