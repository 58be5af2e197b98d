"""The product's single sign-on handshake, in the manner of Discourse Connect (docs/identity.md).

Veche sends the member to ``VECHE_SSO_URL?sso=<payload>&sig=<signature>``; the payload is the
Base64 of a URL-encoded query string (``nonce``, ``return_sso_url``) and the signature the hex
HMAC-SHA256 of the Base64 text under the shared secret. The product answers to
``return_sso_url`` with a payload of the same form, signed the same way, carrying the nonce
and the member's fields. This module only encodes, signs and checks: no database.
"""

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

TRUE_WORDS = frozenset({"true", "1", "yes"})

# The browser's pending nonce, and "the product vouched for a second factor at this log-in".
SSO_NONCE_SESSION_KEY = "veche_sso_nonce"
SSO_MFA_SESSION_KEY = "veche_sso_mfa"


class SsoError(Exception):
    """The answer cannot be trusted; ``reason`` is a short code for the log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sign(payload: str, secret: str) -> str:
    return hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()


def encode(fields: dict[str, str], secret: str) -> tuple[str, str]:
    """``(sso, sig)`` for ``fields``: what Veche sends, and what the product answers."""
    payload = base64.b64encode(urlencode(fields).encode()).decode()
    return payload, sign(payload, secret)


@dataclass(frozen=True)
class SsoIdentity:
    """What the product says about the member (all but ``external_id`` and ``email`` may be
    empty)."""

    nonce: str
    external_id: str
    email: str
    email_verified: bool
    name: str = ""
    username: str = ""
    avatar_url: str = ""
    groups: tuple[str, ...] = field(default_factory=tuple)
    mfa: bool = False


def decode(payload: str, signature: str, secret: str) -> SsoIdentity:
    """Check the signature (in constant time) and read the fields; raises ``SsoError``."""
    if not secret:
        raise SsoError("not-configured")
    if not payload or not signature or not hmac.compare_digest(sign(payload, secret), signature):
        raise SsoError("bad-signature")
    try:
        text = base64.b64decode(payload.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise SsoError("bad-payload") from None
    fields = dict(parse_qsl(text, keep_blank_values=True))
    nonce = fields.get("nonce", "")
    external_id = fields.get("external_id", "").strip()
    email = fields.get("email", "").strip()
    if not nonce or not external_id or not email:
        raise SsoError("missing-fields")
    # Discourse Connect's ``require_activation=true`` means "not verified": accepted too.
    if "email_verified" in fields:
        verified = fields["email_verified"].lower() in TRUE_WORDS
    else:
        verified = fields.get("require_activation", "").lower() not in TRUE_WORDS
    return SsoIdentity(
        nonce=nonce,
        external_id=external_id[:255],
        email=email,
        email_verified=verified,
        name=fields.get("name", "").strip(),
        username=fields.get("username", "").strip(),
        avatar_url=fields.get("avatar_url", "").strip(),
        groups=tuple(g.strip() for g in fields.get("groups", "").split(",") if g.strip()),
        mfa=fields.get("mfa", "").lower() in TRUE_WORDS,
    )
