"""What the API app plugs into at start-up: the cache scopes of its models and its part of
"export my data" and "delete my account"."""

from django.utils.translation import gettext_lazy as _

from config.cache import model_scopes, nothing
from members import personal_data

from .models import ApiToken, BotAccount
from .services import tokens_erase, tokens_export


def connect() -> None:
    # Tokens and the bot flag show on no shared page (the token page is personal).
    for model in (ApiToken, BotAccount):
        model_scopes(model, nothing)
    personal_data.register("api.tokens", _("API tokens"), export=tokens_export, erase=tokens_erase)
