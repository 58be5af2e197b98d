"""Writes of the API app: tokens (made, used, revoked) and bot accounts."""

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members import personal_data
from members.models import Member
from members.services import member_create
from moderation.services import rules_accept_on_signup

from . import permissions as perms
from .models import ApiToken, BotAccount, Scope, token_hash

# What every token starts with: secret scanners and people recognise it.
TOKEN_PREFIX = "veche_"
# How many of its first characters are kept to tell tokens apart.
SHOWN_CHARACTERS = 14
# last_used_at is written at most this often per token (no write per request).
LAST_USED_PRECISION = timedelta(minutes=1)


def token_create(
    *, actor: Member, name: str, scopes: list[str], acting_as: Member | None = None
) -> tuple[ApiToken, str]:
    """Make a token; returns it with its secret, which is shown once and never stored."""
    acting_as = acting_as or actor
    scopes = [s for s in Scope.values if s in set(scopes)]  # known ones, in a stable order
    perms.check_can_create_token(actor, scopes=scopes, acting_as=acting_as)
    if acting_as.pk != actor.pk and not BotAccount.objects.filter(member=acting_as).exists():
        raise PermissionDenied(_("A token can act only as its owner or as a bot account."))
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the token a name."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(30)
    token = ApiToken.objects.create(
        member=acting_as,
        created_by=actor,
        name=name[:80],
        scopes=scopes,
        prefix=secret[:SHOWN_CHARACTERS],
        token_hash=token_hash(secret),
    )
    return token, secret


def token_revoke(*, actor: Member, token: ApiToken) -> ApiToken:
    """Revoked at once: the next request with it is refused (tokens are looked up in the
    database on every request, never cached)."""
    perms.check_can_revoke_token(actor, token)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_used(token: ApiToken) -> None:
    """Record the use of a token, at most once a minute (the row was read anyway)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


@transaction.atomic
def bot_create(*, actor: Member, username: str, display_name: str) -> Member:
    """A member account for an integration to post as, flagged as a bot. It has no password
    and no usable e-mail address: nobody logs in as it, only staff tokens act as it."""
    perms.check_can_manage_bots(actor)
    if Member.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("This username is taken."))
    member = member_create(
        username=username,
        email=f"{username.lower()}@bots.invalid",
        password=None,
        verified=False,
        display_name=display_name,
    )
    BotAccount.objects.create(member=member, created_by=actor)
    rules_accept_on_signup(member=member)  # the staff member who made it answers for it
    return member


# --- personal data (members.personal_data) --------------------------------------------------


def tokens_export(member: Member) -> list[dict]:
    """The member's tokens as "export my data" lists them (never the secret, only its start)."""
    return personal_data.rows(
        ApiToken.objects.filter(member=member).order_by("created_at", "id"),
        "name",
        "scopes",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    )


def tokens_erase(member: Member, remove_posts: bool) -> None:
    """A deleted account's tokens go, and those it made for bots; bots it made stay."""
    ApiToken.objects.filter(member=member).delete()
    ApiToken.objects.filter(created_by=member).delete()
    BotAccount.objects.filter(created_by=member).update(created_by=None)
    BotAccount.objects.filter(member=member).delete()
