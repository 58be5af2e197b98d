"""Requests the site makes to addresses users gave (webhooks, the image proxy), refusing the
server itself and private networks (server-side request forgery).

The host is resolved here, every address it resolves to is checked, and the connection is
made to the checked address itself (with the host name kept for TLS and the Host header): a
name that resolves to a public address at the check and to 127.0.0.1 a moment later (DNS
rebinding) cannot slip between the two. Callers follow no redirects.
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import validate_host
from django.utils.translation import gettext as _


class Refused(Exception):
    """The address is not one the site may reach; the message says why (translated)."""


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


def resolve(url: str, *, allow_private: bool, private_message: str = "") -> Target:
    """Where the http(s) ``url`` points, checked; raises ``Refused``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(_("Only http and https addresses are allowed."))
    refused = private_message or _("The address points at this server or a private network.")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if not allow_private and is_this_site(parts.hostname):
        raise Refused(refused)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused(_("The host name does not resolve.")) from exc
    if not infos:
        raise Refused(_("The host name does not resolve."))
    if not allow_private and not all(address_allowed(str(info[4][0])) for info in infos):
        raise Refused(refused)
    family, _type, _proto, _name, sockaddr = infos[0]
    return Target(parts.scheme, parts.hostname, port, family, tuple(sockaddr))


def is_this_site(host: str) -> bool:
    """The site's own names (``VECHE_SITE_URL``, ``ALLOWED_HOSTS``): a public address of
    this server is still this server."""
    own = [urlsplit(settings.SITE_URL).hostname or "", *settings.ALLOWED_HOSTS]
    return validate_host(host.lower(), [h for h in own if h and h != "*"])


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


def connection(target: Target, timeout: float) -> http.client.HTTPConnection:
    """An HTTP(S) connection to the checked address of ``target``."""
    if target.scheme == "https":
        return _PinnedHTTPSConnection(target, timeout)
    return _PinnedHTTPConnection(target, timeout)
