"""Server-side request forgery: endpoints on this server or private networks are refused unless
staff allow them, at registration and again at every send (DNS rebinding)."""

import socket

import pytest
from django.core.exceptions import ValidationError

from config import outbound
from webhooks import services, transport
from webhooks.models import Attempt, Event

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 - the address under test, not a bind
        "::1",
        "fc00::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "224.0.0.1",
    ],
)
def test_private_and_local_addresses_are_not_allowed(address):
    assert not transport.address_allowed(address)


def test_a_public_address_is_allowed():
    assert transport.address_allowed("93.184.216.34")
    assert transport.address_allowed("2606:2800:220:1:248:1893:25c8:1946")


def _resolving_to(monkeypatch, address):
    def fake(host, port, *args, **kwargs):
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(outbound.socket, "getaddrinfo", fake)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8120/hooks", "http://localhost/", "http://10.0.0.5/x", "http://[::1]/"],
)
def test_registering_a_local_or_private_url_is_refused(staff, url):
    with pytest.raises(ValidationError) as caught:
        services.endpoint_create(actor=staff, name="x", url=url, events=[Event.MEMBER_JOINED])
    assert "url" in caught.value.message_dict


@pytest.mark.parametrize("url", ["ftp://example.com/", "http://user:pw@example.com/"])
def test_other_schemes_and_credentials_in_the_url_are_refused(staff, url):
    with pytest.raises(ValidationError):
        services.endpoint_create(actor=staff, name="x", url=url, events=[Event.MEMBER_JOINED])


def test_staff_may_allow_a_private_address_explicitly(staff):
    endpoint = services.endpoint_create(
        actor=staff,
        name="Intranet",
        url="http://127.0.0.1:8120/hooks",
        events=[Event.MEMBER_JOINED],
        allow_private=True,
    )
    assert endpoint.allow_private


def test_a_name_that_resolves_to_a_private_address_at_send_time_is_not_contacted(
    staff, monkeypatch, receiver
):
    _resolving_to(monkeypatch, "93.184.216.34")
    endpoint = services.endpoint_create(
        actor=staff,
        name="Rebinder",
        url=f"http://hooks.example.com:{receiver.port}/hooks",
        events=[Event.MEMBER_JOINED],
    )
    _resolving_to(monkeypatch, "127.0.0.1")  # the DNS answer changed since (rebinding)
    (delivery,) = services._record(Event.PING, {}, [endpoint])
    assert services.delivery_send(ids=[delivery.pk]) == 0
    assert receiver.requests == []
    attempt = Attempt.objects.get()
    assert attempt.status_code is None and "private network" in attempt.error
    delivery.refresh_from_db()
    assert delivery.sent_at is None


def test_the_connection_goes_to_the_checked_address_not_a_second_lookup(
    staff, monkeypatch, receiver
):
    """Resolved once: the request is sent to the address that was checked, with the host
    name kept in the Host header."""
    calls = []

    def fake(host, port, *args, **kwargs):
        calls.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(outbound.socket, "getaddrinfo", fake)
    response = transport.post(
        f"http://hooks.internal:{receiver.port}/hooks", b"{}", {}, allow_private=True
    )
    assert response.status == 200
    assert calls == ["hooks.internal"]
    assert receiver.requests[0].headers["Host"] == f"hooks.internal:{receiver.port}"


def test_the_sites_own_public_name_is_refused_too(staff, settings, monkeypatch):
    settings.ALLOWED_HOSTS = ["community.example.com", ".example.org"]
    _resolving_to(monkeypatch, "93.184.216.34")  # a public address: still this server
    for url in ("https://community.example.com/hook", "https://www.example.org/hook"):
        with pytest.raises(ValidationError):
            services.endpoint_create(actor=staff, name="x", url=url, events=[Event.MEMBER_JOINED])
    services.endpoint_create(
        actor=staff, name="ok", url="https://hooks.example.net/", events=[Event.MEMBER_JOINED]
    )
