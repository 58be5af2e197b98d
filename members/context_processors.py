from .selectors import community_settings_get


def veche(request) -> dict:
    return {"community": community_settings_get()}
