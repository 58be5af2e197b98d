"""Reads of the idea board: shaped querysets with a stable order and no per-row queries."""

import re
from collections.abc import Iterable
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from forum.models import Comment, Follow, Question
from members.feed import FeedItem
from members.models import Bookmark, Member
from members.summary import SummaryItem
from members.watching import MARKED_LEVELS, WatchedTopic, WatchLevel
from moderation.content import ModerationState
from moderation.models import QueueItem
from search.excerpts import excerpt_html, headline_html
from search.ranking import fallback_filter, fallback_rank, pg_ranked
from search.sources import Ranked, SearchHit
from search.vectors import is_postgres

from .models import (
    Idea,
    IdeaQuestionLink,
    IdeaStatus,
    IdeaStatusChange,
    IdeaVote,
    StatusWatch,
)
from .permissions import (
    Viewer,
    can_vote_idea,
    ideas_listed_for,
    ideas_visible_to,
    sees_ambassador_space,
)

SORTS = ("top", "trending", "newest")

_STOP_WORDS = {
    "the",
    "and",
    "for",
    "with",
    "that",
    "this",
    "from",
    "into",
    "have",
    "add",
    "allow",
    "make",
    "please",
    "should",
    "would",
    "could",
    "when",
    "able",
    "more",
    "some",
    "feature",
    "option",
    "как",
    "для",
    "что",
    "это",
    "при",
    "или",
    "чтобы",
    "нужно",
    "можно",
    "добавить",
}


def _with_author(qs: QuerySet[Idea]) -> QuerySet[Idea]:
    return qs.select_related("author", "category")


def idea_list(viewer: Viewer, *, sort: str = "top") -> QuerySet[Idea]:
    """Listed ideas in one of the orders of ``idea_order``."""
    return idea_order(_with_author(ideas_listed_for(viewer)), sort)


def idea_order(qs: QuerySet[Idea], sort: str) -> QuerySet[Idea]:
    """``top`` (votes), ``trending`` (votes in the last ``TRENDING_DAYS`` days, kept in
    ``recent_vote_count``, then total votes) or ``newest``; ties broken by id."""
    if sort == "trending":
        return qs.order_by("-recent_vote_count", "-vote_count", "-id")
    if sort == "newest":
        return qs.order_by("-created_at", "-id")
    return qs.order_by("-vote_count", "-id")


def idea_list_top(viewer: Viewer, *, limit: int = 5) -> list[Idea]:
    return list(idea_list(viewer, sort="top").exclude(status__in=["shipped", "declined"])[:limit])


def idea_list_trending(viewer: Viewer, *, limit: int = 5) -> list[Idea]:
    return list(idea_list(viewer, sort="trending").filter(recent_vote_count__gt=0)[:limit])


def idea_list_roadmap(viewer: Viewer, *, per_column: int = 30) -> dict[IdeaStatus, list[Idea]]:
    """Three columns: planned and in progress by votes, shipped newest first."""
    base = _with_author(ideas_listed_for(viewer))
    return {
        IdeaStatus.PLANNED: list(
            base.filter(status=IdeaStatus.PLANNED).order_by("-vote_count", "-id")[:per_column]
        ),
        IdeaStatus.IN_PROGRESS: list(
            base.filter(status=IdeaStatus.IN_PROGRESS).order_by("-vote_count", "-id")[:per_column]
        ),
        IdeaStatus.SHIPPED: list(
            base.filter(status=IdeaStatus.SHIPPED).order_by("-status_changed_at", "-id")[
                :per_column
            ]
        ),
    }


def idea_list_shipped(viewer: Viewer) -> QuerySet[Idea]:
    """The changelog: shipped ideas, newest first, each with the note it shipped with."""
    note = IdeaStatusChange.objects.filter(
        idea=OuterRef("pk"), to_status=IdeaStatus.SHIPPED
    ).order_by("-at", "-id")
    return (
        _with_author(ideas_listed_for(viewer))
        .filter(status=IdeaStatus.SHIPPED)
        .annotate(ship_note_html=Subquery(note.values("note_html")[:1]))
        .order_by("-status_changed_at", "-id")
    )


