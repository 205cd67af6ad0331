"""Limits on anonymous submissions per hour: per client address and for everyone together.

Each kind of public submission has a named bucket (``BUCKETS``; the limits are in
``settings.INTAKE_LIMITS[bucket]`` = ``{"per_address": n, "global": m}`` per
``settings.INTAKE_LIMIT_WINDOW_SECONDS``). A view takes a ticket before storing a submission and
hands it back if the submission is then not stored::

    ticket = ratelimit.acquire("applications", request)   # RateLimited: refuse, say when to retry
    try:
        ...store...
    except ValidationError:
        ratelimit.release(ticket)

Counting uses fixed windows (the hour from :00 for a 3600-second window) in the configured cache,
with ``cache.add`` + ``cache.incr``: each request gets its own number, so two workers can never
both take the last place. That needs a cache shared by the workers whose ``incr`` is atomic: Redis
(``REDIS_URL``) or ``gongkai.core.cache.DatabaseCache``, the default — not ``LocMemCache``, which is
per process. The client is ``gongkai.core.client.client_bucket`` (its IPv6 /64).
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.utils import timezone

from gongkai.core.client import client_bucket

# The kinds of public submission, with the noun the refusal uses. Complaints, opinions and
# comments on drafts plug in by name when their apps exist.
BUCKETS: dict[str, str] = {
    "applications": "政府信息公开申请",
    "complaints": "投诉举报",
    "opinions": "意见建议",
    "comments": "征求意见的评论",
}


@dataclass(frozen=True)
class Limit:
    per_address: int
    total: int
    window: int  # seconds


@dataclass(frozen=True)
class Ticket:
    keys: tuple[str, ...]
    timeout: int


class RateLimited(Exception):
    """Too many submissions: ``retry_after`` seconds until the window ends; ``message`` in Chinese."""

    def __init__(self, *, bucket: str, everyone: bool, limit: int, retry_after: int, window: int):
        self.bucket = bucket
        self.everyone = everyone
        self.limit = limit
        self.retry_after = retry_after
        self.window = window
        super().__init__(self.message)

    @property
    def message(self) -> str:
        noun = BUCKETS[self.bucket]
        when = timezone.localtime(timezone.now() + datetime.timedelta(seconds=self.retry_after))
        minutes = max(1, -(-self.retry_after // 60))
        again = (
            f"请在{when:%H:%M}以后（约{minutes}分钟后）再提交，已填写的文字内容已保留（附件需要重新选择）。"
        )
        if self.everyone:
            return (
                f"当前网上提交的{noun}过多，系统暂停受理。{again}"
                "急需办理的，也可以到受理机关窗口当面提交或邮寄。"
            )
        hours = _window_words(self.window)
        return f"提交过于频繁：同一网络{hours}最多提交{self.limit}件{noun}。{again}"


def _window_words(seconds: int) -> str:
    if seconds % 3600 == 0:
        return "每小时" if seconds == 3600 else f"每{seconds // 3600}小时"
    return f"每{max(1, seconds // 60)}分钟"


def limit_for(bucket: str) -> Limit:
    """The configured limit of a bucket (ImproperlyConfigured for an unknown bucket)."""
    if bucket not in BUCKETS:
        raise ImproperlyConfigured(f"Unknown intake bucket {bucket!r}; add it to ratelimit.BUCKETS.")
    config = settings.INTAKE_LIMITS.get(bucket, {})
    return Limit(
        per_address=int(config.get("per_address", settings.INTAKE_LIMIT_PER_ADDRESS)),
        total=int(config.get("global", settings.INTAKE_LIMIT_GLOBAL)),
        window=int(settings.INTAKE_LIMIT_WINDOW_SECONDS),
    )


def _take(key: str, timeout: int) -> int:
    """This request's number in the counter at ``key`` (1 for the first), atomically."""
    for _ in range(3):
        cache.add(key, 0, timeout)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr: start it again
            continue
    raise RuntimeError(f"cache counter {key} keeps expiring")


def _give_back(key: str) -> None:
    with contextlib.suppress(ValueError):  # expired meanwhile: nothing to give back
        cache.decr(key)


def acquire(bucket: str, request: HttpRequest) -> Ticket:
    """Take a place for one submission from this client, or raise RateLimited.

    The client's own limit is checked first; a client over it does not use up everyone's places.
    """
    limit = limit_for(bucket)
    now = time.time()
    window_index = int(now // limit.window)
    retry_after = max(1, int((window_index + 1) * limit.window - now))
    timeout = limit.window + 60
    address_key = f"intake:{bucket}:{window_index}:address:{client_bucket(request)}"
    everyone_key = f"intake:{bucket}:{window_index}:everyone"
    refused = functools.partial(RateLimited, bucket=bucket, retry_after=retry_after, window=limit.window)
    # A refused request gives its number back: the counters hold the places taken, nothing else.
    if _take(address_key, timeout) > limit.per_address:
        _give_back(address_key)
        raise refused(everyone=False, limit=limit.per_address)
    if _take(everyone_key, timeout) > limit.total:
        _give_back(everyone_key)
        _give_back(address_key)
        raise refused(everyone=True, limit=limit.total)
    return Ticket(keys=(address_key, everyone_key), timeout=timeout)


def release(ticket: Ticket) -> None:
    """Give the place back: the submission was not stored (invalid, or a repeat of a stored one)."""
    for key in ticket.keys:
        _give_back(key)
