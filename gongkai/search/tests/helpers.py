"""Shared by the search tests: reading every page of results (publishing: gongkai.testing.builders)."""

import sqlite3
from pathlib import Path

import pytest

from gongkai.search.selectors import Results, search_public

SEEDS = Path(__file__).resolve().parents[2] / "demo" / "seeds"


def all_hits(raw: str, *, per_page: int = 20, **options) -> list[int]:
    """Item ids of every hit, page by page, in the order shown."""
    found: list[int] = []
    page = 1
    while True:
        results = search_public(raw, page=page, per_page=per_page, **options)
        found.extend(hit.item.pk for hit in results.hits)
        if not results.has_next:
            return found
        page += 1


def ids(results: Results) -> list[int]:
    return [hit.item.pk for hit in results.hits]


def _has_fts5() -> bool:
    try:
        sqlite3.connect(":memory:").execute("create virtual table t using fts5(x)")
    except sqlite3.OperationalError:
        return False
    return True


needs_fts5 = pytest.mark.skipif(not _has_fts5(), reason="this Python's SQLite has no FTS5")
