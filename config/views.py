import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static

from .cache import cache_anonymous_page
from .home import home_sections


@cache_anonymous_page(lambda request: ("questions", "ideas", "faq"))
def home_view(request: HttpRequest) -> HttpResponse:
    """The landing page. Each app contributes a block (see ``config.home``)."""
    return render(request, "home.html", {"sections": home_sections(request)})


def favicon_view(request: HttpRequest) -> HttpResponse:
    """Feed readers and old browsers ask for /favicon.ico whatever the page's icon link says."""
    return redirect(static("favicon.svg"), permanent=True)


def bad_request_view(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied_view(request, exception=None):
    reason = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def page_not_found_view(request, exception=None):
    return render(request, "404.html", status=404)


# How long a client should wait before trying again when the database is away.
RETRY_AFTER_SECONDS = 30


def server_error_view(request):
    """The 500 page, or the 503 page when the error is the database being unreachable. Both
    render from their template alone: no member, no settings, no query (loading the signed-in
    member is what failed, often)."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(render_to_string("500.html"), status=500)
