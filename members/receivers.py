"""Everything members plugs into at start-up: the page cache's model signals (and the members
models it ignores) and the cache invalidation of the moderator flag. Connected once from
``MembersConfig.ready``."""

from typing import Any

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_save, pre_delete

from config.pagecache import connect_signals, ignore_changes_of

from .caching import versioned_forget
from .models import MODERATOR_FLAGS_VERSION_KEY, ActivityDay, Member, Notification, OutboundEmail


def forget_moderator_flags(**kwargs: Any) -> None:
    """A member joined or left a group, or a group was renamed or deleted: every cached
    moderator flag is stale, now and again when the change commits (members.caching)."""
    versioned_forget(MODERATOR_FLAGS_VERSION_KEY)


def forget_moderator_flag(sender: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        forget_moderator_flags()


def connect() -> None:
    connect_signals()
    # Rows no page shows: activity days, the e-mail outbox, notifications (the bell is personal).
    ignore_changes_of(ActivityDay, OutboundEmail, Notification)
    m2m_changed.connect(
        forget_moderator_flag,
        sender=Member.groups.through,
        dispatch_uid="members.forget_moderator_flag",
    )
    post_save.connect(
        forget_moderator_flags,
        sender=Group,
        dispatch_uid="members.forget_moderator_flags_of_saved_group",
    )
    pre_delete.connect(
        forget_moderator_flags,
        sender=Group,
        dispatch_uid="members.forget_moderator_flags_of_group",
    )
