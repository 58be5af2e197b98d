"""Whole-page cache for anonymous visitors.

Most of a public community's traffic is people who are not signed in reading questions, the
FAQ, ideas and search results. Every one of them sees the same page for the same address and
language, so the rendered page is kept in the cache and served without running the view.

Correctness rules:

* Only ``GET``/``HEAD`` requests of visitors who are not signed in and carry no session or
  messages cookie, outside htmx, are served from or stored in the cache; only plain ``200``
  responses that set no cookie are stored. Anything else runs the view as usual.
* The CSRF token is per visitor: while a cacheable page renders, templates get a placeholder
  instead of the token (see ``members.context_processors``), and every response, fresh or
  cached, gets the placeholder replaced by the current visitor's own token (which also makes
  the CSRF middleware send the matching cookie). A page whose rendering asked for the real
  token any other way is not stored.
* The key holds a *site generation*. It is bumped after every successful unsafe request
  (any post, vote, moderation decision, setting change made through the site) and on every
  model save or delete (admin, commands, background jobs), so a visitor sees new and hidden
  content at once; ``site_changed()`` bumps it again when the transaction commits, and bulk
  updates that matter (members, moderation states) call it too. Counters changed by bulk
  ``UPDATE`` (trending, views) can be ``PAGE_CACHE_SECONDS`` old at most, the same trade-off
  Discourse's anonymous cache makes.

The same generation keys the fragments shared by signed-in viewers of a kind
(``cached_fragment``) and each process's in-memory copies (``LocalSnapshots``: recent
fragments, question pages' public posts, signed-in members), so one rule makes all of them
correct.
"""

import functools
import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString

# Stands in for the visitor's CSRF token in shared HTML and is swapped for it in every response.
# Derived from the secret key, so no one can write it into a post and have each reader's token
# put into their link (it never reaches a browser: tests check every page for it).
CSRF_PLACEHOLDER = "csrfph" + salted_hmac("veche.pagecache.csrf-placeholder", "1").hexdigest()[:40]
_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()
GENERATION_KEY = "veche:page-gen"
RENDERING_ATTR = "_veche_page_cache_rendering"
# Models whose rows never show on a cached page (or change on every request): Django's and
# allauth's here, the project apps' own added by them with ``ignore_changes_of``.
IGNORED_MODELS = {
    "sessions.session",
    "account.emailconfirmation",
    "admin.logentry",
}
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


def page_cache_seconds() -> int:
    return getattr(settings, "VECHE_PAGE_CACHE_SECONDS", 60)


# Within one request the generation is read from the cache once (a page asks for it for each
# of its fragments); the middleware below opens and closes that memo.
_request_memo: ContextVar[dict | None] = ContextVar("veche_page_cache_memo", default=None)


