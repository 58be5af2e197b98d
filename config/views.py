from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .cache import cache_anonymous_page
from .home import home_sections


@cache_anonymous_page(lambda request: ("questions", "ideas", "faq"))
def home_view(request: HttpRequest) -> HttpResponse:
    """The landing page. Each app contributes a block (see ``config.home``)."""
    return render(request, "home.html", {"sections": home_sections(request)})


def bad_request_view(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied_view(request, exception=None):
    reason = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def page_not_found_view(request, exception=None):
    return render(request, "404.html", status=404)


def server_error_view(request):
    return render(request, "500.html", status=500)
