"""PostgreSQL: search refuses a database that is not UTF8, with a clear message, instead of
silently finding nothing (the text-search parser drops Chinese text in SQL_ASCII)."""

import os
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from gongkai.search import selectors
from gongkai.search.selectors import NotUTF8Database, check_database, search_public

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def ascii_database():
    """A real, freshly created SQL_ASCII database on the same server, and a connection to it."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no server encoding")
    import psycopg
    from django.db.backends.postgresql.base import DatabaseWrapper

    settings = connection.settings_dict
    name = f"gk_search_ascii_{os.getpid()}"
    admin = psycopg.connect(
        dbname="postgres",
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        autocommit=True,
    )
    admin.execute(f"DROP DATABASE IF EXISTS {name}")
    admin.execute(
        f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C'"
    )
    ascii_db = DatabaseWrapper({**settings, "NAME": name, "CONN_MAX_AGE": 0}, alias="ascii")
    try:
        yield ascii_db
    finally:
        ascii_db.close()
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.close()


@pytest.fixture
def ascii_connection(ascii_database, monkeypatch):
    """Search's database connection pointed at the SQL_ASCII database."""
    monkeypatch.setattr(selectors, "connection", ascii_database)
    return ascii_database


def test_the_parser_really_loses_chinese_text_there(ascii_connection):
    with ascii_connection.cursor() as cursor:
        cursor.execute("SHOW server_encoding")
        assert cursor.fetchone()[0] == "SQL_ASCII"
        cursor.execute("SELECT to_tsvector('simple', '低保 申请')::text")
        assert cursor.fetchone()[0] == ""
    with connection.cursor() as cursor:  # the test database, built in UTF8
        cursor.execute("SELECT tsvector_to_array(to_tsvector('simple', '低保 申请'))")
        assert sorted(cursor.fetchone()[0]) == ["低保", "申请"]


def test_search_refuses_a_non_utf8_database(ascii_connection):
    with pytest.raises(NotUTF8Database, match="UTF8"):
        check_database()
    with pytest.raises(NotUTF8Database):
        search_public("低保")


def test_the_page_says_why_instead_of_finding_nothing(client, ascii_connection):
    response = client.get("/search/", {"q": "低保"})
    assert response.status_code == 200
    assert response.context["results"] is None
    assert "数据库不是UTF8编码" in response.content.decode()
    assert client.get("/search/suggest/", {"q": "低保"}).json() == {"suggestions": []}


def test_the_command_refuses_with_exit_code_2(ascii_connection):
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("search_index", "check", stdout=StringIO(), stderr=err)
    assert exit_info.value.code == 2
    assert "ENCODING 'UTF8'" in err.getvalue()


def test_a_utf8_database_passes():
    check_database()  # SQLite, or the UTF8 test database on PostgreSQL: no error


def test_the_api_answers_503_with_the_reason(client, ascii_connection):
    response = client.get("/api/v1/items", {"q": "低保"})
    assert response.status_code == 503
    assert "数据库不是UTF8编码" in response.json()["detail"]
