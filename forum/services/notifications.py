"""Who is told about a Q&A post: the question's followers and the members it @mentions."""

import re
from collections.abc import Iterable

from members.models import Member
from members.services import notification_send

from ..models import Question
from ..permissions import questions as perms
from .common import Post, content_type

_MENTION_RE = re.compile(r"(?<![\w@])@([\w.+-]{2,150})")


def members_mentioned(body: str, *, exclude: Iterable[int | None] = ()) -> list[Member]:
    """Active members named as ``@username`` in ``body`` (at most 20 names are looked up)."""
    names = {m.group(1).rstrip(".") for m in _MENTION_RE.finditer(body or "")}
    if not names:
        return []
    return list(
        Member.objects.filter(username__in=list(names)[:20], is_active=True).exclude(
            pk__in=[pk for pk in exclude if pk]
        )
    )


def question_followers(question: Question) -> list[Member]:
    return list(
        Member.objects.filter(
            follows__target_type=content_type(Question),
            follows__target_id=question.pk,
            is_active=True,
        )
    )


def notify(
    *,
    recipients: Iterable[Member],
    kind: str,
    actor: Member | None,
    question: Question,
    url: str,
    target: Post,
) -> None:
    if question.category.ambassadors_only:
        # Neither a mention nor an old follow may show a private question's title to a
        # member who may not enter its category (any more).
        recipients = [m for m in recipients if perms.can_see_private_categories(m)]
    notification_send(
        recipients=recipients,
        kind=kind,
        actor=actor,
        params={"title": question.title},
        url=url,
        target=target,
    )


def notify_mentioned(*, post: Post, question: Question, url: str) -> list[Member]:
    """Tell the members ``post`` mentions (not its author); returns them."""
    mentioned = members_mentioned(post.body, exclude=[post.author_id])
    if mentioned:
        notify(
            recipients=mentioned,
            kind="mention",
            actor=post.author,
            question=question,
            url=url,
            target=post,
        )
    return mentioned
