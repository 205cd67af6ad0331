"""Hostile input on the search page: every query and parameter answers 200, with results or a clear
Chinese message, never a 500 (on SQLite and on PostgreSQL)."""

import re

import pytest

from gongkai.catalogue.models import Item
from gongkai.search.models import SearchEntry
from gongkai.search.text import MAX_QUERY_LENGTH, MSG_EMPTY, MSG_TOO_LONG, MSG_TOO_SHORT
from gongkai.testing.builders import publish

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")

QUERIES = [
    # empty, too short, too long
    "",
    "   ",
    "\t\n",
    "低",
    "a",
    "低" * 1000,
    "a" * 1000,
    "低保 " * 200,
    "a" * (MAX_QUERY_LENGTH + 1),
    # FTS5 and tsquery syntax
    '"',
    '""',
    '"低保',
    "*",
    "低保*",
    "NEAR",
    "NEAR(低保 社保, 2)",
    "OR",
    "AND",
    "NOT",
    "低保 OR 社保",
    "低保 AND NOT 社保",
    "-",
    "-低保",
    "低保 -社保",
    ":",
    "tokens:低保",
    "search_fts:低保",
    "^低保",
    "(",
    ")",
    "{低保}",
    "+",
    "!",
    "&",
    "|",
    "<->",
    "低保 & 社保",
    "低保 | 社保",
    "!低保",
    "低保:*",
    ":*",
    "'",
    "''",
    "\\",
    "\\'",
    "%",
    "_",
    "低保%",
    "低_保",
    # SQL fragments
    "'; DROP TABLE catalogue_item; --",
    '低保" OR 1=1 --',
    "' OR '1'='1",
    "低保'); DELETE FROM search_searchentry; --",
    "1; SELECT pg_sleep(5)",
    "低保 UNION SELECT password FROM organisation_user",
    # control and format characters
    "\x00",
    "低\x00保",
    "\x01\x02\x1f\x7f",
    "低保\u200b",
    "\u202e低保",
    "\ufeff低保",
    "低\u0301保",
    "\ud7ff",
    # emoji and symbols
    "😀",
    "低保😀",
    "👨\u200d👩\u200d👧",
    "🇨🇳",
    "☆★※◎",
    "——……",
    # mixed scripts and forms
    "低保abcΕλληνικά한국어ひらがなкириллица",
    "社會保險 social insurance 2024",
    "ＡＢＣ１２３",
    "Ⅻ",
    "\U00020000\U00020001",
    "ﷺ",
    "e\u0301",
    "١٢٣",
]


@pytest.fixture
def indexed(team):
    publish(team, "关于城乡低保标准的通知", "城乡低保标准和社保缴费。social insurance 2024。")
    publish(team, "社會保險費徵收辦法", "社會保險費由稅務部門徵收。")
    return Item.objects.count(), SearchEntry.objects.count()


def _check(response) -> str:
    assert response.status_code == 200
    page = response.content.decode()
    error = response.context["error"]
    if error:
        assert CJK.search(error), error
        assert error in page
    return page


@pytest.mark.parametrize("query", QUERIES, ids=[repr(q)[:40] for q in QUERIES])
def test_every_query_answers_with_results_or_a_chinese_message(client, indexed, query):
    _check(client.get("/search/", {"q": query}))
    # The database is as it was: nothing dropped, nothing deleted.
    assert (Item.objects.count(), SearchEntry.objects.count()) == indexed
    assert client.get("/search/suggest/", {"q": query}).status_code == 200


def test_the_messages_say_what_is_wrong(client, indexed):
    def error(q: str) -> str | None:
        return client.get("/search/", {"q": q}).context["error"]

    assert error("") is None  # just the search box
    assert error("低") == MSG_TOO_SHORT
    assert error("低" * 1000) == MSG_TOO_LONG
    assert error('"') == MSG_EMPTY
    assert error("😀") == MSG_EMPTY
    assert error("\x00") == MSG_EMPTY
    assert error("低保") is None


def test_syntax_characters_are_plain_text(client, indexed):
    def total(q: str) -> int:
        """Items matching the whole query (a query split into its words counts as no match)."""
        results = client.get("/search/", {"q": q}).context["results"]
        return 0 if results.split_from else results.total

    assert total("低保") == 1
    assert total('"低保') == total("低保*") == total("-低保") == total("低保:*") == total("{低保}") == 1
    assert total("低保\u200b") == total("\ufeff低保") == 1
    assert total("低保 社保") == 1
    assert total("低保 OR 社保") == 0  # "or" is one more word to find, and no item has it
    assert total("低保 NEAR 社保") == 0
    assert total("社会保险") == total("社會保險") == 2  # 社保 is a synonym (the default SynonymGroup)
    assert total("social insurance") == 1
    assert total("低保😀") == 1


def test_the_query_is_escaped_on_the_page(client, indexed):
    page = client.get("/search/", {"q": '<script>alert("低保")</script>'}).content.decode()
    assert '<script>alert("低保")' not in page
    assert "&lt;script&gt;" in page


PARAMETERS = [
    {"page": "abc"},
    {"page": "1.5"},
    {"page": ""},
    {"page": "\x00"},
    {"page": "-1"},
    {"page": "0"},
    {"page": "99999999999999999999999999"},
    {"page": "１２"},
    {"page": "1e9"},
    {"category": "abc"},
    {"category": "-1"},
    {"category": "0"},
    {"category": "99999999999999999999999999"},
    {"category": "1 OR 1=1"},
    {"category": "\x00"},
    {"year": "abc"},
    {"year": "-2024"},
    {"year": "0"},
    {"year": "99999999999999999999999999"},
    {"year": "2024; DROP TABLE catalogue_item"},
    {"year": "\x00"},
    {"agency": "\x00"},
    {"agency": "' OR 1=1 --"},
    {"agency": "a" * 5000},
    {"department": "abc"},
    {"department": "99999999999999999999999999"},
    {"validity": "\x00"},
    {"genre": "' OR 1=1"},
    {"sort": "\x00"},
    {"sort": "relevance; DROP TABLE x"},
]


@pytest.mark.parametrize("params", PARAMETERS, ids=[repr(p)[:40] for p in PARAMETERS])
def test_odd_parameters_are_ignored_or_bounded(client, indexed, params):
    response = client.get("/search/", {"q": "低保", **params})
    _check(response)
    results = response.context["results"]
    assert results is not None
    assert 1 <= results.page <= 100
    if "page" not in params and "sort" not in params:
        assert results.total <= 1


def test_repeated_parameters_take_the_last(client, indexed):
    response = client.get("/search/?q=火星&q=低保&page=x&page=1")
    assert response.context["results"].total == 1


def test_only_get_and_head(client, indexed):
    assert client.post("/search/", {"q": "低保"}).status_code == 405
    assert client.head("/search/", {"q": "低保"}).status_code == 200
