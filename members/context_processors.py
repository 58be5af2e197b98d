from typing import Any

from django.http import HttpRequest

from config.pagecache import CSRF_PLACEHOLDER, is_rendering_for_cache

from .selectors import community_settings_for


def veche(request: HttpRequest) -> dict:
    context: dict[str, Any] = {"community": community_settings_for(request)}
    if is_rendering_for_cache(request):
        # Shared by every visitor: the page cache puts each visitor's own token in its place.
        context["csrf_token"] = CSRF_PLACEHOLDER
    return context
