"""The client's address behind 0, 1 or 2 trusted proxies, with forged and malformed headers."""

from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from gongkai.applications.lookup import LOOKUP_LIMIT
from gongkai.core.client import client_address, client_bucket

factory = RequestFactory()


def request_from(remote: str = "10.0.0.2", forwarded: str | None = None):
    extra: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return factory.get("/", **extra)


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        # No proxy: the header is the client's own text and is ignored.
        (0, "203.0.113.7", None, "203.0.113.7"),
        (0, "203.0.113.7", "198.51.100.1", "203.0.113.7"),
        # One proxy (nginx appends the peer it saw): the right-most entry.
        (1, "10.0.0.2", "203.0.113.7", "203.0.113.7"),
        (1, "10.0.0.2", "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        (1, "10.0.0.2", "1.2.3.4,5.6.7.8,   203.0.113.7", "203.0.113.7"),
        # Two proxies (load balancer, then nginx): the second entry from the right.
        (2, "10.0.0.3", "203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (2, "10.0.0.3", "1.2.3.4, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        # Fewer entries than proxies: the request bypassed the chain; the proxy's address.
        (1, "10.0.0.2", None, "10.0.0.2"),
        (1, "10.0.0.2", "", "10.0.0.2"),
        (2, "10.0.0.3", "203.0.113.7", "10.0.0.3"),
        # Malformed chosen entry: the proxy's address, never the garbage.
        (1, "10.0.0.2", "1.2.3.4, unknown", "10.0.0.2"),
        (1, "10.0.0.2", "1.2.3.4, ", "10.0.0.2"),
        (1, "10.0.0.2", "203.0.113.7,", "10.0.0.2"),
        (1, "10.0.0.2", "1.2.3.4, 999.1.1.1", "10.0.0.2"),
        (1, "10.0.0.2", "1.2.3.4, <script>", "10.0.0.2"),
        (1, "10.0.0.2", "1.2.3.4, " + "9" * 500, "10.0.0.2"),
        (1, "10.0.0.2", ",".join(["1.2.3.4"] * 200), "10.0.0.2"),
        (1, "10.0.0.2", "1.2.3.4, 203.0.113.7\x00", "10.0.0.2"),
        # Ports, brackets and mapped addresses that some proxies write.
        (1, "10.0.0.2", "203.0.113.7:51234", "203.0.113.7"),
        (1, "10.0.0.2", "[2001:db8::1]:443", "2001:db8::1"),
        (1, "10.0.0.2", "2001:db8::1", "2001:db8::1"),
        (1, "10.0.0.2", "::ffff:203.0.113.7", "203.0.113.7"),
        # No usable address at all.
        (0, "", None, ""),
        (1, "", "garbage", ""),
    ],
)
def test_it_takes_the_address_from_the_trusted_hops_only(settings, count, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_address(request_from(remote, forwarded)) == expected


def test_it_groups_an_ipv6_client_by_its_64_network(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    one = client_bucket(request_from(forwarded="2001:db8:1:2::1"))
    other = client_bucket(request_from(forwarded="2001:db8:1:2:ffff:1:2:3"))
    assert one == other == "2001:db8:1:2::/64"
    assert client_bucket(request_from(forwarded="203.0.113.7")) == "203.0.113.7"
    assert client_bucket(request_from(remote="", forwarded="x")) == "unknown"


def test_a_forged_left_most_entry_does_not_escape_the_lookup_limit(settings, db):
    """The bypass found: a new left-most X-Forwarded-For entry on every wrong guess."""
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="10.0.0.2")
    url = reverse("applications:status")
    for n in range(LOOKUP_LIMIT):
        forged = f"198.51.100.{n % 250}, 203.0.113.7"
        response = client.post(
            url, {"query_code": f"23456789A{n:03d}", "phone_tail": "5678"}, HTTP_X_FORWARDED_FOR=forged
        )
        assert response.status_code == 404
    response = client.post(
        url,
        {"query_code": "23456789ABCD", "phone_tail": "5678"},
        HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7",
    )
    assert response.status_code == 429
    # Another client behind the same proxy is not blocked.
    other = client.post(
        url, {"query_code": "23456789ABCD", "phone_tail": "5678"}, HTTP_X_FORWARDED_FOR="203.0.113.8"
    )
    assert other.status_code == 404
