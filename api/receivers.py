"""What the API app plugs into at start-up: the cache scopes of its models."""

from config.cache import model_scopes, nothing

from .models import ApiToken, BotAccount


def connect() -> None:
    # Tokens and the bot flag show on no shared page (the token page is personal).
    for model in (ApiToken, BotAccount):
        model_scopes(model, nothing)
