"""The address of the client that sent a request, as far as the deployment can vouch for it.

Behind reverse proxies, ``REMOTE_ADDR`` is the nearest proxy and the client's address is in
``X-Forwarded-For``. That header is a comma-separated list every hop *appends* to (nginx:
``proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;``), so only its right-most
entries were written by proxies we run; anything to their left was sent by the client and may be
forged. With ``settings.TRUSTED_PROXY_COUNT = n`` proxies in front of the app, the client is the
n-th entry from the right:

    n = 0: REMOTE_ADDR                       (no proxy; the header is ignored)
    n = 1: X-Forwarded-For[-1]               (nginx -> app)
    n = 2: X-Forwarded-For[-2]               (load balancer -> nginx -> app)

If the header has fewer than n entries or the chosen entry is not an IP address, the request did
not come through the configured chain (or a proxy is misconfigured): we fall back to REMOTE_ADDR,
so such requests share the proxy's bucket rather than choosing their own.

Use :func:`client_address` wherever an address is recorded (audit) and :func:`client_bucket`
wherever requests are counted per client (limits): it groups an IPv6 client's /64, which one
subscriber line usually owns whole.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

IPV6_BUCKET_PREFIX = 64


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An IP address from one header entry: bare, ``v4:port``, ``[v6]`` or ``[v6]:port``."""
    value = value.strip()
    if not value or len(value) > 64:
        return None
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # IPv4 with a port; a bare IPv6 has at least two colons
        value = value.split(":", 1)[0]
    if "%" in value:  # a zone index (fe80::1%eth0) says nothing about the client
        value = value.split("%", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _client_ip(request: HttpRequest) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    entries = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(entries) > 100:  # a header that long was not written by our proxies
        return remote
    if len(entries) < count or not entries[-count].strip():
        return remote
    return _parse(entries[-count]) or remote


def client_address(request: HttpRequest) -> str:
    """The client's IP address as text ("203.0.113.7", "2001:db8::1"), or "" if unknown.

    Taken from the right-most ``settings.TRUSTED_PROXY_COUNT`` entries of X-Forwarded-For, never
    from entries the client could have written; see the module docstring.
    """
    address = _client_ip(request)
    return "" if address is None else str(address)


def client_bucket(request: HttpRequest) -> str:
    """The key to count a client's requests under: its IPv4 address, or its IPv6 /64 network.

    Returns e.g. "203.0.113.7" or "2001:db8:1:2::/64"; "unknown" when no address is known.
    """
    address = _client_ip(request)
    if address is None:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        network = ipaddress.IPv6Network((address, IPV6_BUCKET_PREFIX), strict=False)
        return str(network)
    return str(address)