def idea_list_for_review(viewer: Viewer) -> QuerySet[Idea]:
    """New ideas waiting for a staff decision, oldest first."""
    return (
        _with_author(ideas_listed_for(viewer))
        .filter(status=IdeaStatus.NEW)
        .order_by("created_at", "id")
    )


def idea_list_by_author(viewer: Viewer, member: Member, *, limit: int = 10) -> list[Idea]:
    return list(
        _with_author(ideas_listed_for(viewer))
        .filter(author=member)
        .order_by("-created_at", "-id")[:limit]
    )


def idea_mark_votes(viewer: Viewer, ideas: Iterable[Idea]) -> list[Idea]:
    """Set ``viewer_voted`` and ``viewer_can_vote`` on each idea (one query, none for
    visitors)."""
    marked = list(ideas)
    voted: set[int] = set()
    if (viewer is not None and viewer.is_authenticated) and marked:
        voted = set(
            IdeaVote.objects.filter(member=viewer, idea_id__in=[i.pk for i in marked]).values_list(
                "idea_id", flat=True
            )
        )
    for idea in marked:
        # Not fields: set where idea_get_detail's annotation would be.
        idea.__dict__.update(
            viewer_voted=idea.pk in voted, viewer_can_vote=can_vote_idea(viewer, idea)
        )
    return marked


def idea_get_detail(viewer: Viewer, qs: QuerySet[Idea], pk: int) -> Idea:
    """The idea with what its page shows, in one query: author, category, survivor of a merge,
    and whether the viewer voted for and follows it."""
    qs = qs.select_related("author", "category", "merged_into")
    if viewer is not None and viewer.is_authenticated:
        ct = ContentType.objects.get_for_model(Idea)
        qs = qs.annotate(
            viewer_voted=Exists(IdeaVote.objects.filter(idea=OuterRef("pk"), member=viewer)),
            viewer_follows=Exists(
                Follow.objects.filter(target_type=ct, target_id=OuterRef("pk"), member=viewer)
            ),
            viewer_bookmark=Subquery(
                Bookmark.objects.filter(
                    target_type=ct, target_id=OuterRef("pk"), member=viewer
                ).values("id")[:1]
            ),
        )
    return qs.get(pk=pk)


def idea_merged_from(idea: Idea) -> list[Idea]:
    """Duplicates merged into ``idea`` (their pages redirect here)."""
    return list(idea.merged_ideas.only("id", "title", "merged_into", "merge_note").order_by("id"))


MERGE_CANDIDATES = 20


def idea_list_merge_candidates(viewer: Viewer, idea: Idea, query: str) -> list[Idea]:
    """Ideas ``idea`` may be merged into: those whose title contains ``query`` (or whose number
    it is), else those with titles like its own; most votes first."""
    query = query.strip().lstrip("#")
    if not query:
        return idea_list_similar(viewer, idea.title, limit=MERGE_CANDIDATES, exclude_id=idea.pk)
    cond = Q(title__icontains=query)
    if query.isdigit():
        cond |= Q(pk=int(query))
    qs = _with_author(ideas_listed_for(viewer)).filter(cond, merged_into__isnull=True)
    return list(qs.exclude(pk=idea.pk).order_by("-vote_count", "-id")[:MERGE_CANDIDATES])


def idea_status_history(idea: Idea) -> list[IdeaStatusChange]:
    return list(idea.status_changes.select_related("by").order_by("at", "id"))


def idea_comments(viewer: Viewer, idea: Idea) -> list[Comment]:
    ct = ContentType.objects.get_for_model(Idea)
    qs = Comment.objects.filter(target_type=ct, target_id=idea.pk, deleted_at__isnull=True)
    if (viewer is not None and viewer.is_authenticated) and viewer.is_moderator:
        pass
    elif viewer is not None and viewer.is_authenticated:
        qs = qs.filter(
            Q(moderation_state=ModerationState.PUBLISHED)
            | Q(author=viewer, moderation_state=ModerationState.HELD)
        )
    else:
        qs = qs.filter(moderation_state=ModerationState.PUBLISHED)
    return list(qs.select_related("author").order_by("created_at", "id"))


