"""Small HTTP helpers shared by the apps' views."""

import functools
import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt


def safe_next_url(request: HttpRequest, fallback: str = "") -> str:
    """The ``next`` parameter (POST, then GET) when it points to this site, else ``fallback``.
    Guards every "go back to where you were" redirect against open redirects."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    # A path or a full URL only: redirect() would take any other word ("12345") for the name
    # of a view, and fail with a 500 when there is none.
    if url.startswith(("/", "http://", "https://")) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return fallback


def csrf_for_members_only(view: Callable) -> Callable:
    """CSRF protection for signed-in members only, for a form that visitors' cached pages
    carry (the language switch, "did this answer your question?"). A shared page cannot hold
    a visitor's token, and a forged request of a visitor does nothing the forger could not
    do directly: it carries no session. A member's request is checked as everywhere else."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.user.is_authenticated:
            check = CsrfViewMiddleware(view)
            refused = check.process_view(request, None, args, kwargs)  # type: ignore[arg-type]
            if refused is not None:
                return refused
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)


class RejectNulBytesMiddleware:
    """A NUL byte in the path, the query string or a form field is refused with the 400 page.

    PostgreSQL cannot store or compare text containing NUL, so such input would otherwise end
    as a 500 wherever it reaches a query; no legitimate browser sends it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or _has_nul(request.GET) or _has_nul(request.POST):
            raise BadRequest("NUL byte in the request")
        return self.get_response(request)


def _has_nul(data: QueryDict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in data.lists()
    )


class TrustedProxyMiddleware:
    """Behind ``VECHE_TRUSTED_PROXY_COUNT`` proxies of ours (nginx, a load balancer), the
    visitor's address is the one the outermost of them added to ``X-Forwarded-For``: it
    becomes ``REMOTE_ADDR``, which every per-address limit reads (log-in and sign-up rate
    limits, the referral fraud checks). Entries further left are the client's to forge and are
    never read; with no proxy trusted (the default) the header is ignored."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.count = getattr(settings, "VECHE_TRUSTED_PROXY_COUNT", 0)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.count > 0:
            hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
            if len(hops) >= self.count:
                try:
                    client = ipaddress.ip_address(hops[-self.count])
                except ValueError:  # not an address: keep the connection's own
                    pass
                else:
                    request.META["REMOTE_ADDR"] = str(client)
        return self.get_response(request)
