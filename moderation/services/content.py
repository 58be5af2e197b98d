"""Changing the moderation state of any registered content, without knowing the model."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from config.cache import scopes_of, touch

from ..content import ModerationState
from ..models import Flag, QueueItem
from ..registry import content_for


def content_author(target):
    entry = content_for(target)
    if entry is None:
        return getattr(target, "author", None)
    return entry.author(target)


def content_label(target) -> str:
    entry = content_for(target)
    return str(entry.label) if entry else target._meta.verbose_name


def content_title(target) -> str:
    entry = content_for(target)
    if entry and entry.excerpt:
        return entry.excerpt(target)
    for name in ("title", "name"):
        value = getattr(target, name, None)
        if value:
            return str(value)[:80]
    for name in ("body", "text"):
        value = getattr(target, name, None)
        if value:
            text = " ".join(str(value).split())
            return text[:79] + "…" if len(text) > 80 else text
    return str(target)[:80]


def content_url(target, _depth: int = 0) -> str:
    """Where a piece of content is shown: its own page, or its parent's (comments)."""
    getter = getattr(target, "get_absolute_url", None)
    if getter is not None:
        return getter()
    parent = getattr(target, "target", None)
    if parent is not None and _depth < 2:
        return content_url(parent, _depth + 1)
    return "/"


def content_set_state(target, state: str) -> str:
    """Set ``moderation_state`` and run the owning app's callback. Returns the old state.
    Models without a state (profiles) are left alone."""
    if not hasattr(target, "moderation_state"):
        return ""
    old = target.moderation_state
    if old == state:
        return old
    type(target)._base_manager.filter(pk=target.pk).update(moderation_state=state)
    touch(*scopes_of(target))  # hidden or approved content shows so at once, from a job too
    target.moderation_state = state
    entry = content_for(target)
    if entry is not None:
        if state == ModerationState.PUBLISHED:
            if old in (ModerationState.HELD, ModerationState.REJECTED):
                entry.publish(target)
            elif entry.on_restore:
                entry.on_restore(target)
        elif old == ModerationState.PUBLISHED and entry.on_hide:
            entry.on_hide(target)
    return old


def open_items_resolve(target, *, actor, resolution: str, queues=None) -> int:
    """Close the open queue items about ``target`` (after a direct hide/restore)."""
    qs = QueueItem.objects.filter(
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        resolved_at__isnull=True,
    )
    if queues is not None:
        qs = qs.filter(queue__in=queues)
    return qs.update(resolved_at=timezone.now(), resolved_by=actor, resolution=resolution)


def flags_resolve(target: Any, *, outcome: str) -> int:
    """Close the open flags on ``target`` with ``outcome`` (upheld or dismissed)."""
    return Flag.objects.filter(
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        outcome=Flag.Outcome.OPEN,
    ).update(outcome=outcome, resolved_at=timezone.now())
