"""Registries through which other apps plug into moderation.

- ``register_content(model, label=..., on_publish=..., author_field="author")``: a content
  model that can be flagged and held, registered once, by the app that owns the model (a
  second registration of the same model raises). ``on_publish(obj)`` runs (inside the
  approving transaction) when a held item is approved, so the owning app can update counters
  and send its notifications. ``author_field=None`` means the object *is* the member
  (profiles).
- ``register_on_publish(model, callback)``: another app's extra ``on_publish`` for a model
  registered by its owner (a higher app that hangs its own content on a shared model, such as
  comments on ideas). Extras run after the owner's callback, in registration order, each
  deciding for itself whether the object concerns it.
  Optional: ``moderator_links(obj) -> [(label, url), …]`` for the content app's own
  moderator views (edit, lock, move, close as duplicate) shown by the moderator actions
  (``moderation_controls``); it must not query. ``on_hide(obj)`` / ``on_restore(obj)`` run
  when a moderator hides or restores the item (counters). ``excerpt(obj) -> str`` for the inbox.
- ``register_queue(key, label=..., target_age=..., on_approve=..., on_reject=...)``: a queue
  of the moderation inbox whose items are ``QueueItem`` rows; other apps (ambassador
  applications, suspicious referrals) add items with ``moderation.services.queue_item_add``
  and get called back when a moderator decides. Callbacks: ``(item, moderator, message)``;
  the inbox has already resolved the item. If the callback's service writes an audit row,
  that is the decision's one row; otherwise the inbox writes an "approve"/"reject" row.
- ``register_audit_revert(url)``: ``url(entry) -> str | None``, where a staff member reverts
  what an audit log entry records (the forum: an edit, a retag, a close); the log links it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass
class ContentType_:
    model: Any
    label: str
    on_publish: Callable | None = None
    author_field: str | None = "author"
    moderator_links: Callable | None = None
    on_hide: Callable | None = None
    on_restore: Callable | None = None
    excerpt: Callable | None = None
    select_related: tuple = ()
    extra_on_publish: list[Callable] = field(default_factory=list)
    visible_to: Callable[[Any], Any] | None = None
    # Counted as one of the author's posts (trust levels, a new member's first posts held,
    # the demo's flags); private messages are not.
    counts_as_post: bool = True

    def is_visible_to(self, viewer: Any, obj: Any) -> bool:
        """The owning app's visibility rule (``visible_to(viewer)``, a queryset) decides
        whether ``viewer`` may see ``obj`` at all; models without one are visible."""
        if self.visible_to is None:
            return True
        return bool(self.visible_to(viewer).filter(pk=obj.pk).exists())

    def publish(self, obj) -> None:
        """Run the owner's ``on_publish``, then the other apps' extras."""
        if self.on_publish is not None:
            self.on_publish(obj)
        for callback in self.extra_on_publish:
            callback(obj)

    def author_id(self, obj) -> int | None:
        """The author's id without a query."""
        if self.author_field is None:
            return obj.pk
        return getattr(obj, f"{self.author_field}_id", None)

    def author(self, obj):
        if self.author_field is None:
            return obj
        return getattr(obj, self.author_field, None)


@dataclass
class Queue:
    key: str
    label: str
    target_age: timedelta = timedelta(hours=24)
    on_approve: Callable | None = None
    on_reject: Callable | None = None
    order: int = 50
    extra: dict = field(default_factory=dict)


CONTENT: dict[str, ContentType_] = {}
QUEUES: dict[str, Queue] = {}


def register_content(
    model,
    *,
    label,
    on_publish=None,
    author_field: str | None = "author",
    moderator_links: Callable | None = None,
    on_hide: Callable | None = None,
    on_restore: Callable | None = None,
    excerpt: Callable | None = None,
    select_related: tuple = (),
    visible_to: Callable[[Any], Any] | None = None,
    counts_as_post: bool = True,
) -> None:
    """``select_related``: relations that ``get_absolute_url``, ``excerpt`` or
    ``moderator_links`` follow, joined when the inbox fetches targets in bulk.
    ``visible_to(viewer)``: the owner's queryset of what a viewer may see; members can only
    flag what it holds (a hidden object and a missing one give the same 404).
    ``counts_as_post=False``: not one of the author's posts for the trust levels and the
    new-member screening (private messages).

    A model is registered once, by its owner; registering it again with other callbacks
    raises (it would silently drop the first registration's). Registering the very same
    callbacks again (a ``ready()`` run twice) changes nothing."""
    key = model._meta.label_lower
    entry = ContentType_(
        model,
        label,
        on_publish,
        author_field,
        moderator_links,
        on_hide,
        on_restore,
        excerpt,
        tuple(select_related),
        visible_to=visible_to,
        counts_as_post=counts_as_post,
    )
    existing = CONTENT.get(key)
    if existing is not None:
        if (existing.on_publish, existing.on_hide, existing.on_restore) != (
            on_publish,
            on_hide,
            on_restore,
        ):
            raise ImproperlyConfigured(
                f"{key} is already registered with moderation; another app adds its own "
                "on_publish with register_on_publish()."
            )
        entry.extra_on_publish = existing.extra_on_publish
    CONTENT[key] = entry


def register_on_publish(model, callback: Callable) -> None:
    """Add ``callback`` to what runs when a held ``model`` object is approved, after the
    owner's ``on_publish``. The owner registers the model first (apps are ready in
    ``INSTALLED_APPS`` order, lower layers first); adding the same callback again does
    nothing."""
    entry = CONTENT.get(model._meta.label_lower)
    if entry is None:
        raise ImproperlyConfigured(
            f"{model._meta.label_lower} is not registered with moderation; its owning app "
            "calls register_content() first."
        )
    if callback not in entry.extra_on_publish:
        entry.extra_on_publish.append(callback)


def register_queue(
    key: str,
    *,
    label,
    target_age: timedelta = timedelta(hours=24),
    on_approve=None,
    on_reject=None,
    order: int = 50,
) -> None:
    QUEUES[key] = Queue(key, label, target_age, on_approve, on_reject, order)


def content_for(obj) -> ContentType_ | None:
    return CONTENT.get(obj._meta.label_lower)


def queues_ordered() -> list[Queue]:
    return sorted(QUEUES.values(), key=lambda q: (q.order, q.key))


def queue_target_age(queue: Queue) -> timedelta:
    """How long an item may wait in ``queue`` before it is overdue (the inbox shows it; the
    overdue sweep announces it): ``VECHE_QUEUE_TARGET_HOURS`` overrides the registered age."""
    hours = settings.VECHE_QUEUE_TARGET_HOURS.get(queue.key)
    return timedelta(hours=hours) if hours is not None else queue.target_age


AUDIT_REVERTS: list[Callable[[Any], str | None]] = []


def register_audit_revert(url: Callable[[Any], str | None]) -> None:
    if url not in AUDIT_REVERTS:
        AUDIT_REVERTS.append(url)


def audit_revert_url(entry: Any) -> str | None:
    """Where the entry's action is undone, if an app offers it."""
    for url in AUDIT_REVERTS:
        found = url(entry)
        if found:
            return found
    return None
