"""Personal API tokens, and the bot accounts staff tokens may act as.

A token is shown once, when it is made; only its SHA-256 hash is stored, with its first
characters (``prefix``) so that its owner can tell tokens apart (as GitHub's tokens do)."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Scope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Write")
    MODERATE = "moderate", _("Moderate")
    ADMIN = "admin", _("Admin")


class ApiToken(models.Model):
    # The account the API acts as: the owner's own, or a bot's for a staff token.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens_created"
    )
    name = models.CharField(_("name"), max_length=80)
    # A list of ``Scope`` values.
    scopes = models.JSONField(_("scopes"), default=list)
    prefix = models.CharField(max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Written at most once a minute per token (api.services.token_used), never per request.
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="apitoken_creator_idx")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="apitoken_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def acts_as_other(self) -> bool:
        return self.member_id != self.created_by_id


class BotAccount(models.Model):
    """Flags a member account as a bot: what a staff token may act as (a support integration
    posting as "Support bot"). The bot is a member like any other: the same rules, screening
    and sanctions apply to what it posts."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bot_account"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bot account")
        verbose_name_plural = _("bot accounts")

    def __str__(self) -> str:
        return str(self.member)
