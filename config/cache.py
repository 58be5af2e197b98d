"""Veche's cache in four ideas (docs/caching.md): 1. scopes and their ``versions``; 2. ``touch``:
a write makes its scopes' versions new, now and at commit (``model_scopes``); 3. ``remember``: a
value stored with the versions read before loading it; 4. ``cache_anonymous_page``: pages."""

import functools
import hashlib
import re
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.db.models import Model, QuerySet, prefetch_related_objects
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from redis.exceptions import RedisError

from . import replicas
from .db import query_digest

T = TypeVar("T")
Ttl = int | Callable[[], int]  # seconds, or a function asked only when storing (a budget)
SITE = "site"
PREFIX = "veche:v:"

# --- 1 and 2: versions, and touching them --------------------------------------------------


class CacheUnavailable(ValueError):
    @classmethod
    def raised(cls, *args: Any, **kwargs: Any) -> Any:
        raise cls


def _miss(method: Callable, fallback: Callable[..., Any]) -> Callable:
    @functools.wraps(method)
    def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() >= self.away_until:  # else it failed a moment ago: do not wait
            try:
                return method(self, *args, **kwargs)
            except RedisError:
                self.away_until = time.monotonic() + self.RETRY_AFTER
        return fallback(*args, **kwargs)

    return guarded


class ResilientRedisCache(RedisCache):
    """Redis unreachable or slow (``socket_timeout``): reads miss, writes do nothing, and
    ``incr`` raises ``CacheUnavailable`` (a lost touch, made up once Redis is back). After a
    failure the process leaves Redis alone for ``RETRY_AFTER`` seconds."""

    away_until, RETRY_AFTER = 0.0, 5.0

    @functools.cached_property
    def _cache(self) -> Any:  # one redis-py client per pool, not one per command (90 µs)
        client = RedisCache._cache.func(self)  # type: ignore[attr-defined]
        client._client = functools.cache(client._client)
        return client

    get = _miss(RedisCache.get, lambda key, default=None, version=None: default)
    get_many = _miss(RedisCache.get_many, lambda *args, **kwargs: {})
    has_key = _miss(RedisCache.has_key, lambda *args, **kwargs: False)
    add = _miss(RedisCache.add, lambda *args, **kwargs: False)
    set = _miss(RedisCache.set, lambda *args, **kwargs: None)
    set_many = _miss(RedisCache.set_many, lambda *args, **kwargs: [])
    delete = _miss(RedisCache.delete, lambda *args, **kwargs: False)
    incr = _miss(RedisCache.incr, CacheUnavailable.raised)
    clear = _miss(RedisCache.clear, lambda: None)


_lost_touches: set[str] = set()  # lost while Redis was away: made, with ``site``, once it is back


def versions(scopes: Iterable[str], also: str | None = None) -> tuple:
    """Each scope's version (``None`` with Redis away) and the value under ``also``: one trip."""
    if _lost_touches:
        _bump({SITE, *_lost_touches})
    keys = [PREFIX + scope for scope in scopes]
    found = cache.get_many([*keys, also] if also else keys)
    missing = [key for key in keys if key not in found]
    if missing:
        # A random start: after a flush, nothing stored under an old number matches again.
        for key in missing:
            cache.add(key, secrets.randbelow(2**62) + 1, None)
        found.update(cache.get_many(missing))
    current = tuple(found.get(key) for key in keys)
    return (current, found.get(also)) if also else current


def _bump(scopes: Iterable[str]) -> None:
    replicas.note_touched(scopes)  # first: whoever sees a new version also sees the marker
    for scope in set(scopes):
        try:
            cache.incr(PREFIX + scope)
            _lost_touches.discard(scope)
        except CacheUnavailable:
            _lost_touches.add(scope)
        except ValueError:
            cache.set(PREFIX + scope, secrets.randbelow(2**62) + 1, None)


