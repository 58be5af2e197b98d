"""``/health/``: which part of Veche is up, for load balancers and monitors.

Answered by a middleware at the top of the stack, before sessions, the member, the community
settings or anything else that needs the database or the cache: it must answer when they are
away. ``ok`` or ``down`` per part, no details; status 503 when the database is down (the site
cannot serve), 200 otherwise (with the cache down the site renders from the database).
"""

from collections.abc import Callable

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse

PATH = "/health/"


def _database() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        connection.close_if_unusable_or_obsolete()
        raise


def _cache() -> None:
    cache.get("veche:health")


def _state(probe: Callable[[], None]) -> str:
    try:
        probe()
    except Exception:  # noqa: BLE001 - any failure of the part means it is down
        return "down"
    return "ok"


def health() -> JsonResponse:
    parts = {"database": _state(_database), "cache": _state(_cache)}
    response = JsonResponse(parts, status=200 if parts["database"] == "ok" else 503)
    response["Cache-Control"] = "no-store"
    return response


class HealthMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == PATH and request.method in ("GET", "HEAD"):
            return health()
        return self.get_response(request)
