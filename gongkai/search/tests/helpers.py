"""Shared by the search tests: publishing through the services, and reading every page of results."""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine

from gongkai.catalogue.models import Item
from gongkai.search.selectors import Results, search_public

SHANGHAI = ZoneInfo("Asia/Shanghai")
SEEDS = Path(__file__).resolve().parents[2] / "demo" / "seeds"


def publish(team, title: str, text: str = "", *, on: datetime.datetime | None = None, **fields) -> Item:
    """A published item whose body is `text`, through the whole review chain (optionally on a date)."""
    fields.setdefault("body", f"<p>{text}</p>" if text else "<p>正文。</p>")
    if on is None:
        return team.published(title, **fields)
    with time_machine.travel(on, tick=False):
        return team.published(title, **fields)


def at(year: int, month: int = 6, day: int = 15, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


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
