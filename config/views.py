from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from .home import home_sections
from .pagecache import cache_anonymous_page, cached_fragment, viewer_kind


@cache_anonymous_page()
def home_view(request: HttpRequest) -> HttpResponse:
    """The landing page. Each app contributes a block (see ``config.home``); the blocks are
    the same for every viewer of a kind, so they are rendered once per kind."""
    sections = cached_fragment(
        "home",
        viewer_kind(request.user),
        lambda: render_to_string(
            "components/_home_sections.html", {"sections": home_sections(request)}, request
        ),
    )
    return render(request, "home.html", {"sections_html": sections})


def bad_request_view(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied_view(request, exception=None):
    reason = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def page_not_found_view(request, exception=None):
    return render(request, "404.html", status=404)


def server_error_view(request):
    return render(request, "500.html", status=500)
