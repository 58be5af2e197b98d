from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def placeholder_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Stands in for a page whose app has not landed yet."""
    return render(request, "placeholder.html")
