"""Caching headers for signed-in users.

A page rendered for a signed-in user may hold what only that user may see (the public item URL
shows an internal item to staff of the owning agency; the workbench lists cases with personal
data), so no shared cache in front of the site may keep it.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers, patch_vary_headers


class PrivateForSignedInMiddleware:
    """Every response to a signed-in user: ``Cache-Control: max-age=0, no-cache, no-store,
    must-revalidate, private`` (replacing any ``public``/``max-age`` a view set) and ``Vary: Cookie``.

    Anonymous responses are left as the view made them, so public pages stay cacheable. Must come
    after ``AuthenticationMiddleware``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Drop "public", any max-age and Expires the view set: the response must not be kept.
            response.headers.pop("Cache-Control", None)
            response.headers.pop("Expires", None)
            add_never_cache_headers(response)
            patch_vary_headers(response, ("Cookie",))
        return response
