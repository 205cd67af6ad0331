"""Looking a request up by its 查询码 and the applicant's phone tail, with guessing throttled.

Used by the public status page (views/public.py) and the API's status lookup (gongkai.api.v1):
a wrong code and a wrong phone tail get the same answer, and each counts as a failure of the
client (by address bucket, gongkai.core.client); after LOOKUP_LIMIT failures within LOOKUP_WINDOW
seconds the client is refused until the window passes.
"""

from django.core.cache import cache
from django.http import Http404, HttpRequest

from gongkai.applications import selectors
from gongkai.applications.models import Application
from gongkai.core.client import client_bucket

LOOKUP_LIMIT = 10  # wrong guesses per client per window
LOOKUP_WINDOW = 15 * 60  # seconds


def client_key(request: HttpRequest) -> str:
    return f"lookup-fail:{client_bucket(request)}"


def lookup_allowed(request: HttpRequest) -> bool:
    """False once the client has failed LOOKUP_LIMIT times in the current window."""
    return cache.get(client_key(request), 0) < LOOKUP_LIMIT


def lookup_failed(request: HttpRequest) -> None:
    key = client_key(request)
    if not cache.add(key, 1, LOOKUP_WINDOW):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, LOOKUP_WINDOW)


def find_application(request: HttpRequest, code: str, tail: str) -> Application | None:
    """The request, or None (counted as a failure): the same answer for a wrong code and a wrong
    phone, so codes cannot be probed."""
    try:
        return selectors.application_by_code(code, tail)
    except Http404:
        lookup_failed(request)
        return None
