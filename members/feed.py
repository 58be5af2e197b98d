"""The feed of the members one follows: each app that owns posts registers a source that
gives the latest posts of some authors the viewer may see (its visibility rule), newest
first, in one query. ``members.selectors.member_feed`` merges them."""

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypedDict


class FeedItem(TypedDict):
    kind: str  # "question", "answer", "idea": the template words it
    title: str
    url: str
    author_id: int | None  # None: the author's account was deleted
    created_at: datetime


# (viewer, author ids, before or None, limit) -> items, newest first
FeedSource = Callable[[Any, list[int], datetime | None, int], list[FeedItem]]
FEED_SOURCES: list[FeedSource] = []


def register_feed_source(source: FeedSource) -> None:
    FEED_SOURCES.append(source)
