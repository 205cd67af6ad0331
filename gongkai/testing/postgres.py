"""A scratch PostgreSQL database for tests of the pure search text layer against the real server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

POSTGRES_URL = os.environ.get("GONGKAI_SEARCH_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")


@contextmanager
def scratch_database(name: str) -> Iterator[object]:
    """An autocommit connection to a fresh UTF-8 database ``name``, dropped afterwards.

    Skips the test when PostgreSQL is not reachable at GONGKAI_SEARCH_TEST_POSTGRES.
    """
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_URL}: {error}")
    admin.execute(f"drop database if exists {name}")
    admin.execute(
        f"create database {name} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'"
    )
    url = POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    try:
        with psycopg.connect(url, autocommit=True) as connection:
            yield connection
    finally:
        admin.execute(f"drop database if exists {name}")
        admin.close()
