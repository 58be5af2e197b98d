"""Q&A's search sources (questions, answers, FAQ entries; ``receivers`` registers them with
``search.sources``) and the similar-question hints."""

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from moderation.content import ModerationState
from search import selectors as search_selectors
from search.excerpts import excerpt_html, headline_html
from search.ranking import fallback_filter, fallback_rank, pg_ranked
from search.sources import Ranked, SearchHit, finished
from search.terms import terms_of
from search.vectors import is_postgres

from ..models import Answer, FaqEntry, Question
from ..permissions import questions as perms
from ..permissions.questions import Viewer

M = TypeVar("M", bound=Model)


def _searched(qs: QuerySet[M], viewer: Viewer) -> QuerySet[M]:
    """What search finds of the posts ``viewer`` may see: published ones; moderators find
    the others too. A member's own post awaiting approval is not found until it is approved
    (as in Discourse, where a queued post is no post yet): it is on the question page and in
    their profile, and a member's hits are then a visitor's (``searches_as_visitor``)."""
    if perms.is_forum_moderator(viewer):
        return qs
    return qs.filter(moderation_state=ModerationState.PUBLISHED)


def searches_as_visitor(viewer: Viewer) -> bool:
    """Whether the viewer finds exactly what a visitor finds among questions, answers and FAQ
    entries (``_searched``): anyone but moderators (staff among them: unpublished FAQ entries
    too) and ambassadors (their categories)."""
    return not (perms.is_forum_moderator(viewer) or perms.can_see_private_categories(viewer))


def _question_hit(row: tuple[Any, ...]) -> SearchHit:
    rank, headline, pk, title, slug, created_at, accepted_answer_id, answer_count, score = row
    return SearchHit(
        kind="question",
        kind_label=_("Question"),
        title=title,
        url=Question(pk=pk, title=title, slug=slug).get_absolute_url(),
        excerpt=headline_html(headline),
        rank=float(rank),
        created_at=created_at,
        solved=accepted_answer_id is not None,
        extra={"answer_count": answer_count, "score": score},
        scope=f"question:{pk}",
    )


def question_rank(
    text: str, *, viewer: Viewer, limit: int, match_any: bool = False, excerpts: int | None = None
) -> list[Ranked] | list[SearchHit]:
    qs = _searched(perms.questions_visible_to(viewer), viewer)
    hits: list[SearchHit] = []
    if is_postgres():
        rows = pg_ranked(
            qs,
            text,
            headline_field="body",
            limit=limit,
            match_any=match_any,
            boost=Q(accepted_answer__isnull=False),
            excerpts=excerpts,
            fields=[
                "id",
                "title",
                "slug",
                "created_at",
                "accepted_answer_id",
                "answer_count",
                "score",
            ],
        )
        return [Ranked("question", float(row[0]), row, _question_hit) for row in rows]
    matches = qs.filter(fallback_filter(text, ["title", "body"], match_any=match_any))
    for q in matches.order_by("-created_at")[:200]:
        hits.append(
            SearchHit(
                kind="question",
                kind_label=_("Question"),
                title=q.title,
                url=q.get_absolute_url(),
                excerpt=excerpt_html(text, q.body),
                rank=fallback_rank(text, title=q.title, body=q.body, solved=q.is_solved),
                created_at=q.created_at,
                solved=q.is_solved,
                extra={"answer_count": q.answer_count, "score": q.score},
                scope=f"question:{q.pk}",
            )
        )
    hits.sort(key=lambda h: -h.rank)
    return hits[:limit]


def _answer_hit(row: tuple[Any, ...]) -> SearchHit:
    rank, headline, pk, question_id, title, slug, created_at, is_accepted = row
    answer = Answer(pk=pk, question=Question(pk=question_id, title=title, slug=slug))
    return SearchHit(
        kind="answer",
        kind_label=_("Answer"),
        title=title,
        url=answer.get_absolute_url(),
        excerpt=headline_html(headline),
        rank=float(rank) * 0.8,
        created_at=created_at,
        solved=is_accepted,
        scope=f"question:{question_id}",
    )


def answer_rank(
    text: str, *, viewer: Viewer, limit: int, match_any: bool = False, excerpts: int | None = None
) -> list[Ranked] | list[SearchHit]:
    questions = _searched(perms.questions_visible_to(viewer), viewer)
    qs = _searched(perms.answers_visible_to(viewer), viewer).filter(question__in=questions)
    hits: list[SearchHit] = []
    if is_postgres():
        rows = pg_ranked(
            qs,
            text,
            headline_field="body",
            limit=limit,
            match_any=match_any,
            boost=Q(is_accepted=True),
            excerpts=excerpts,
            fields=[
                "id",
                "question_id",
                "question__title",
                "question__slug",
                "created_at",
                "is_accepted",
            ],
        )
        return [Ranked("answer", float(row[0]) * 0.8, row, _answer_hit) for row in rows]
    qs = qs.select_related("question")
    for a in qs.filter(fallback_filter(text, ["body"], match_any=match_any)).order_by(
        "-created_at"
    )[:200]:
        hits.append(
            SearchHit(
                kind="answer",
                kind_label=_("Answer"),
                title=a.question.title,
                url=a.get_absolute_url(),
                excerpt=excerpt_html(text, a.body),
                rank=0.8 * fallback_rank(text, title="", body=a.body, solved=a.is_accepted),
                created_at=a.created_at,
                solved=a.is_accepted,
                scope=f"question:{a.question_id}",
            )
        )
    hits.sort(key=lambda h: -h.rank)
    return hits[:limit]


def _faq_hit(row: tuple[Any, ...]) -> SearchHit:
    rank, headline, pk, title, slug, created_at = row
    return SearchHit(
        kind="faq",
        kind_label=_("FAQ"),
        title=title,
        url=FaqEntry(pk=pk, title=title, slug=slug).get_absolute_url(),
        excerpt=headline_html(headline),
        rank=float(rank),
        created_at=created_at,
        solved=True,
    )


def faq_rank(
    text: str, *, viewer: Viewer, limit: int, match_any: bool = False, excerpts: int | None = None
) -> list[Ranked] | list[SearchHit]:
    qs = perms.faq_entries_visible_to(viewer)
    hits: list[SearchHit] = []
    if is_postgres():
        rows = pg_ranked(
            qs,
            text,
            headline_field="body",
            limit=limit,
            match_any=match_any,
            boost=Q(pk__isnull=False),
            excerpts=excerpts,
            fields=["id", "title", "slug", "created_at"],
        )
        return [Ranked("faq", float(row[0]), row, _faq_hit) for row in rows]
    for e in qs.filter(fallback_filter(text, ["title", "body"], match_any=match_any))[:200]:
        hits.append(
            SearchHit(
                kind="faq",
                kind_label=_("FAQ"),
                title=e.title,
                url=e.get_absolute_url(),
                excerpt=excerpt_html(text, e.body),
                rank=fallback_rank(text, title=e.title, body=e.body, solved=True),
                created_at=e.created_at,
                solved=True,
            )
        )
    hits.sort(key=lambda h: -h.rank)
    return hits[:limit]


question_search = finished(question_rank)
answer_search = finished(answer_rank)
faq_search = finished(faq_rank)


def similar_questions(title: str, *, viewer: Viewer, limit: int = 5) -> list[SearchHit]:
    """Existing questions and FAQ entries like a title being typed (any of its words)."""
    if len(terms_of(title)) == 0:
        return []
    return search_selectors.search(
        title, viewer=viewer, kinds=["question", "faq"], limit=limit, match_any=True
    )
