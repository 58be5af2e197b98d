"""The browsers a member is signed in with (allauth's ``UserSession`` rows, written at log-in):
listing them with when each was last seen, and ending one (docs/identity.md, "Signed-in
browsers")."""

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime

from allauth.usersessions.internal.flows.sessions import end_sessions
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from .models import Member

SEEN_KEY = "veche:session-seen:"


def _seen_cache_key(session_key: str) -> str:
    # The session key is a credential: the cache holds only its hash.
    return SEEN_KEY + hashlib.sha256(session_key.encode()).hexdigest()[:32]


# The periods this process knows to be running (cache key → when to ask again): the cache is
# asked once per period and browser, not on every page (a Redis trip, ~0.4 ms of a member's
# page). A period another process started is asked about again after a minute.
_running: dict[str, float] = {}
MAX_RUNNING = 10_000


def session_seen_mark(*, session_key: str) -> bool:
    """Start a "last seen" period for the browser: False when one is running (or the cache is
    away). At log-in allauth writes the row with "last seen" now, so the period starts there
    and the first pages after a log-in write nothing."""
    minutes = settings.VECHE_SESSION_SEEN_MINUTES
    if minutes <= 0:
        return False
    key, now = _seen_cache_key(session_key), time.monotonic()
    if _running.get(key, 0.0) > now:
        return False
    started = bool(cache.add(key, 1, timeout=minutes * 60))
    if len(_running) >= MAX_RUNNING:
        _running.clear()
    _running[key] = now + (minutes * 60 if started else 60)
    return started


def session_seen_record(*, member: Member, session_key: str) -> bool:
    """Write "last seen now" on the member's row for this browser, at most once per
    ``VECHE_SESSION_SEEN_MINUTES`` per session: a cache ``add`` decides once per period
    (``_running`` keeps the answer), so an ordinary request costs no cache call and no query.
    Returns True when it wrote.

    With the cache away ``add`` fails and nothing is written: "last seen" then lags, it never
    turns into a write per request."""
    if not session_seen_mark(session_key=session_key):
        return False
    UserSession.objects.filter(session_key=session_key, user_id=member.pk).update(
        last_seen_at=timezone.now()
    )
    return True


@dataclass(frozen=True)
class SignedInBrowser:
    pk: int
    ip: str
    user_agent: str
    created_at: datetime
    last_seen_at: datetime
    is_current: bool


def session_list_for(*, member: Member, current_key: str | None) -> list[SignedInBrowser]:
    """The member's signed-in browsers, the most recently seen first, in two queries however
    many there are. Rows whose session ended without a log-out (expired, cleared, or
    signed out by a password change) are dropped from the list and deleted."""
    rows = list(UserSession.objects.filter(user_id=member.pk).order_by("-last_seen_at", "-pk"))
    if not rows:
        return []
    if settings.SESSION_ENGINE in DATABASE_SESSION_ENGINES:
        alive = _alive_in_database(member, [row.session_key for row in rows])
    else:  # sessions only in the cache: allauth's check, one read per browser
        alive = {row.session_key for row in UserSession.objects.purge_and_list(member)}
    if current_key:
        alive.add(current_key)  # this request is signed in through it
    gone = [row.pk for row in rows if row.session_key not in alive]
    if gone:
        UserSession.objects.filter(pk__in=gone).delete()
    return [
        SignedInBrowser(
            pk=row.pk,
            ip=row.ip,
            user_agent=row.user_agent,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            is_current=row.session_key == current_key,
        )
        for row in rows
        if row.session_key in alive
    ]


DATABASE_SESSION_ENGINES = {
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
}


def _alive_in_database(member: Member, keys: list[str]) -> set[str]:
    """Which of ``keys`` are unexpired sessions still signed in as ``member`` (a password
    change makes the others' hash stale): one query, decoded here."""
    auth_hash = member.get_session_auth_hash()
    alive: set[str] = set()
    live = Session.objects.filter(session_key__in=keys, expire_date__gt=timezone.now()).only(
        "session_key", "session_data"
    )
    for stored in live:
        data = stored.get_decoded()
        if data.get(SESSION_KEY) == str(member.pk) and data.get(HASH_SESSION_KEY) == auth_hash:
            alive.add(stored.session_key)
    return alive


def session_end(*, request: HttpRequest, member: Member, pk: int) -> bool | None:
    """End the member's browser session ``pk``: that browser's next request is anonymous.
    ``None`` when it is not one of theirs; ``True`` when it was the current browser, which is
    then signed out too (through allauth's log-out, like the "Sign out" button)."""
    user_session = UserSession.objects.filter(pk=pk, user_id=member.pk).first()
    if user_session is None:
        return None
    current = user_session.session_key == request.session.session_key
    end_sessions(request, [user_session])
    return current


def session_end_others(*, request: HttpRequest, member: Member) -> int:
    """End every browser session of the member except the current one."""
    others = list(
        UserSession.objects.filter(user_id=member.pk).exclude(
            session_key=request.session.session_key or ""
        )
    )
    end_sessions(request, others)
    return len(others)
