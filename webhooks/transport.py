"""Sending one HTTP POST to a webhook receiver, refusing the server itself and private
networks (server-side request forgery).

The checks and the pinned connection are config.outbound's (shared with the image proxy of
uploads): every address the host resolves to is checked and the connection is made to the
checked address itself (DNS rebinding cannot slip between the two). Redirects are not
followed.
"""

import http.client
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from config import outbound
from config.outbound import Refused, Target, address_allowed

__all__ = ["Refused", "Response", "Target", "address_allowed", "post", "resolve"]


@dataclass(frozen=True)
class Response:
    status: int
    excerpt: str
    duration_ms: int


def resolve(url: str, *, allow_private: bool) -> Target:
    """Where ``url`` points, checked (config.outbound); raises ``Refused``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(_("Only http and https addresses can receive webhooks."))
    if parts.username or parts.password:
        raise Refused(_("Put credentials in the secret, not in the address."))
    return outbound.resolve(
        url,
        allow_private=allow_private,
        private_message=_(
            "The address points at this server or a private network; staff must allow it."
        ),
    )


def post(url: str, body: bytes, headers: dict[str, str], *, allow_private: bool) -> Response:
    """POST ``body`` to ``url``; raises ``Refused`` or ``OSError`` (network, timeout)."""
    target = resolve(url, allow_private=allow_private)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    timeout = settings.VECHE_WEBHOOK_TIMEOUT
    connection = outbound.connection(target, timeout)
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
