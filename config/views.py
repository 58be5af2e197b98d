import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import get_language

from .cache import SITE, cache_anonymous_page, page_cache_seconds, remember
from .home import HOME_AS_VISITORS, home_sections

HOME_SCOPES = ("questions", "ideas", "faq")


@cache_anonymous_page(lambda request: HOME_SCOPES)
def home_view(request: HttpRequest) -> HttpResponse:
    """The landing page. Each app contributes a block (see ``config.home``). Whoever gets the
    blocks visitors get (every app's ``HOME_AS_VISITORS`` says so) shares their render, kept
    under the scopes of the visitors' page, one per language."""

    def blocks() -> str:
        context = {"sections": home_sections(request)}
        return render_to_string("components/_home_sections.html", context, request)

    if all(as_visitors(request) for as_visitors in HOME_AS_VISITORS):
        key = f"veche:home-sections:{get_language()}"
        sections = remember(key, (SITE, *HOME_SCOPES), blocks, page_cache_seconds())
    else:
        sections = blocks()
    return render(request, "home.html", {"sections_html": sections})


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
