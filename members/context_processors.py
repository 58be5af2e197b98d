from .selectors import community_settings_for


def veche(request) -> dict:
    return {"community": community_settings_for(request)}
