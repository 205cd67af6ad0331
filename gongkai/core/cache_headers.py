"""HTTP caching headers (issue 11 point 5, issue 19 point 1): public pages cacheable for a short,
configurable time with validators and conditional GET; everything else never kept by a shared cache.

A page rendered for a signed-in user may hold what only that user may see (the public item URL
shows an internal item to staff of the owning agency; the workbench lists cases with personal
data), so no shared cache in front of the site may keep it. A response that sets a cookie (a CSRF
token for a form, a session) is that visitor's own too.
"""

from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import parse_http_date_safe

# Named URLs whose anonymous responses are the same for every visitor and may be kept by a shared
# cache for GONGKAI_PUBLIC_MAX_AGE seconds (GONGKAI_ATTACHMENT_MAX_AGE for files). Names, not
# imports: core does not import the apps above it.
PUBLIC_ROUTES = frozenset(
    {
        "portal:home",
        "portal:agencies",
        "portal:column",
        "portal:soon",
        "portal:agency",
        "portal:guide",
        "portal:sitemap",
        "catalogue:list",
        "catalogue:detail",
        "catalogue:print",
        "search:search",
        "search:suggest",
        "reports:version",
        "feed_rss",
        "feed_atom",
        "sitemap",
    }
)
PUBLIC_FILE_ROUTES = frozenset({"catalogue:attachment", "reports:download"})
# Answers a shared cache may keep (for the same short time): a withdrawn item's page turns into a
# 404 that is only cached as long as the page before it.
CACHEABLE_STATUSES = frozenset({200, 404, 410})


def public_max_age(route: str) -> int:
    """Seconds a shared cache may keep an anonymous response of the named URL ``route``."""
    if route in PUBLIC_FILE_ROUTES:
        return int(settings.GONGKAI_ATTACHMENT_MAX_AGE)
    return int(settings.GONGKAI_PUBLIC_MAX_AGE)


def _never_cache(response: HttpResponseBase) -> None:
    # Drop "public", any max-age and Expires the view set: the response must not be kept.
    response.headers.pop("Cache-Control", None)
    response.headers.pop("Expires", None)
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    patch_vary_headers(response, ("Cookie",))


def _personal(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether the response belongs to this visitor alone: signed in, setting a cookie, or read
    from a non-empty session."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    if response.cookies:
        return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.accessed and not session.is_empty())


def _marked_private(response: HttpResponseBase) -> bool:
    value = response.headers.get("Cache-Control", "").lower()
    return "private" in value or "no-store" in value


class CacheHeadersMiddleware:
    """Caching headers on every response.

    - Personal responses (signed-in user, any cookie set, a non-empty session read):
      ``Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private`` (replacing any
      ``public``/``max-age`` a view set) and ``Vary: Cookie``.
    - Anonymous GET/HEAD of a route in ``PUBLIC_ROUTES``/``PUBLIC_FILE_ROUTES`` answered 200, 404
      or 410 and not marked private by its view: ``Cache-Control: public, max-age=N`` and
      ``Vary: Cookie``; a 200 gets an
      ``ETag`` (of the body, unless the view set a validator) and is answered 304 without a body
      when ``If-None-Match``/``If-Modified-Since`` match (RFC 9110 §13).
    - Anything else is left as the view made it.

    Must come before ``SessionMiddleware`` and ``CsrfViewMiddleware`` in ``MIDDLEWARE`` so the
    cookies they set are seen.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if _personal(request, response):
            _never_cache(response)
            return response
        match = request.resolver_match
        route = match.view_name if match is not None else ""
        if (
            request.method not in ("GET", "HEAD")
            or route not in PUBLIC_ROUTES | PUBLIC_FILE_ROUTES
            or response.status_code not in CACHEABLE_STATUSES
            or _marked_private(response)
        ):
            return response
        response.headers.pop("Expires", None)
        patch_cache_control(response, public=True, max_age=public_max_age(route))
        # Pages read cookies even for visitors (the large-text display mode): a cache keeps one copy
        # per Cookie header, so a visitor without cookies gets the plain page.
        patch_vary_headers(response, ("Cookie",))
        if response.status_code != 200:
            return response
        if not response.streaming and not response.has_header("ETag"):
            set_response_etag(response)
        etag = response.get("ETag")
        last_modified = (
            parse_http_date_safe(response["Last-Modified"]) if response.has_header("Last-Modified") else None
        )
        if not (etag or last_modified):
            return response
        # Reads only the headers, so a streamed file works too (as in Django's ConditionalGetMiddleware);
        # given a response it returns that response or a bodiless 304 (412 for If-Match), never None.
        answer = get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=cast(HttpResponse, response)
        )
        return answer if answer is not None else response
