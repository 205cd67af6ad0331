"""Looking a request up by its 查询码 and the applicant's phone tail, with guessing throttled.

Used by the public status page (views/public.py) and the API's status lookup (gongkai.api.v1):
a wrong code and a wrong phone tail get the same answer. Two limits, both on failures only:

- per query code: after CODE_LIMIT failures within CODE_WINDOW seconds the code is refused, even
  with the right tail (the tail has only 10,000 values: it is what a guesser would try);
- per client address (gongkai.core.client): after LOOKUP_LIMIT failures within LOOKUP_WINDOW
  seconds. A whole service hall or office network shares one address, so this is set high enough
  for many people mistyping now and then; guessing a 12-character code is hopeless anyway.

Successful look-ups are never counted: thirty people at one address each find their own case.
"""

import re

from django.core.cache import cache
from django.http import Http404, HttpRequest

from gongkai.applications import selectors
from gongkai.applications.models import Application
from gongkai.core.client import client_bucket

LOOKUP_LIMIT = 100  # wrong look-ups per client address per window
LOOKUP_WINDOW = 15 * 60  # seconds
CODE_LIMIT = 5  # wrong phone tails (or wrong codes) per query code per window
CODE_WINDOW = 60 * 60  # seconds

ADDRESS_REFUSAL = "查询失败次数过多，请15分钟后再试。"
CODE_REFUSAL = (
    f"该查询码已连续查询失败{CODE_LIMIT}次，为保护申请人信息，暂停查询1小时。"
    "请核对查询码和联系电话后四位后再试，或致电受理机关查询。"
)

# Spaces (also the full-width one), hyphens and dashes people type to group the 12 characters.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—－_·.]+")
_CODE_SHAPE = re.compile(r"[A-Z0-9]{12}")


def normalise_code(code: str) -> str:
    """The query code as stored: separators dropped, full-width letters and digits made ASCII,
    upper case ("abcd-efgh jkmn" and "ＡＢＣＤ…" find "ABCDEFGHJKMN")."""
    text = _SEPARATORS.sub("", code or "")
    text = "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in text)
    return text.upper()


def client_key(request: HttpRequest) -> str:
    return f"lookup-fail:{client_bucket(request)}"


def code_key(code: str) -> str | None:
    """The counter of this code's failures; None for text that cannot be a query code (nothing to
    protect, and never arbitrary text in a cache key)."""
    normalised = normalise_code(code)
    return f"lookup-fail-code:{normalised}" if _CODE_SHAPE.fullmatch(normalised) else None


def _count(key: str) -> int:
    return cache.get(key, 0)


def _bump(key: str, window: int) -> None:
    if not cache.add(key, 1, window):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, window)


def lookup_allowed(request: HttpRequest) -> bool:
    """False once the client address has failed LOOKUP_LIMIT times in the current window."""
    return _count(client_key(request)) < LOOKUP_LIMIT


def code_allowed(code: str) -> bool:
    """False once this query code has failed CODE_LIMIT times in the current window."""
    key = code_key(code)
    return key is None or _count(key) < CODE_LIMIT


def lookup_refusal(request: HttpRequest, code: str) -> str | None:
    """The Chinese message refusing this look-up, or None when it may go ahead."""
    if not lookup_allowed(request):
        return ADDRESS_REFUSAL
    if code and not code_allowed(code):
        return CODE_REFUSAL
    return None


def lookup_failed(request: HttpRequest, code: str = "") -> None:
    _bump(client_key(request), LOOKUP_WINDOW)
    if key := code_key(code):
        _bump(key, CODE_WINDOW)


def find_application(request: HttpRequest, code: str, tail: str) -> Application | None:
    """The request, or None (counted as a failure of the address and of the code): the same answer
    for a wrong code and a wrong phone, so codes cannot be probed."""
    try:
        return selectors.application_by_code(normalise_code(code), tail)
    except Http404:
        lookup_failed(request, code)
        return None
