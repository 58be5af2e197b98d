"""Watching: a member's level for a topic (a forum tag or category, an idea status).

The levels are the same everywhere, so they live here; each content app stores the levels
for its own topics (``forum.TopicWatch`` for tags and categories, ``ideas.StatusWatch`` for
idea statuses) and acts on them (notifications, muted lists, unread markers). So that the
member's settings page can list every level without importing those apps, each registers
a source, in its receivers, with ``register_watch_source(load)``: ``load(member)`` gives the
member's levels for its topics, in one query.

- ``watching``: a notification (and e-mail, by the kind's preference) for every new post;
- ``tracking``: no notification, but counts of new answers and "new" markers on the lists;
- ``normal`` (no row): notified only of what is addressed to the member;
- ``muted``: the topic's questions leave the member's question lists.
"""

from collections.abc import Callable
from typing import Any, TypedDict

from django.db import models
from django.utils.translation import gettext_lazy as _


class WatchLevel(models.TextChoices):
    WATCHING = "watching", _("Watching")
    TRACKING = "tracking", _("Tracking")
    NORMAL = "normal", _("Normal")
    MUTED = "muted", _("Muted")


# Levels that mark new posts on the lists.
MARKED_LEVELS = (WatchLevel.WATCHING, WatchLevel.TRACKING)


class WatchedTopic(TypedDict):
    kind: str  # "tag", "category", "idea status": shown as the row's kind
    name: str
    url: str  # the topic's page, where its level is changed
    level: str


WatchSource = Callable[[Any], list[WatchedTopic]]
WATCH_SOURCES: list[WatchSource] = []


def register_watch_source(source: WatchSource) -> None:
    if source not in WATCH_SOURCES:
        WATCH_SOURCES.append(source)


def watched_topics(member: Any) -> list[WatchedTopic]:
    """The member's levels other than normal, from every app (one query per source)."""
    return [topic for source in WATCH_SOURCES for topic in source(member)]