def idea_linked_questions(idea: Idea) -> list[Question]:
    return [
        link.question
        for link in IdeaQuestionLink.objects.filter(
            idea=idea,
            question__moderation_state=ModerationState.PUBLISHED,
            question__deleted_at__isnull=True,
        )
        .select_related("question")
        .order_by("created_at", "id")
    ]


# --- similar ideas and search ---------------------------------------------------------------


def _keywords(text: str) -> list[str]:
    words = re.findall(r"\w+", (text or "").lower())
    seen: list[str] = []
    for w in words:
        if len(w) >= 3 and w not in _STOP_WORDS and not w.isdigit() and w not in seen:
            seen.append(w)
    return seen[:8]


def _stem(word: str) -> str:
    # A crude language-neutral stem for LIKE matching: drop up to three letters of ending,
    # keeping at least four ("darker" → "dark", "dashboards" → "dashboa", "отчёты" → "отчё").
    return word[: max(4, len(word) - 3)]


def idea_list_similar(
    viewer: Viewer, title: str, *, limit: int = 5, exclude_id: int | None = None
) -> list[Idea]:
    """Existing ideas whose titles share words with ``title``, most shared words first, then
    votes. Matching on word stems finds reworded titles ("export reports" ~ "report export")."""
    stems = [_stem(w) for w in _keywords(title)]
    if not stems:
        return []
    cond = Q()
    for stem in stems:
        cond |= Q(title__icontains=stem)
    qs = _with_author(ideas_listed_for(viewer)).filter(cond)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    candidates = list(qs.order_by("-vote_count", "-id")[:50])

    def shared(idea: Idea) -> int:
        lowered = idea.title.lower()
        return sum(1 for stem in stems if stem in lowered)

    candidates.sort(key=lambda i: (-shared(i), -i.vote_count, -i.pk))
    minimum = 1 if len(stems) <= 3 else 2
    return [i for i in candidates if shared(i) >= minimum][:limit]


def _idea_hit(idea: Idea, excerpt: SafeString, rank: float) -> SearchHit:
    return SearchHit(
        kind="idea",
        kind_label=_("Idea"),
        title=idea.title,
        url=idea.get_absolute_url(),
        excerpt=excerpt,
        rank=rank,
        created_at=idea.created_at,
        solved=idea.status == IdeaStatus.SHIPPED,
        extra={"vote_count": idea.vote_count, "status": idea.get_status_display()},
        scope=f"idea:{idea.pk}",
    )


def _idea_row_hit(row: tuple) -> SearchHit:
    rank, headline, pk, title, slug, created_at, status, vote_count = row
    idea = Idea(
        pk=pk, title=title, slug=slug, created_at=created_at, status=status, vote_count=vote_count
    )
    return _idea_hit(idea, headline_html(headline), float(rank))


def idea_search_as_visitor(viewer: Viewer) -> bool:
    """Whether the viewer finds exactly the ideas a visitor finds: search shows what the lists
    show (``ideas_listed_for``: published ideas), the same for everyone who sees no
    ambassadors' categories."""
    return not sees_ambassador_space(viewer)


def idea_rank(
    text: str,
    *,
    viewer: Viewer,
    limit: int = 50,
    match_any: bool = False,
    excerpts: int | None = None,
) -> list[Ranked] | list[SearchHit]:
    """The ideas' source for site search (``search.sources``), as ``Ranked`` rows on
    PostgreSQL (the stored, GIN-indexed vector) and hits on SQLite (stem LIKE matching)."""
    qs = ideas_listed_for(viewer)
    if is_postgres():
        rows = pg_ranked(
            qs,
            text,
            headline_field="description",
            limit=limit,
            match_any=match_any,
            excerpts=excerpts,
            fields=["id", "title", "slug", "created_at", "status", "vote_count"],
        )
        return [Ranked("idea", float(row[0]), row, _idea_row_hit) for row in rows]
    hits: list[SearchHit] = []
    matches = qs.filter(fallback_filter(text, ["title", "description"], match_any=match_any))
    for idea in matches.order_by("-created_at", "-id")[:200]:
        hits.append(
            _idea_hit(
                idea,
                excerpt_html(text, idea.description),
                fallback_rank(text, title=idea.title, body=idea.description),
            )
        )
    hits.sort(key=lambda h: -h.rank)
    return hits[:limit]


