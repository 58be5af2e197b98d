import copy

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext

from .models import DEFAULT_TAGLINE
from .selectors import community_settings_for


def veche(request: HttpRequest) -> dict:
    community = community_settings_for(request)
    if community.tagline == DEFAULT_TAGLINE:  # never changed by staff: in the reader's language
        community = copy.copy(community)
        community.tagline = gettext(DEFAULT_TAGLINE)
    return {
        "community": community,
        "sso_enabled": bool(settings.VECHE_SSO_URL and settings.VECHE_SSO_SECRET),
        "sso_only": settings.VECHE_SSO_ONLY,
    }
