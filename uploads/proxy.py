"""Images from other hosts, through the site: readers' browsers never contact those hosts.

The rendered Markdown (config.markdown) carries, for each image on another host, the address
of ``uploads:image-proxy`` with the target and its HMAC (``signed_image_url``): the proxy
fetches only addresses the site itself wrote, so it is no open proxy. A fetch goes through
config.outbound (http/https only; every address the host resolves to must be public, and the
connection is made to the checked one), follows no redirect, stops at a size and a time
limit, and keeps the answer only if Pillow reads it as an image, encoded again like an
uploaded one. The bytes are kept in the uploads store under ``proxy/`` and their type in the
cache.
"""

import hashlib
import http.client
import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.signing import BadSignature, Signer
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from config import outbound

from . import files
from .services import storage

SALT = "uploads.image_proxy"
CACHE_PREFIX = "uploads:proxy:"
EXTENSIONS = {content_type: ext for content_type, ext in files.IMAGE_FORMATS.values()}


class Unavailable(Exception):
    """The image cannot be had: refused, not an image, too large, too slow, gone."""


def _signer() -> Signer:
    return Signer(salt=SALT)


def signature(url: str) -> str:
    return _signer().signature(url)


def signature_valid(url: str, given: str) -> bool:
    try:
        return constant_time_compare(signature(url), given)
    except BadSignature:
        return False


def signed_image_url(src: str) -> str:
    """The proxy's address for an image on another host; other addresses stay as they are
    (the site's own images, relative ones)."""
    parts = urlsplit(src)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return src
    if outbound.is_this_site(parts.hostname):
        return src
    query = urlencode({"url": src, "s": signature(src)})
    return f"{reverse('uploads:image-proxy')}?{query}"


def fetch(url: str) -> tuple[bytes, str]:
    """The image at ``url`` as the site serves it, and its type; from the store when it was
    fetched before. Raises ``Unavailable``."""
    digest = hashlib.sha256(url.encode()).hexdigest()
    content_type = cache.get(CACHE_PREFIX + digest)
    store = storage()
    if content_type in EXTENSIONS:
        path = f"proxy/{digest[:2]}/{digest}{EXTENSIONS[content_type]}"
        try:
            with store.open(path, "rb") as handle:
                return handle.read(), content_type
        except OSError:
            pass
    data = _download(url)
    try:
        checked = files.check(data, "image.png")
    except files.Refused as exc:
        raise Unavailable(str(exc)) from exc
    if checked.kind != "image":
        raise Unavailable("not an image")
    path = f"proxy/{digest[:2]}/{digest}{EXTENSIONS[checked.content_type]}"
    if not store.exists(path):
        store.save(path, ContentFile(checked.data))
    cache.set(CACHE_PREFIX + digest, checked.content_type, settings.VECHE_IMAGE_PROXY_KEEP_SECONDS)
    return checked.data, checked.content_type


def _download(url: str) -> bytes:
    try:
        target = outbound.resolve(url, allow_private=settings.VECHE_IMAGE_PROXY_ALLOW_PRIVATE)
    except outbound.Refused as exc:
        raise Unavailable(str(exc)) from exc
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    limit = settings.VECHE_IMAGE_PROXY_MAX_BYTES
    deadline = time.monotonic() + settings.VECHE_IMAGE_PROXY_TIMEOUT
    connection = outbound.connection(target, settings.VECHE_IMAGE_PROXY_TIMEOUT)
    try:
        connection.request("GET", path, headers={"Accept": "image/*", "User-Agent": "Veche"})
        response = connection.getresponse()
        if response.status != 200:  # redirects included: never followed
            raise Unavailable(f"status {response.status}")
        if int(response.headers.get("Content-Length") or 0) > limit:
            raise Unavailable("too large")
        chunks: list[bytes] = []
        received = 0
        while chunk := response.read(65536):
            received += len(chunk)
            if received > limit:
                raise Unavailable("too large")
            if time.monotonic() > deadline:
                raise Unavailable("too slow")
            chunks.append(chunk)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise Unavailable(str(exc) or type(exc).__name__) from exc
    finally:
        connection.close()
    return b"".join(chunks)
