"""Sending one HTTP POST to a webhook receiver, refusing the server itself and private
networks (server-side request forgery).

The host is resolved here, every address it resolves to is checked, and the connection is
made to the checked address itself (with the host name kept for TLS and the Host header): a
name that resolves to a public address at the check and to 127.0.0.1 a moment later (DNS
rebinding) cannot slip between the two. Redirects are not followed.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import validate_host
from django.utils.translation import gettext as _


class Refused(Exception):
    """The address is not one the site may send to; the message says why (translated)."""


@dataclass(frozen=True)
class Response:
    status: int
    excerpt: str
    duration_ms: int


def address_allowed(ip: str) -> bool:
    address = ipaddress.ip_address(ip)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    family: int
    sockaddr: tuple[Any, ...]  # the checked address, connected to as it is


def resolve(url: str, *, allow_private: bool) -> Target:
    """Where ``url`` points, checked; raises ``Refused``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(_("Only http and https addresses can receive webhooks."))
    if parts.username or parts.password:
        raise Refused(_("Put credentials in the secret, not in the address."))
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if not allow_private and _is_this_site(parts.hostname):
        raise Refused(
            _("The address points at this server or a private network; staff must allow it.")
        )
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused(_("The host name does not resolve.")) from exc
    if not infos:
        raise Refused(_("The host name does not resolve."))
    if not allow_private and not all(address_allowed(str(info[4][0])) for info in infos):
        raise Refused(
            _("The address points at this server or a private network; staff must allow it.")
        )
    family, _type, _proto, _name, sockaddr = infos[0]
    return Target(parts.scheme, parts.hostname, port, family, tuple(sockaddr))


def _connect(target: Target, timeout: float | None) -> socket.socket:
    # Not socket.create_connection: it would look the name up again.
    sock = socket.socket(target.family, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(target.sockaddr)
    except OSError:
        sock.close()
        raise
    return sock


def _is_this_site(host: str) -> bool:
    """The site's own names (``VECHE_SITE_URL``, ``ALLOWED_HOSTS``): a public address of
    this server is still this server."""
    own = [urlsplit(settings.SITE_URL).hostname or "", *settings.ALLOWED_HOSTS]
    return validate_host(host.lower(), [h for h in own if h and h != "*"])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.target = target

    def connect(self) -> None:
        self.sock = _connect(self.target, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=timeout, context=self.tls)
        self.target = target

    def connect(self) -> None:
        sock = _connect(self.target, self.timeout)
        # The certificate is checked against the host name, not the address.
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str], *, allow_private: bool) -> Response:
    """POST ``body`` to ``url``; raises ``Refused`` or ``OSError`` (network, timeout)."""
    target = resolve(url, allow_private=allow_private)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    timeout = settings.VECHE_WEBHOOK_TIMEOUT
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = _PinnedHTTPSConnection(target, timeout)
    else:
        connection = _PinnedHTTPConnection(target, timeout)
    started = time.monotonic()
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(500).decode("utf-8", errors="replace")
    except http.client.HTTPException as exc:
        raise OSError(str(exc) or type(exc).__name__) from exc
    finally:
        connection.close()
    return Response(response.status, excerpt, int((time.monotonic() - started) * 1000))
