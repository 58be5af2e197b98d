from django.contrib.auth import get_user_model, login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path


def login_view(request: HttpRequest) -> HttpResponse:
    """The provider's log-in page, reduced to "you are Grace": the tests drive Veche's side."""
    login(request, get_user_model().objects.get(username="grace"))
    return redirect(request.GET.get("next", "/"))


urlpatterns = [
    path("login/", login_view),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
