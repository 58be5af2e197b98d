"""Watching tags and categories: setting a level, telling watchers of new posts, and the
record of what a member read of a question (the lists' unread markers)."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from members.watching import WatchLevel

from ..models import Answer, Category, Question, QuestionRead, Tag, TopicWatch
from .notifications import notify


def topic_watch_set(
    *, member: Member, level: str, tag: Tag | None = None, category: Category | None = None
) -> TopicWatch | None:
    """Set ``member``'s level for one tag or one category; the normal level deletes the row.
    Returns the row (None for normal)."""
    if not getattr(member, "is_authenticated", False):
        raise PermissionDenied(_("Please log in to watch."))
    if (tag is None) == (category is None):
        raise ValueError("one tag or one category")
    if level not in WatchLevel.values:
        raise ValueError(f"unknown level {level!r}")
    target = {"tag": tag} if tag is not None else {"category": category}
    with transaction.atomic():
        if level == WatchLevel.NORMAL:
            TopicWatch.objects.filter(member=member, **target).delete()
            return None
        watch, _created = TopicWatch.objects.update_or_create(
            member=member, **target, defaults={"level": level, "updated_at": timezone.now()}
        )
    return watch


def watchers_of(question: Question) -> list[Member]:
    """Active members watching one of the question's tags or its category, unless they
    muted another of them (muted wins), in one query."""
    on_topic = Q(tag__questions=question) | Q(category_id=question.category_id)
    watching = TopicWatch.objects.filter(on_topic, member=OuterRef("pk"), level=WatchLevel.WATCHING)
    muted = TopicWatch.objects.filter(on_topic, member=OuterRef("pk"), level=WatchLevel.MUTED)
    return list(
        Member.objects.filter(Exists(watching), is_active=True, banned_at__isnull=True).exclude(
            Exists(muted)
        )
    )


def _notify_watchers(
    *,
    kind: str,
    post: Question | Answer,
    question: Question,
    url: str,
    already: Iterable[int | None],
) -> None:
    """One notification per post per watcher, however many of its topics they watch; not to
    its author nor to those already told of it (followers, mentioned members). Published
    posts only reach here (``*_on_publish``); ``notify`` drops members who may not see a
    private category."""
    skip = {pk for pk in already if pk} | {post.author_id}
    recipients = [m for m in watchers_of(question) if m.pk not in skip]
    if recipients:
        notify(
            recipients=recipients,
            kind=kind,
            actor=post.author,
            question=question,
            url=url,
            target=post,
        )


def question_watchers_notify(question: Question, *, already: Iterable[int | None] = ()) -> None:
    _notify_watchers(
        kind="watched_question",
        post=question,
        question=question,
        url=question.get_absolute_url(),
        already=already,
    )


def answer_watchers_notify(answer: Answer, *, already: Iterable[int | None] = ()) -> None:
    _notify_watchers(
        kind="watched_answer",
        post=answer,
        question=answer.question,
        url=answer.get_absolute_url(),
        already=already,
    )


def question_read_record(*, member: Member, question: Question) -> None:
    """The member opened the question: one upsert (its answers count as read). Touches no
    cache scope: nothing shared shows it."""
    QuestionRead.objects.bulk_create(
        [
            QuestionRead(
                member_id=member.pk,
                question_id=question.pk,
                answer_count=question.answer_count,
                read_at=timezone.now(),
            )
        ],
        update_conflicts=True,
        unique_fields=["member", "question"],
        update_fields=["answer_count", "read_at"],
    )
