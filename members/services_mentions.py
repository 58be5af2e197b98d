"""@mentions: telling the members a post names, once per post, only those who may read it, and
no more than the rate limits allow (docs/mentions.md).

The apps that own posts call ``mentions_notify`` when a post is published and when a published
post is edited, with the post's rule of visibility (``visible_to(viewer)``, the queryset of
what the viewer may read). A ``Mention`` row is kept for each member told: an edit that keeps a
mention tells nobody again, and the rows are the rate limits' count.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Q
from django.utils import timezone

from config.markdown import mentioned_names

from .models import Member, Mention
from .selectors import member_list_mentioned
from .services import notification_send

MENTION_KIND = "mention"

VisibleTo = Callable[[Any], models.QuerySet]


def mention_quota(*, author: Member, post_type: ContentType, post_id: int) -> int:
    """How many more members ``author`` may notify by mentions in this post now: the
    per-post limit less those already told of it, and the hourly limit less those told in the
    last hour (one query)."""
    since = timezone.now() - timedelta(hours=1)
    counts = Mention.objects.filter(author=author).aggregate(
        in_post=Count("pk", filter=Q(post_type=post_type, post_id=post_id)),
        last_hour=Count("pk", filter=Q(created_at__gte=since)),
    )
    per_post = settings.VECHE_MENTIONS_PER_POST - counts["in_post"]
    per_hour = settings.VECHE_MENTIONS_PER_HOUR - counts["last_hour"]
    return max(0, min(per_post, per_hour))


def mentions_notify(
    *,
    post: models.Model,
    author: Member | None,
    source: str,
    visible_to: VisibleTo,
    title: str,
    url: str,
) -> list[Member]:
    """Tell each member ``source`` newly mentions, in order of appearance, who may read
    ``post``: not its author, not a member told of this post before, not more than the rate
    limits allow (the rest are links only). Returns those told.

    Call it with a published post only: a held post is no one's to read yet; it is called
    again when the post is published."""
    if author is None:
        return []
    names = mentioned_names(source)
    if not names:
        return []
    post_type = ContentType.objects.get_for_model(post)
    already = set(
        Mention.objects.filter(post_type=post_type, post_id=post.pk).values_list(
            "member_id", flat=True
        )
    )
    candidates = [
        member
        for member in member_list_mentioned(names, exclude_ids=[author.pk])
        if member.pk not in already
    ]
    if not candidates:
        return []
    quota = mention_quota(author=author, post_type=post_type, post_id=post.pk)
    told: list[Member] = []
    for member in candidates:
        if len(told) >= quota:
            break
        # The one rule of visibility of the post's app, asked as that member.
        if visible_to(member).filter(pk=post.pk).exists():
            told.append(member)
    if not told:
        return []
    now = timezone.now()
    try:
        with transaction.atomic():
            Mention.objects.bulk_create(
                [
                    Mention(
                        author=author,
                        member=member,
                        post_type=post_type,
                        post_id=post.pk,
                        created_at=now,
                    )
                    for member in told
                ]
            )
    except IntegrityError:
        # A concurrent save of the same post recorded (and told) one of them first.
        return []
    notification_send(
        recipients=told,
        kind=MENTION_KIND,
        actor=author,
        params={"title": title},
        url=url,
        target=post,
    )
    return told
