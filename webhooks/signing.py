"""Signatures of webhook requests, as Stripe and GitHub sign theirs: HMAC-SHA256 with the
endpoint's secret over ``<timestamp>.<body>``, sent as
``X-Veche-Signature: t=<timestamp>,v1=<hex>`` (a second ``v1=`` while a rotated secret is still
valid). The timestamp lets receivers refuse replays of old requests."""

import hashlib
import hmac
import time

HEADER = "X-Veche-Signature"
TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def header(secrets: list[str], timestamp: int, body: bytes) -> str:
    return ",".join([f"t={timestamp}", *(f"v1={sign(s, timestamp, body)}" for s in secrets)])


def verify(
    secret: str, value: str, body: bytes, *, tolerance: int = TOLERANCE_SECONDS, now: float = 0
) -> bool:
    """What a receiver does (docs/webhooks.md has the same in a few lines): a signature made
    with ``secret`` over this body, at a time no older than ``tolerance`` seconds."""
    fields = [part.split("=", 1) for part in value.split(",") if "=" in part]
    timestamps = [v for k, v in fields if k == "t"]
    if len(timestamps) != 1 or not timestamps[0].isdigit():
        return False
    timestamp = int(timestamps[0])
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body)
    return any(hmac.compare_digest(expected, v) for k, v in fields if k == "v1")