def idea_search(
    text: str, *, viewer: Viewer, limit: int = 50, match_any: bool = False
) -> list[SearchHit]:
    """Ranked hits with highlighted excerpts (every hit of ``idea_rank`` built)."""
    return [row.hit() for row in idea_rank(text, viewer=viewer, limit=limit, match_any=match_any)]


def idea_for_queue_item(item: QueueItem) -> Idea | None:
    return Idea.objects.filter(pk=item.target_id).select_related("author").first()


def idea_voter_count(idea: Idea) -> int:
    return IdeaVote.objects.filter(idea=idea).count()


def question_for_link(viewer: Viewer, pk: int) -> Question | None:
    """A published, not deleted question by id, or None."""
    return (
        Question.objects.filter(moderation_state=ModerationState.PUBLISHED, deleted_at__isnull=True)
        .filter(pk=pk)
        .first()
    )


def idea_bookmark_titles(viewer: Viewer, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Title and address of each of ``ids`` the viewer may see (``members.bookmarks``)."""
    rows = ideas_visible_to(viewer).filter(pk__in=ids).only("pk", "title", "slug")
    return {idea.pk: (idea.title, idea.get_absolute_url()) for idea in rows}


def ideas_by(
    viewer: Viewer, author_ids: list[int], before: datetime | None, limit: int
) -> list[FeedItem]:
    """The latest ideas of ``author_ids`` the viewer may see, newest first (``members.feed``)."""
    ideas = ideas_visible_to(viewer).filter(author_id__in=author_ids, merged_into__isnull=True)
    if before is not None:
        ideas = ideas.filter(created_at__lt=before)
    rows = ideas.only("id", "title", "slug", "author_id", "created_at").order_by(
        "-created_at", "-id"
    )[:limit]
    return [
        {
            "kind": "idea",
            "title": idea.title,
            "url": idea.get_absolute_url(),
            "author_id": idea.author_id,
            "created_at": idea.created_at,
        }
        for idea in rows
    ]


# --- watching ---------------------------------------------------------------------------------


def status_level(viewer: Viewer, status: str) -> str:
    """The member's level for an idea status (one query; normal for visitors)."""
    if viewer is None or not viewer.is_authenticated:
        return WatchLevel.NORMAL
    levels = StatusWatch.objects.filter(member=viewer, status=status).values_list(
        "level", flat=True
    )
    return next(iter(levels), WatchLevel.NORMAL)


def status_watches_of(member: Member) -> list[WatchedTopic]:
    """The member's levels for idea statuses, for their settings page (one query)."""
    labels = dict(IdeaStatus.choices)
    return [
        WatchedTopic(
            kind="idea status",
            name=str(labels.get(status, status)),
            url=f"{reverse('ideas:idea-list')}?status={status}",
            level=level,
        )
        for status, level in StatusWatch.objects.filter(member=member)
        .order_by("status")
        .values_list("status", "level")
    ]


def summary_ideas(member: Member, since: datetime, limit: int) -> list[SummaryItem]:
    """New ideas for the summary e-mail (``members.summary``): in the statuses the member
    watches or tracks first, then the most voted; listed ideas they may see, not their own."""
    new = (
        ideas_listed_for(member)
        .filter(created_at__gte=since)
        .exclude(author=member)
        .order_by("-vote_count", "-id")
        .only("pk", "title", "slug")
    )
    statuses = StatusWatch.objects.filter(member=member, level__in=MARKED_LEVELS).values("status")
    picked = list(new.filter(status__in=statuses)[:limit])
    if len(picked) < limit:
        picked += list(new.exclude(pk__in=[i.pk for i in picked])[: limit - len(picked)])
    return [SummaryItem(kind="idea", title=i.title, url=i.get_absolute_url()) for i in picked]
