"""Liveness and readiness for the load balancer and the monitoring (issue 19).

``GET /healthz`` (liveness): the process answers; touches nothing else (no database, no cache), so
it stays cheap and a database outage never makes the orchestrator restart healthy app servers.
Always ``200 {"status": "ok"}``.

``GET /readyz`` (readiness): the app server can do its work. Checks, in order:

- ``database``: one ``SELECT 1`` on the default database;
- ``cache``: a set and a get of a short-lived key in the shared cache (rate limits and the
  sign-in lock-out depend on it);
- ``media``: a tiny file written to and deleted from the default storage (attachments);
- ``tick``: the age in seconds of the last finished periodic run (``manage.py gongkai_tick``,
  recorded by ``tick_record`` in the shared cache), stale after
  ``settings.HEALTH_TICK_MAX_AGE_SECONDS`` (default 30 minutes: three missed runs of the
  10-minute cron).

The first three are required: any failure answers **503** with ``"status": "unavailable"`` and the
failed check marked ``"fail"``, and the load balancer stops sending traffic. A stale or never
recorded tick answers **200** with ``"status": "degraded"``: reminders and escalations are late,
but every app server would report the same, and taking them all out of the pool would only add an
outage. Monitoring alerts on ``degraded``.

The body names the checks and their outcome only: never an exception's text (a database error
names hosts and users), a path or a setting. Details go to the server log. Both answers are
``Cache-Control: no-store`` and touch no session, so no cookie is set.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

TICK_CACHE_KEY = "gongkai:health:tick-finished"
PROBE_CACHE_KEY = "gongkai:health:probe"
MEDIA_PROBE_DIR = "health"


# -- the periodic run's heartbeat ------------------------------------------------------------------


def tick_record(*, now: datetime.datetime | None = None) -> bool:
    """Note that a periodic run (``gongkai_tick``) just finished, in the shared cache, no expiry.

    Returns False (and logs) if the cache refused: the run's own work is done and must not fail
    for its heartbeat; /readyz then reports the tick as stale.
    """
    moment = now or timezone.now()
    try:
        cache.set(TICK_CACHE_KEY, moment.timestamp(), timeout=None)
    except Exception:  # any cache backend error; the run itself succeeded
        logger.warning("无法记录定时任务的运行时间（缓存不可用）。", exc_info=True)
        return False
    return True


def tick_age_seconds(*, now: datetime.datetime | None = None) -> int | None:
    """Whole seconds since the last recorded periodic run (never negative); None if none recorded.

    Raises what the cache backend raises when it cannot be read.
    """
    finished = cache.get(TICK_CACHE_KEY)
    if not isinstance(finished, int | float):
        return None
    moment = now or timezone.now()
    return max(0, int(moment.timestamp() - finished))


# -- the checks ------------------------------------------------------------------------------------


def check_database() -> None:
    """Raise if the default database cannot answer a trivial query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("unexpected answer to SELECT 1")


def check_cache() -> None:
    """Raise if a value written to the shared cache cannot be read back."""
    token = uuid.uuid4().hex
    key = f"{PROBE_CACHE_KEY}:{token}"
    cache.set(key, token, timeout=30)
    try:
        if cache.get(key) != token:
            raise RuntimeError("the cache did not return the value just written")
    finally:
        cache.delete(key)


def check_media() -> None:
    """Raise if a small file cannot be written to and deleted from the default storage."""
    name = default_storage.save(f"{MEDIA_PROBE_DIR}/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)


REQUIRED_CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "media": check_media,
}


def tick_status(*, now: datetime.datetime | None = None) -> dict[str, Any]:
    """``{"status": "ok"|"stale"|"unknown", "age_seconds": int|None, "max_age_seconds": int}``.

    ``unknown``: no run recorded (a new installation, or the cache was emptied) or the cache could
    not be read.
    """
    limit = settings.HEALTH_TICK_MAX_AGE_SECONDS
    try:
        age = tick_age_seconds(now=now)
    except Exception:  # the cache check reports the cache itself
        logger.warning("无法读取定时任务的运行时间。", exc_info=True)
        age = None
    status = "unknown" if age is None else ("ok" if age <= limit else "stale")
    return {"status": status, "age_seconds": age, "max_age_seconds": limit}


def readiness(*, now: datetime.datetime | None = None) -> tuple[bool, dict[str, Any]]:
    """(ready, body) for /readyz: ready unless a required check failed; see the module docstring."""
    checks: dict[str, dict[str, Any]] = {}
    for name, check in REQUIRED_CHECKS.items():
        try:
            check()
        except Exception:  # whatever the backend raises: reported as failed, logged in full
            logger.warning("就绪检查失败：%s", name, exc_info=True)
            checks[name] = {"status": "fail"}
        else:
            checks[name] = {"status": "ok"}
    checks["tick"] = tick_status(now=now)
    ready = all(checks[name]["status"] == "ok" for name in REQUIRED_CHECKS)
    if not ready:
        status = "unavailable"
    elif checks["tick"]["status"] != "ok":
        status = "degraded"
    else:
        status = "ok"
    return ready, {"status": status, "checks": checks}


# -- the views -------------------------------------------------------------------------------------


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: 200 ``{"status": "ok"}`` while the process answers."""
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when ready (``ok`` or ``degraded``), 503 ``unavailable`` otherwise."""
    ready, body = readiness()
    return JsonResponse(body, status=200 if ready else 503)
