"""Notification kinds of the moderation app (registered by ``moderation.receivers``)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.notifications import register_kind

from .models import AuditLogEntry

KINDS = {
    "moderation_approved": (
        _("My held posts are approved"),
        _("Your %(what)s “%(title)s” was approved and is now visible."),
    ),
    "moderation_rejected": (
        _("My posts are rejected or hidden by a moderator"),
        _("Your %(what)s “%(title)s” was rejected under rule %(rule)s. %(message)s"),
    ),
    "moderation_hidden": (
        _("My posts are hidden"),
        _("Your %(what)s “%(title)s” was hidden under rule %(rule)s. %(message)s"),
    ),
    "moderation_restored": (
        _("My posts are restored"),
        _("Your %(what)s “%(title)s” is visible again."),
    ),
    "moderation_warned": (
        _("Moderator warnings"),
        _("A moderator warned you under rule %(rule)s. %(message)s"),
    ),
    "moderation_silenced": (
        _("Sanctions on my account"),
        _("You cannot post until %(until)s (rule %(rule)s). %(message)s"),
    ),
    "moderation_suspended": (
        _("Suspensions of my account"),
        _("Your account is suspended until %(until)s (rule %(rule)s). %(message)s"),
    ),
    "moderation_banned": (
        _("Bans of my account"),
        _("Your account is banned (rule %(rule)s). %(message)s"),
    ),
    "moderation_lifted": (
        _("Sanctions lifted"),
        _("A sanction on your account was lifted. %(message)s"),
    ),
    "moderation_appeal_granted": (
        _("My appeals are decided"),
        _("Your appeal was granted. %(message)s"),
    ),
    "moderation_appeal_denied": (
        _("My appeals are denied"),
        _("Your appeal was denied. %(message)s"),
    ),
}


def register() -> None:
    for key, (label, message) in KINDS.items():
        # The decisions about a member's own post reach them even though it is hidden.
        register_kind(key, label=label, message=message, group="moderation", about_own_post=True)


def appeal_url(entry: AuditLogEntry) -> str:
    return reverse("moderation:appeal", kwargs={"entry_id": entry.pk})
