"""Who is told about a Q&A post: the question's followers and the members it @mentions."""

from collections.abc import Iterable

from members.models import Member
from members.services import notification_send
from members.services_mentions import mentions_notify
from uploads.registry import post_kind_of

from ..models import Question
from ..permissions import questions as perms
from .common import Post, content_type


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
    """Tell the members ``post`` newly mentions who may read it (members.services_mentions:
    not its author, once per post, within the rate limits); returns them. For published posts
    only (on publishing, and on an edit of a published post)."""
    kind = post_kind_of(type(post))
    if kind is None or not post.is_published or post.deleted_at is not None:
        return []
    return mentions_notify(
        post=post,
        author=post.author,
        source=post.body,
        visible_to=kind.visible_to,
        title=question.title,
        url=url,
    )
