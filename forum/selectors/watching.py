"""Reads for watching: a member's levels, muted topics left out of their lists, and the
unread markers of a list page."""

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from members.models import Member
from members.watching import MARKED_LEVELS, WatchedTopic, WatchLevel

from ..models import Category, Question, QuestionRead, Tag, TopicWatch
from ..permissions.questions import Viewer


def _member(viewer: Viewer) -> Member | None:
    return viewer if viewer is not None and getattr(viewer, "is_authenticated", False) else None  # type: ignore[return-value]


def watch_scope(member_id: int) -> str:
    """The cache scope of one member's levels: the totals of their lists depend on it."""
    return f"watches:{member_id}"


def question_list_unmuted(qs: QuerySet[Question], viewer: Viewer) -> QuerySet[Question]:
    """Leave out the questions in a tag or category the member muted: a condition of the
    list's own query, no query more."""
    member = _member(viewer)
    if member is None:
        return qs
    muted = TopicWatch.objects.filter(member=member, level=WatchLevel.MUTED).filter(
        Q(category_id=OuterRef("category_id")) | Q(tag__questions=OuterRef("pk"))
    )
    return qs.exclude(Exists(muted))


def topic_level(viewer: Viewer, *, tag: Tag | None = None, category: Category | None = None) -> str:
    """The member's level for a tag or a category (one query; normal for visitors)."""
    member = _member(viewer)
    if member is None:
        return WatchLevel.NORMAL
    target = {"tag": tag} if tag is not None else {"category": category}
    level = TopicWatch.objects.filter(member=member, **target).values_list("level", flat=True)
    return next(iter(level), WatchLevel.NORMAL)


def unread_markers(viewer: Viewer, rows: list[Question]) -> dict[int, int]:
    """For a list page's rows, in one query (none for visitors): question id → answers posted
    since the member last opened it (when there are), or 0 for a question they never opened
    in a tag or category they track or watch ("new")."""
    member = _member(viewer)
    if member is None or not rows:
        return {}
    read = QuestionRead.objects.filter(member=member, question=OuterRef("pk"))
    marked = TopicWatch.objects.filter(member=member, level__in=MARKED_LEVELS).filter(
        Q(category_id=OuterRef("category_id")) | Q(tag__questions=OuterRef("pk"))
    )
    found = (
        Question.objects.filter(pk__in=[q.pk for q in rows])
        .annotate(
            read_answers=Subquery(read.values("answer_count")[:1]),
            marked=Exists(marked),
        )
        .values_list("pk", "answer_count", "read_answers", "marked")
    )
    markers: dict[int, int] = {}
    for pk, answers, read_answers, is_marked in found:
        if read_answers is not None:
            if answers > read_answers:
                markers[pk] = answers - read_answers
        elif is_marked:
            markers[pk] = 0
    return markers


def topic_watches_of(member: Member) -> list[WatchedTopic]:
    """The member's levels for tags and categories, for their settings page (one query)."""
    rows = (
        TopicWatch.objects.filter(member=member)
        .select_related("tag", "category")
        .order_by("category__name", "tag__name")
    )
    return [
        WatchedTopic(
            kind="category" if row.category is not None else "tag",
            name=str(row.category or row.tag),
            url=(row.category or row.tag).get_absolute_url(),  # type: ignore[union-attr]
            level=row.level,
        )
        for row in rows
    ]
