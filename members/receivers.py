"""Everything members plugs into at start-up: the page cache's model signals (and the members
models it ignores) and the cache invalidation of the moderator flag. Connected once from
``MembersConfig.ready``."""

from typing import Any

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db.models.signals import m2m_changed, pre_delete

from config.pagecache import connect_signals, ignore_changes_of

from .models import ActivityDay, Member, Notification, OutboundEmail, moderator_cache_key


def _forget(ids: Any) -> None:
    cache.delete_many([moderator_cache_key(pk) for pk in ids])


def forget_moderator_flag(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set | None, **kwargs: Any
) -> None:
    if reverse:  # group.user_set changed: pk_set holds member ids
        if action == "pre_clear":  # afterwards the group's members are gone from the table
            _forget(Member.objects.filter(groups=instance).values_list("pk", flat=True))
        elif action in ("post_add", "post_remove"):
            _forget(pk_set or ())
    elif action.startswith("post_"):
        cache.delete(moderator_cache_key(instance.pk))


def forget_moderator_flags_of_group(sender: Any, instance: Group, **kwargs: Any) -> None:
    _forget(Member.objects.filter(groups=instance).values_list("pk", flat=True))


def connect() -> None:
    connect_signals()
    # Rows no page shows: activity days, the e-mail outbox, notifications (the bell is personal).
    ignore_changes_of(ActivityDay, OutboundEmail, Notification)
    m2m_changed.connect(
        forget_moderator_flag,
        sender=Member.groups.through,
        dispatch_uid="members.forget_moderator_flag",
    )
    pre_delete.connect(
        forget_moderator_flags_of_group,
        sender=Group,
        dispatch_uid="members.forget_moderator_flags_of_group",
    )
