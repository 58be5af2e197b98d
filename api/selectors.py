"""Reads of the API app: tokens and bot accounts."""

from django.db.models import QuerySet

from members.models import Member

from .models import ApiToken, token_hash


def token_get_active(secret: str) -> ApiToken | None:
    """The unrevoked token with this secret, with the member it acts as (one query)."""
    return (
        ApiToken.objects.select_related("member")
        .filter(token_hash=token_hash(secret), revoked_at__isnull=True)
        .first()
    )


def token_list_for(member: Member) -> QuerySet[ApiToken]:
    """The tokens a member made, newest first, with the account each acts as."""
    return ApiToken.objects.filter(created_by=member).select_related("member")


def token_get_for(member: Member, pk: int) -> ApiToken:
    return ApiToken.objects.get(pk=pk, created_by=member)


def bot_list() -> QuerySet[Member]:
    return Member.objects.filter(bot_account__isnull=False, is_active=True).order_by("username")
