"""Who an API request comes from: a personal token (``Authorization: Bearer …``) or the
site's session. A token's member gets what ``members.middleware`` gives a signed-in one:
their language, a refusal when banned or suspended; a private community is closed to
requests without a member (``PrivateCommunityMiddleware`` would redirect them to the log-in
page). Also the API's request rate limit (429)."""

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.utils import translation
from django.utils.translation import gettext as _

from members.selectors import community_settings_for

from .selectors import token_get_active
from .services import token_used

API_PREFIX = "/api/"


def error_response(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


class ApiTokenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        try:
            body = request.body
        except RawPostDataException:  # a multipart form: read as request.POST already
            return error_response(
                400, _("Send the request body as JSON (Content-Type: application/json).")
            )
        if _has_nul(request, body):
            return error_response(400, _("The request contains a NUL character."))
        refused = self._authenticate(request)
        if refused is not None:
            return refused
        if _over_rate_limit(request):
            response = error_response(
                429, _("Too many requests. Wait a minute before sending more.")
            )
            response["Retry-After"] = "60"
            return response
        return self.get_response(request)

    def _authenticate(self, request: HttpRequest) -> HttpResponse | None:
        header = request.headers.get("Authorization", "")
        if not header:
            if not request.user.is_authenticated and community_settings_for(request).private:
                return error_response(
                    401,
                    _("This community is private. Send a personal API token or log in."),
                )
            return None
        scheme, _space, secret = header.partition(" ")
        secret = secret.strip()
        if scheme.lower() != "bearer" or not secret:
            return error_response(401, _("Send the token as 'Authorization: Bearer <token>'."))
        token = token_get_active(secret)
        if token is None or not token.member.is_active:
            return error_response(401, _("This API token is not valid or was revoked."))
        member = token.member
        if member.preferred_language:
            translation.activate(member.preferred_language)
            request.LANGUAGE_CODE = member.preferred_language
        if member.is_banned:
            return error_response(403, _("Your account is banned."))
        if member.is_suspended:
            return error_response(403, _("Your account is suspended."))
        request.user = member
        request.api_token = token  # type: ignore[attr-defined]
        # A token is not a cookie a browser sends by itself: no cross-site forgery to guard
        # against.
        request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        token_used(token)
        return None


def _has_nul(request: HttpRequest, body: bytes) -> bool:
    """PostgreSQL cannot store or compare text with NUL: refused as the pages refuse it
    (``config.http.RejectNulBytesMiddleware``, which reads forms, not JSON)."""
    query = request.META.get("QUERY_STRING", "")
    return b"\\u0000" in body or b"\x00" in body or "%00" in query or "\x00" in request.path


def _over_rate_limit(request: HttpRequest) -> bool:
    """A fixed window per minute, per token, member or address (counted in the cache)."""
    limit = settings.VECHE_API_REQUESTS_PER_MINUTE
    if not limit:
        return False
    token = getattr(request, "api_token", None)
    if token is not None:
        who = f"t{token.pk}"
    elif request.user.is_authenticated:
        who = f"m{request.user.pk}"
    else:
        who = f"a{request.META.get('REMOTE_ADDR', '')}"
    key = f"api:rate:{who}:{int(time.time() // 60)}"
    try:
        cache.add(key, 0, 70)
        count = cache.incr(key)
    except ValueError:  # the key expired in between, or the cache is unreachable
        return False
    return bool(count is not None and count > limit)
