"""Reads for watching: a member's levels, muted topics left out of their lists, and the
unread markers of a list page."""

from django.db.models import Exists, OuterRef, QuerySet, Subquery, Value

from config.cache import remember
from config.db import CompiledRead, padded_ids
from members.models import Member
from members.watching import MARKED_LEVELS, WatchedTopic, WatchLevel

from ..models import Category, Question, QuestionRead, Tag, TopicWatch
from ..permissions.questions import Viewer, can_see_private_categories, is_forum_moderator


def _member(viewer: Viewer) -> Member | None:
    return viewer if viewer is not None and getattr(viewer, "is_authenticated", False) else None  # type: ignore[return-value]


def watch_scope(member_id: int) -> str:
    """The cache scope of one member's levels: the totals of their lists depend on it."""
    return f"watches:{member_id}"


def watch_levels_entry(member_id: int) -> tuple[str, tuple[str, ...]]:
    return f"veche:watch-levels:{member_id}", (watch_scope(member_id),)


def _levels_of(member: Member) -> frozenset[str]:
    """The levels the member set on any tag or category, kept under their ``watch_scope``
    (a save or delete of their rows touches it): most members set none, and their lists then
    compile no condition for them."""
    levels = member.__dict__.get("_watch_levels")  # a list page asks twice: one round trip
    if levels is None:
        levels = member.__dict__["_watch_levels"] = remember(
            *watch_levels_entry(member.pk),
            lambda: frozenset(
                TopicWatch.objects.filter(member=member).values_list("level", flat=True)
            ),
            600,
        )
    return levels


def question_list_unmuted(qs: QuerySet[Question], viewer: Viewer) -> QuerySet[Question]:
    """Leave out the questions in a tag or category the member muted: a condition of the
    list's own query, no query more."""
    member = _member(viewer)
    if member is None or not has_muted(member):
        return qs
    return qs.filter(
        ~Exists(_in_category(member, [WatchLevel.MUTED])),
        ~Exists(_tagged(member, [WatchLevel.MUTED])),
    )


def _in_category(member: Member | int, levels: list[str]) -> QuerySet[TopicWatch]:
    """The member's level rows of the outer question's category."""
    return TopicWatch.objects.filter(
        member=member, level__in=levels, category_id=OuterRef("category_id")
    )


def _tagged(member: Member | int, levels: list[str]) -> QuerySet:
    """The outer question's tags the member set one of ``levels`` on. Two conditions, each on
    its own index (a question's tags; the member's rows): one condition with OR through the
    tags walked every question-tag row for each question (0.5 s on 100,000 questions)."""
    return Question.tags.through.objects.filter(
        question_id=OuterRef("pk"),
        tag_id__in=TopicWatch.objects.filter(
            member=member, level__in=levels, tag__isnull=False
        ).values("tag_id"),
    )


def topic_level(viewer: Viewer, *, tag: Tag | None = None, category: Category | None = None) -> str:
    """The member's level for a tag or a category (one query; normal for visitors and for a
    member who set no level anywhere, known from the cache)."""
    member = _member(viewer)
    if member is None or not _levels_of(member):
        return WatchLevel.NORMAL
    target = {"tag": tag} if tag is not None else {"category": category}
    level = TopicWatch.objects.filter(member=member, **target).values_list("level", flat=True)
    return next(iter(level), WatchLevel.NORMAL)


# A list page's markers are one read compiled once per process (config.db.CompiledRead), one
# for members with tracked or watched topics and one for the others: building and compiling
# the query through the ORM cost ~0.9 ms of the 1.4 ms a member's list page spent on it. Its
# ids are padded to ``UNREAD_ROWS`` (config.db.padded_ids).
UNREAD_ROWS = 20  # a list page's rows (forum.views.questions.PAGE_SIZE)


def _unread_rows(member_id: int, ids: tuple[int, ...], marked: bool) -> QuerySet[Question]:
    read = QuestionRead.objects.filter(member_id=member_id, question=OuterRef("pk"))
    levels = [level.value for level in MARKED_LEVELS]
    return (
        Question.objects.filter(pk__in=ids)
        .annotate(
            read_answers=Subquery(read.values("answer_count")[:1]),
            marked=Exists(_in_category(member_id, levels)) | Exists(_tagged(member_id, levels))
            if marked
            else Value(False),
        )
        .only("id", "answer_count")
        .order_by()  # a dict of the rows: no sort
    )


_UNREAD = {
    marked: CompiledRead(Question, lambda me, *ids, marked=marked: _unread_rows(me, ids, marked))
    for marked in (False, True)
}


def unread_markers(viewer: Viewer, ids: list[int]) -> dict[int, int]:
    """For a list page's rows (their ids), in one query (none for visitors): question id →
    answers posted since the member last opened it (when there are), or 0 for a question they
    never opened in a tag or category they track or watch ("new")."""
    member = _member(viewer)
    if member is None or not ids:
        return {}
    read = _UNREAD[bool(_levels_of(member) & set(MARKED_LEVELS))]
    shown = list(dict.fromkeys(ids))
    markers: dict[int, int] = {}
    for start in range(0, len(shown), UNREAD_ROWS):
        chunk = shown[start : start + UNREAD_ROWS]
        for row in read(member.pk, *padded_ids(chunk, UNREAD_ROWS)):
            answers, read_answers = row.answer_count, row.read_answers  # type: ignore[attr-defined]
            if read_answers is not None:
                if answers > read_answers:
                    markers[row.pk] = answers - read_answers
            elif row.marked:  # type: ignore[attr-defined]
                markers[row.pk] = 0
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


def sees_visitors_lists(viewer: Viewer) -> bool:
    """Whether the viewer's question lists are the visitors' (a member's own questions
    awaiting approval aside): a visitor, or a member who is no moderator, sees no ambassadors'
    categories and muted nothing. Such members share the visitors' list totals, rows and home
    blocks (docs/caching.md)."""
    member = _member(viewer)
    return member is None or not (
        is_forum_moderator(member) or can_see_private_categories(member) or has_muted(member)
    )


def has_muted(viewer: Viewer) -> bool:
    """Whether the member muted a tag or category (their lists then leave questions out)."""
    member = _member(viewer)
    return member is not None and WatchLevel.MUTED in _levels_of(member)