def touch(*scopes: str) -> None:
    """What ``scopes`` show changed: stale now, and again when the transaction commits."""
    if scopes:
        _bump(scopes)
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(lambda: _bump(scopes))


ScopesOf = Callable[[Any, frozenset | None], Iterable[str]]
_MODEL_SCOPES: dict[str, ScopesOf] = {}


def nothing(*args: Any, **kwargs: Any) -> tuple:
    return ()


def model_scopes(model: type[Model] | str, scopes_of: ScopesOf) -> None:
    """Saves and deletes of ``model`` touch ``scopes_of(instance, update_fields)`` (``nothing``
    for rows no page shows); undeclared models touch ``site``."""
    label = model.lower() if isinstance(model, str) else model._meta.label_lower
    _MODEL_SCOPES[label] = scopes_of


def scopes_of(instance: Model, update_fields: Iterable[str] | None = None) -> tuple[str, ...]:
    declared = _MODEL_SCOPES.get(instance._meta.label_lower)
    fields = frozenset(update_fields) if update_fields is not None else None
    return tuple(declared(instance, fields)) if declared else (SITE,)


def _on_change(sender: type[Model], instance: Model, action: str = "post_", **kwargs: Any) -> None:
    if action.startswith("post_"):  # saved, deleted, or its many-to-many relations changed
        touch(*scopes_of(instance, kwargs.get("update_fields")))


class TouchingQuerySet(QuerySet):
    """Bulk ``update()`` touches what saving each row would: the rows (a hundred at most,
    beyond that ``site``) are read first, without text columns, generic targets prefetched."""

    def update(self, **kwargs: Any) -> int:
        heavy = ("TextField", "JSONField", "SearchVectorField")  # no scope depends on them
        text = [f.name for f in self.model._meta.concrete_fields if f.get_internal_type() in heavy]
        rows: list[Any] = list(self.defer(*text)[:101])
        targets = [f.name for f in self.model._meta.private_fields if hasattr(f, "fk_field")]
        prefetch_related_objects(rows, *targets)
        count = super().update(**kwargs)
        if count:
            scopes = {SITE} if len(rows) > 100 else set()
            for row in rows[:100]:
                scopes.update(scopes_of(row, kwargs))
            touch(*scopes)
        return count


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_change, dispatch_uid=f"veche-cache-{id(signal)}")


# --- 3: values kept under versions ---------------------------------------------------------


def remember(
    key: str, scopes: Iterable[str], load: Callable[[], T], timeout: Ttl, shown: Callable = nothing
) -> T:
    """The value under ``key`` with the current versions of ``scopes``, else ``load()``, stored
    with the versions read before loading (not with ``timeout`` 0). ``shown(value)``: the
    objects it shows (a list's rows), read after loading, which make it stale too."""
    if not callable(timeout) and timeout <= 0:
        return load()
    current, stored = versions(scopes, also=key)
    if None in current:  # Redis away
        return load()
    if isinstance(stored, tuple) and len(stored) == 4 and stored[0] == current:
        if not stored[2] or versions(stored[2]) == stored[3]:
            return stored[1]
    with replicas.primary(replicas.may_be_stale(scopes)):  # a replica may not show the touch
        value = load()
    rows, seconds = tuple(shown(value)), timeout() if callable(timeout) else timeout
    if seconds > 0 and not replicas.may_be_stale(rows):  # rows read where the touches show
        cache.set(key, (current, value, rows, versions(rows) if rows else ()), seconds)
    return value


def counted(queryset: QuerySet, scopes: Iterable[str], name: str = "") -> int:
    """``queryset.count()`` kept under ``scopes`` and ``name`` (else its SQL, without order)."""
    key = f"veche:count:{name or query_digest(queryset.order_by())}"
    return remember(key, scopes, queryset.count, 600)


# --- 4: whole pages for visitors ------------------------------------------------------------

