"""Veche's cache in four ideas (docs/caching.md): 1. scopes and their ``versions``; 2. ``touch``:
a write makes its scopes' versions new, now and at commit (``model_scopes``); 3. ``remember``: a
value stored with the versions read before loading it; 4. ``cache_anonymous_page``: pages."""

import contextlib
import functools
import hashlib
import re
import secrets
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
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
SITE, PREFIX = "site", "veche:v:"


# --- 1 and 2: versions, and touching them --------------------------------------------------
class CacheUnavailable(ValueError):
    @classmethod
    def raised(cls, *args: Any, **kwargs: Any) -> Any:
        raise cls


def _miss(method: Callable, fallback: Callable[..., Any]) -> Callable:
    def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() >= self.away_until:  # else it failed a moment ago: do not wait
            try:
                return method(self, *args, **kwargs)
            except RedisError:
                self.away_until = time.monotonic() + self.RETRY_AFTER
        return fallback(*args, **kwargs)

    return guarded


class ResilientRedisCache(RedisCache):
    """Redis away or slow: reads miss, writes do nothing, ``incr`` raises ``CacheUnavailable``."""

    away_until, RETRY_AFTER = 0.0, 5.0
    _INCR = "return redis.call('exists',KEYS[1])==1 and redis.call('incrby',KEYS[1],ARGV[1]) or nil"

    @functools.cached_property
    def _cache(self) -> Any:  # one redis-py client per pool, not one per command (90 µs)
        client = RedisCache._cache.func(self)  # type: ignore[attr-defined]
        client._client = functools.cache(client._client)
        return client

    def _incr(self, key: Any, delta: int = 1, version: Any = None) -> int:  # one trip, not two
        key = self.make_and_validate_key(key, version=version)  # (Django's: EXISTS, then INCR)
        value = self._cache.get_client(key, write=True).eval(self._INCR, 1, key, delta)
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value

    get = _miss(RedisCache.get, lambda key, default=None, version=None: default)
    get_many = _miss(RedisCache.get_many, lambda *args, **kwargs: {})
    has_key = _miss(RedisCache.has_key, lambda *args, **kwargs: False)
    add = _miss(RedisCache.add, lambda *args, **kwargs: False)
    set = _miss(RedisCache.set, lambda *args, **kwargs: None)
    set_many = _miss(RedisCache.set_many, lambda *args, **kwargs: [])
    delete = _miss(RedisCache.delete, lambda *args, **kwargs: False)
    incr = _miss(_incr, CacheUnavailable.raised)
    clear = _miss(RedisCache.clear, lambda: None)


_lost_touches: set[str] = set()  # lost while Redis was away: made, with ``site``, once it is back


def versions(scopes: Iterable[str], also: str | None = None) -> tuple:
    """Each scope's version (``None`` with Redis away) and the value under ``also``: one trip."""
    if _lost_touches:
        _bump({SITE, *_lost_touches})
    keys = [PREFIX + scope for scope in scopes]
    wanted, ahead = [*keys, also] if also else keys, _ahead.get() or {}
    found = {key: ahead.pop(key) for key in wanted if key in ahead}  # read ahead: used once
    if rest := [key for key in wanted if key not in found]:
        found.update(cache.get_many(rest))
    if missing := [key for key in keys if found.get(key) is None]:  # a random start: see docs
        for key in missing:
            cache.add(key, secrets.randbelow(2**62) + 1, None)
        found.update(cache.get_many(missing))
    current = tuple(found.get(key) for key in keys)
    return (current, found.get(also)) if also else current


def _bump(scopes: Iterable[str]) -> None:
    (_ahead.get() or {}).clear()  # what the request read ahead may be old now
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
    """Saves and deletes of ``model`` touch ``scopes_of(instance, update_fields)``."""
    _MODEL_SCOPES[model.lower() if isinstance(model, str) else model._meta.label_lower] = scopes_of


