"""The visitor's address behind our own proxies (config.http.TrustedProxyMiddleware): the
per-address limits must see each visitor, not the proxy, and nobody may pick the address they
are counted under by sending X-Forwarded-For themselves."""

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from ambassadors.fraud import client_ip
from config.http import TrustedProxyMiddleware


def _seen_address(settings, count: int, forwarded: str | None, remote="10.0.0.2") -> str:
    settings.VECHE_TRUSTED_PROXY_COUNT = count
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **extra)
    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(client_ip(request))
        return HttpResponse()

    TrustedProxyMiddleware(view)(request)
    return seen[0]


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    assert _seen_address(settings, 0, "203.0.113.7") == "10.0.0.2"


def test_behind_one_proxy_the_address_it_added_is_the_visitors(settings):
    assert _seen_address(settings, 1, "203.0.113.7") == "203.0.113.7"


def test_addresses_a_client_forged_in_front_are_never_read(settings):
    # The client sent "1.2.3.4"; nginx appended the address it saw.
    assert _seen_address(settings, 1, "1.2.3.4, 203.0.113.7") == "203.0.113.7"
    assert _seen_address(settings, 2, "1.2.3.4, 203.0.113.7, 10.0.0.9") == "203.0.113.7"


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address", "203.0.113.7"])
def test_a_missing_short_or_malformed_header_keeps_the_connections_address(settings, forwarded):
    count = 2 if forwarded == "203.0.113.7" else 1  # one entry where two proxies are trusted
    assert _seen_address(settings, count, forwarded) == "10.0.0.2"


def test_ipv6_addresses_are_read_too(settings):
    assert _seen_address(settings, 1, "2001:db8::1") == "2001:db8::1"