PAGE = re.compile(r"^[1-9][0-9]?$")  # pages 1 to 99 are cached; deeper ones render each time
# Any text up to 100 characters (a search): at most FREE_TEXT_PAGES stored per view and lifetime.
FREE_TEXT, FREE_TEXT_PAGES = re.compile(r"^.{1,100}\Z", re.DOTALL), 500
Params = Mapping[str, re.Pattern | Iterable[str]]


def page_cache_seconds() -> int:
    return getattr(settings, "VECHE_PAGE_CACHE_SECONDS", 300)


def query_key(request: HttpRequest, params: Params, only: Iterable[str] = ()) -> str | None:
    """Host, path and query (``only``'s names, if given) as a key; ``None``: an undeclared one."""
    parts = []
    for name, (value, *more) in sorted(request.GET.lists()):
        allowed = params.get(name)
        if allowed is None or more:
            return None
        if not (allowed.match(value) if isinstance(allowed, re.Pattern) else value in allowed):
            return None
        if not only or name in only:
            parts.append(f"{name}={value}")
    where = f"{request.get_host()}|{request.path}|{'&'.join(parts)}"
    return hashlib.blake2b(where.encode(), digest_size=16).hexdigest()


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and page_cache_seconds() > 0
        and not {settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name} & request.COOKIES.keys()
        and not request.headers.get("HX-Request")
        and not request.user.is_authenticated
    )


def page_shows(request: HttpRequest, scopes: Iterable[str]) -> None:
    """A view names the objects its page shows (a list's rows), which make it stale too."""
    shows = getattr(request, "_veche_page_shows", None)
    if shows is not None:
        shows.extend(scopes)


def within_budget(view: Callable, request: HttpRequest, params: Params) -> bool:
    """Pages with free text in their query: the view's first ``FREE_TEXT_PAGES`` per lifetime."""
    if not any(params.get(name) is FREE_TEXT for name in request.GET):
        return True
    seconds = page_cache_seconds()
    key = f"veche:page-budget:{view.__module__}.{view.__name__}:{int(time.time() // seconds)}"
    cache.add(key, 0, seconds * 2)
    try:
        return cache.incr(key) <= FREE_TEXT_PAGES
    except ValueError:  # the window ended in between
        return False


def cache_anonymous_page(
    scopes: Callable = nothing, params: Params | None = None, on_hit: Callable | None = None
):
    """Serve the GET view to visitors from the cache. ``scopes(request, *args, **kwargs)``:
    what the page shows besides ``site``; ``params``: the query parameters cached, each with a
    pattern or a set of values (any other query renders uncached); ``on_hit`` runs when a
    stored page is served (to count a view)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            query = query_key(request, params or {}) if _cacheable(request) else None
            if query is None:
                return view(request, *args, **kwargs)
            key = f"veche:page:{translation.get_language()}:{query}"
            names = (SITE, *scopes(request, *args, **kwargs))
            current, stored = versions(names, also=key)
            if None in current:  # Redis away: the page from the database, not stored
                return view(request, *args, **kwargs)
            # Stored: (versions, rows shown, their versions, content type, body).
            hit = isinstance(stored, tuple) and len(stored) == 5 and stored[0] == current
            if hit and (not stored[1] or versions(stored[1]) == stored[2]):
                if on_hit is not None:
                    on_hit(request, *args, **kwargs)
                return HttpResponse(stored[4], content_type=stored[3])
            request._veche_page_shows = []  # type: ignore[attr-defined]
            with replicas.primary(replicas.may_be_stale(names)):
                response = view(request, *args, **kwargs)
                shown = tuple(request._veche_page_shows)  # type: ignore[attr-defined]
                fresh = not replicas.may_be_stale(shown)
            if (
                fresh
                and within_budget(view, request, params or {})
                and response.status_code == 200
                and not response.streaming
                and not response.cookies
                and not response.has_header("Cache-Control")
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            ):
                body = (shown, versions(shown), response["Content-Type"], response.content)
                cache.set(key, (current, *body), page_cache_seconds())
            return response

        return wrapped

    return decorator