def scopes_of(instance: Model, update_fields: Iterable[str] | None = None) -> tuple[str, ...]:
    declared = _MODEL_SCOPES.get(instance._meta.label_lower)
    fields = frozenset(update_fields) if update_fields is not None else None
    return tuple(declared(instance, fields)) if declared else (SITE,)


def _on_change(sender: type[Model], instance: Model, action: str = "post_", **kwargs: Any) -> None:
    if action.startswith("post_"):  # saved, deleted, or its many-to-many relations changed
        touch(*scopes_of(instance, kwargs.get("update_fields")))


class TouchingQuerySet(QuerySet):
    """Bulk ``update()`` touches what saving each row would (over a hundred rows: ``site``)."""

    def update(self, **kwargs: Any) -> int:
        heavy = ("TextField", "JSONField", "SearchVectorField")  # no scope depends on them
        text = [f.name for f in self.model._meta.concrete_fields if f.get_internal_type() in heavy]
        rows: list[Any] = list(self.defer(*text)[:101])
        targets = [f.name for f in self.model._meta.private_fields if hasattr(f, "fk_field")]
        prefetch_related_objects(rows, *targets)
        if count := super().update(**kwargs):
            scopes = {SITE} if len(rows) > 100 else set()
            touch(*scopes.union(*(scopes_of(row, kwargs) for row in rows[:100])))
        return count


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_change, dispatch_uid=f"veche-cache-{id(signal)}")


# --- 3: values kept under versions ---------------------------------------------------------
# Each app's ``entries_of(member_id)``: what most member pages ``remember``, read ahead at once.
READ_AHEAD: dict[str, Callable[[int], Iterable[tuple[str, Iterable[str]]]]] = {}
_ahead: ContextVar[dict | None] = ContextVar("veche_read_ahead", default=None)


@contextlib.contextmanager
def reading_ahead(member_id: int) -> Iterator[None]:
    entries = [entry for entries_of in READ_AHEAD.values() for entry in entries_of(member_id)]
    keys = {key for key, _ in entries} | {PREFIX + s for _, scopes in entries for s in scopes}
    token = _ahead.set(dict.fromkeys(keys) | cache.get_many(keys) if keys else {})
    try:
        yield
    finally:
        _ahead.reset(token)


def remember(
    key: str, scopes: Iterable[str], load: Callable[[], T], timeout: Ttl, shown: Callable = nothing
) -> T:
    """The value under ``key`` with the current versions of ``scopes``, else ``load()`` stored
    with the versions read before it; ``shown(value)``: scopes of the rows it shows, too."""
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
    cookies = {settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name} & request.COOKIES.keys()
    personal = cookies or request.headers.get("HX-Request") or request.user.is_authenticated
    return request.method in ("GET", "HEAD") and page_cache_seconds() > 0 and not personal


def page_shows(request: HttpRequest, scopes: Iterable[str]) -> None:
    """A view names the objects its page shows (a list's rows), which make it stale too."""
    getattr(request, "_veche_page_shows", []).extend(scopes)


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
    scopes: Callable = nothing, params: Params | None = None, on_hit: Callable = nothing
):
    """Visitors' GET pages from the cache: ``scopes(request, ...)`` names what a page shows
    besides ``site``, ``params`` each cached query parameter's values, ``on_hit`` runs on a hit."""

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
                on_hit(request, *args, **kwargs)
                return HttpResponse(stored[4], content_type=stored[3])
            request._veche_page_shows = []  # type: ignore[attr-defined]
            with replicas.primary(replicas.may_be_stale(names)):
                response = view(request, *args, **kwargs)
                shown = tuple(request._veche_page_shows)  # type: ignore[attr-defined]
                fresh = not replicas.may_be_stale(shown)  # rows read where the touches show
            # Stored only as every visitor gets it: no cookie or token set, no own headers.
            personal = response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            plain = response.status_code == 200 and not response.has_header("Cache-Control")
            storable = fresh and plain and not (response.streaming or personal)
            if storable and within_budget(view, request, params or {}):
                body = (shown, versions(shown), response["Content-Type"], response.content)
                cache.set(key, (current, *body), page_cache_seconds())
            return response

        return wrapped

    return decorator
