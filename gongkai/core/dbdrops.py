"""What a request sees when its database connection dropped under it.

A PostgreSQL connection can go away between or during requests (server restart, failover, an
idle connection killed by a proxy or ``pg_terminate_backend``). ``CONN_HEALTH_CHECKS`` in the
settings makes Django test a reused persistent connection at the start of each request and
reconnect; a connection that drops *during* a request still fails that request. This module turns
that failure into a clear Chinese "busy, try again" answer with HTTP 503 and ``Retry-After``
instead of the generic 500 page, and closes the broken connection so the rest of the response
(session save, headers) and the next request get a fresh one.

Nothing half-written survives: services write inside one transaction, which the database rolls
back when the connection is lost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.template import loader
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

BUSY = "系统繁忙，请稍后重试"
# Seconds a client should wait before retrying; a reconnect normally takes well under this.
RETRY_AFTER_SECONDS = 5
DROPPED_CONNECTION_ERRORS = (OperationalError, InterfaceError)
# On a form page shown again after the failure, above the fields that were kept.
FORM_NOT_SAVED = f"{BUSY}。本次提交没有保存；已填写的内容保留在下方，请稍后再次提交（附件需要重新选择）。"


def is_dropped_connection(exc: BaseException) -> bool:
    """True for the errors Django raises when the database connection failed or was lost."""
    return isinstance(exc, DROPPED_CONNECTION_ERRORS)


def discard_broken_connections() -> None:
    """Close every initialised connection that is no longer usable, outside a transaction.

    The next query on it opens a new connection. Connections inside an atomic block are left for
    the block to unwind (closing them there would break its rollback).
    """
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            try:
                conn.close_if_unusable_or_obsolete()
            except DROPPED_CONNECTION_ERRORS:
                conn.close()


def retry_later(response: HttpResponseBase) -> HttpResponseBase:
    """``response`` as a 503 with ``Retry-After`` (for a form page shown again after a drop)."""
    response.status_code = 503
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def busy_response(request: HttpRequest) -> HttpResponse:
    """503 with ``Retry-After`` and never cached: JSON ``{"detail": BUSY}`` under /api/, else the
    Chinese page saying the form was not submitted and how to try again."""
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": BUSY}, status=503, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(loader.get_template("503.html").render({"detail": BUSY}), status=503)
    retry_later(response)
    add_never_cache_headers(response)
    return response


def dropped_connection_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """Log ``exc`` (a warning: the database, not the code, failed), drop broken connections, and
    answer with ``busy_response``."""
    logger.warning("database connection failed during %s %s", request.method, request.path, exc_info=exc)
    discard_broken_connections()
    return busy_response(request)


class DroppedConnectionMiddleware:
    """A view that raised ``OperationalError``/``InterfaceError`` → ``busy_response`` (503).

    Other exceptions pass through to Django's handling (500).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_dropped_connection(exception):
            return None
        return dropped_connection_response(request, exception)
