"""Who may make which tokens, and what a request through the API may do.

What a member may see or do through the API is decided by the apps' own permission
functions (``forum.permissions``, ``ideas.permissions``, ``moderation.permissions``), exactly
as on the pages. This module adds only what is the API's own: token scopes."""

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from members.models import Member

from .models import ApiToken, Scope

if TYPE_CHECKING:
    from typing_extensions import TypeIs

Viewer = Member | AnonymousUser | None


class NotAuthenticated(Exception):
    """The endpoint needs a member (a 401 with the message)."""


def _member(viewer: Viewer) -> "TypeIs[Member]":
    return bool(viewer is not None and getattr(viewer, "is_authenticated", False))


def scopes_allowed_for(member: Viewer) -> list[str]:
    """The scopes a member may give their own tokens: moderate for moderators, admin for
    staff."""
    if not _member(member):
        return []
    allowed = [Scope.READ.value, Scope.WRITE.value]
    if member.is_moderator:
        allowed.append(Scope.MODERATE.value)
    if member.is_staff:
        allowed.append(Scope.ADMIN.value)
    return allowed


def can_manage_tokens(member: Viewer) -> bool:
    return _member(member) and not member.is_banned


def check_can_create_token(member: Member, *, scopes: list[str], acting_as: Member) -> None:
    if not can_manage_tokens(member):
        raise PermissionDenied(_("Please log in to make API tokens."))
    if not scopes:
        raise PermissionDenied(_("Choose at least one scope."))
    refused = set(scopes) - set(scopes_allowed_for(member))
    if refused:
        raise PermissionDenied(
            _("You cannot give a token these scopes: %(scopes)s.")
            % {"scopes": ", ".join(sorted(refused))}
        )
    if acting_as.pk != member.pk and not can_act_for_community(member):
        raise PermissionDenied(_("Only staff can make tokens that act as a bot."))


def can_act_for_community(member: Viewer) -> bool:
    """Staff tokens may act as a bot account (a support integration's named member)."""
    return _member(member) and member.is_staff


def check_can_manage_bots(member: Viewer) -> None:
    if not can_act_for_community(member):
        raise PermissionDenied(_("Only staff can manage bot accounts."))


def check_can_revoke_token(member: Viewer, token: ApiToken) -> None:
    if not _member(member):
        raise PermissionDenied(_("Please log in."))
    if token.created_by_id != member.pk and not member.is_staff:
        raise PermissionDenied(_("This is not your token."))


def request_token(request: HttpRequest) -> ApiToken | None:
    """The token a request came with (``api.middleware`` set it), or None (the site's
    session, or nobody)."""
    return getattr(request, "api_token", None)


def check_scope(request: HttpRequest, scope: str) -> None:
    """A request through a token needs the token to carry ``scope``; a request with the
    site's session has the member's own rights (the site's own scripts)."""
    token = request_token(request)
    if token is not None and scope not in token.scopes:
        raise PermissionDenied(
            _("This token lacks the %(scope)s scope.") % {"scope": Scope(scope).label}
        )


def check_member(request: HttpRequest, scope: str) -> Member:
    """The member a writing request acts as (401 without one), with the scope checked."""
    user = request.user
    if not _member(user):
        raise NotAuthenticated(
            _("Log in, or send a personal API token in the Authorization header.")
        )
    check_scope(request, scope)
    return user
