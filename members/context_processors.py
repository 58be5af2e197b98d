from django.http import HttpRequest

from .selectors import community_settings_for


def veche(request: HttpRequest) -> dict:
    return {"community": community_settings_for(request)}
