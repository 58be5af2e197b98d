"""Watching tags and categories: setting a level, telling watchers of new posts, and the
record of what a member read of a question (the lists' unread markers)."""

from collections.abc import Iterable
from typing import cast

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Exists, Field, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from config.counters import counter_add
from config.db import Statement, counter_update, write_unflushed
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


def question_visit_record(*, question: Question, member: Member | None) -> None:
    """A view of the question page. A visitor's: the view count, in Redis until the next
    flush (config.counters). A member's: the view count and what they read (the lists' unread
    markers) in one transaction that does not wait for the disk and, on PostgreSQL, one round
    trip (config.db.write_unflushed): the read marker must be written now, and a Redis command
    besides would cost the page ~0.4 ms. Touches no cache scope."""
    if member is None:
        counter_add(Question, question.pk, "view_count")
        return
    write_unflushed(
        [
            counter_update(Question, question.pk, "view_count"),
            _question_read_upsert(member, question),
        ]
    )


def _question_read_upsert(member: Member, question: Question) -> Statement:
    """The member opened the question: their read marker (its answers count as read)."""
    quote = connection.ops.quote_name
    meta = QuestionRead._meta
    member_id, question_id, answers, read_at = (
        quote(cast(str, cast(Field, meta.get_field(name)).column))
        for name in ("member", "question", "answer_count", "read_at")
    )
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({member_id}, {question_id}, {answers}, {read_at}) "  # noqa: S608 - names from the model
        f"VALUES (%s, %s, %s, %s) ON CONFLICT ({member_id}, {question_id}) "
        f"DO UPDATE SET {answers} = EXCLUDED.{answers}, {read_at} = EXCLUDED.{read_at}"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    return sql, [member.pk, question.pk, question.answer_count, now]