def site_generation() -> int:
    memo = _request_memo.get()
    if memo is not None and "generation" in memo:
        return memo["generation"]
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A random start: after a cache flush, nothing kept under an old number (such as a
        # process's local snapshots) can match again.
        cache.add(GENERATION_KEY, secrets.randbelow(2**62) + 1, None)
        value = cache.get(GENERATION_KEY) or 1
    if memo is not None:
        memo["generation"] = value
    return value


def site_generation_bump() -> None:
    """Every cached anonymous page and fragment is stale from now on."""
    try:
        value = cache.incr(GENERATION_KEY)
    except ValueError:
        value = secrets.randbelow(2**62) + 1
        cache.set(GENERATION_KEY, value, None)
    memo = _request_memo.get()
    if memo is not None:
        memo["generation"] = value


def viewer_kind(user) -> tuple:
    """What a fragment shared by a kind of viewer may depend on: signed in, moderator, staff,
    the program badge (ambassadors see the ambassador-only categories)."""
    if not user.is_authenticated:
        return ("visitor",)
    return ("member", bool(user.is_moderator), bool(user.is_staff), user.badge or "")


def cached_fragment(name: str, parts: tuple, render: Callable[[], str]) -> SafeString:
    """A piece of a page that is the same for every viewer named by ``parts`` (for example
    "signed in, not a moderator"), kept under the site generation like whole pages. It must
    hold nothing personal: no CSRF token, no viewer's name, votes or own posts."""
    if page_cache_seconds() <= 0:
        return SafeString(render())
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
    key = f"veche:fragment:{name}:{site_generation()}:{translation.get_language()}:{digest}"

    def shared() -> str:
        html = cache.get(key)
        if html is None:
            html = str(render())
            cache.set(key, html, page_cache_seconds())
        return html

    # This process's recent fragments first (no cache round trip), then the shared cache.
    return SafeString(local_fragments.get("fragment", key, shared))


class LocalSnapshots:
    """Objects read from the database, kept in this process under the site generation.

    For data that every viewer shares and that costs more to load through the ORM than to
    copy (the public posts of a question page). An entry is used only while the generation
    it was built under is current and for ``PAGE_CACHE_SECONDS`` at most (counters updated
    in bulk do not bump the generation); the least recently used entries go first. Values
    are shared between requests: callers copy what they change.
    """

    def __init__(self, size: int = 64):
        self.size = size
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, name: str, key, build: Callable):
        seconds = page_cache_seconds()
        if seconds <= 0:
            return build()
        generation, now = site_generation(), time.monotonic()
        full_key = (name, key)
        with self._lock:
            entry = self._entries.get(full_key)
            if entry is not None and entry[0] == generation and entry[1] > now:
                self._entries.move_to_end(full_key)
                return entry[2]
        value = build()
        with self._lock:
            self._entries[full_key] = (generation, now + seconds, value)
            self._entries.move_to_end(full_key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def forget(self, name: str, key) -> None:
        with self._lock:
            self._entries.pop((name, key), None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


local_snapshots = LocalSnapshots()
local_fragments = LocalSnapshots(size=128)
local_members = LocalSnapshots(size=1024)


def local_caches_clear() -> None:
    """Forget this process's snapshots and fragments (tests, after loading data by hand)."""
    for snapshots in (local_snapshots, local_fragments, local_members):
        snapshots.clear()


def is_rendering_for_cache(request: HttpRequest | None) -> bool:
    return bool(request is not None and getattr(request, RENDERING_ATTR, False))


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or page_cache_seconds() <= 0:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return False
    if request.headers.get("HX-Request"):
        return False
    return not request.user.is_authenticated


def _key(request: HttpRequest) -> str:
    where = hashlib.blake2b(
        f"{request.get_host()}|{request.get_full_path()}".encode(), digest_size=16
    ).hexdigest()
    return f"veche:page:{site_generation()}:{translation.get_language()}:{where}"


def with_csrf_token(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The visitor's own CSRF token in place of the placeholder of cached fragments."""
    if not response.streaming and _PLACEHOLDER_BYTES in response.content:
        response.content = response.content.replace(_PLACEHOLDER_BYTES, get_token(request).encode())
    return response


def cache_anonymous_page(on_hit: Callable | None = None):
    """Serve the decorated GET view from the anonymous page cache. ``on_hit(request, *args,
    **kwargs)`` runs when a stored page is served (e.g. to count a view)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _cacheable_request(request):
                # Signed-in pages may hold cached fragments (forum.page_fragments).
                return with_csrf_token(request, view(request, *args, **kwargs))
            key = _key(request)
            stored = cache.get(key)
            if stored is not None:
                content_type, body = stored
                if on_hit is not None:
                    on_hit(request, *args, **kwargs)
                return with_csrf_token(request, HttpResponse(body, content_type=content_type))
            token_used_before = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
            setattr(request, RENDERING_ATTR, True)
            try:
                response = view(request, *args, **kwargs)
            finally:
                setattr(request, RENDERING_ATTR, False)
            if (
                response.status_code == 200
                and not response.streaming
                and not response.cookies
                and not response.has_header("Cache-Control")
                and not (request.META.get("CSRF_COOKIE_NEEDS_UPDATE") and not token_used_before)
            ):
                cache.set(key, (response["Content-Type"], response.content), page_cache_seconds())
            return with_csrf_token(request, response)

        return wrapped

    return decorator


class PageCacheInvalidationMiddleware:
    """A successful unsafe request (a post, vote, decision…) makes cached pages stale."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_memo.set({})
        try:
            response = self.get_response(request)
            if request.method not in SAFE_METHODS and response.status_code < 400:
                site_generation_bump()
        finally:
            _request_memo.reset(token)
        return response


def site_changed() -> None:
    """Data shown on pages changed: bump the generation now, and again when the transaction
    commits (a page or snapshot built in between, from the rows as they were before the
    commit, must not outlive it). Bulk updates that no signal reports call this too."""
    site_generation_bump()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        func is site_generation_bump for _, func, _ in connection.run_on_commit
    ):
        transaction.on_commit(site_generation_bump)


def ignore_changes_of(*models: type[Model] | str) -> None:
    """Saves and deletes of ``models`` (classes or ``app_label.model`` labels) leave the site
    generation alone. For an app's ``receivers.connect``."""
    IGNORED_MODELS.update(
        model.lower() if isinstance(model, str) else model._meta.label_lower for model in models
    )


def _on_model_change(sender: type[Model], **kwargs: Any) -> None:
    if sender._meta.label_lower not in IGNORED_MODELS:
        site_changed()


def connect_signals() -> None:
    """Saves and deletes outside the web requests (admin, commands, jobs) bump too."""
    post_save.connect(_on_model_change, dispatch_uid="veche-page-cache-save")
    post_delete.connect(_on_model_change, dispatch_uid="veche-page-cache-delete")
    m2m_changed.connect(_on_model_change, dispatch_uid="veche-page-cache-m2m")
