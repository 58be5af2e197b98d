"""The forum's badges of the catalogue (members.badges): who earns them when an answer is
accepted or promoted to the FAQ, and the rules the back-fill job runs (registered in
forum.receivers). Accepting one's own answer earns nothing, as it earns no reputation."""

from collections.abc import Iterable

from django.db.models import Count, F, Q, QuerySet

from members.badges import TAG_EXPERT_ANSWERS
from members.services_badges import badge_award
from moderation.content import ModerationState

from ..models import Answer, FaqEntry, Question


def _accepted_answers() -> QuerySet[Answer]:
    """Accepted answers that count: published, not deleted, not the asker's own."""
    return Answer.objects.filter(
        is_accepted=True,
        moderation_state=ModerationState.PUBLISHED,
        deleted_at__isnull=True,
        author__isnull=False,
    ).filter(~Q(author_id=F("question__author_id")) | Q(question__author__isnull=True))


def badges_on_answer_accepted(*, answer: Answer) -> None:
    """An answer was accepted: "Helper" for its author, "Scholar" for the asker, and "Tag
    expert" in each of the question's tags where the author now has enough accepted answers."""
    question = answer.question
    if answer.author_id is None or answer.author_id == question.author_id:
        return
    badge_award(member=answer.author_id, slug="helper")
    badge_award(member=question.author_id, slug="scholar")
    slugs = list(question.tags.values_list("slug", flat=True))
    if not slugs:
        return
    counts = (
        _accepted_answers()
        .filter(author_id=answer.author_id, question__tags__slug__in=slugs)
        .values_list("question__tags__slug")
        .annotate(n=Count("pk"))
        .values_list("question__tags__slug", "n")
        .order_by()
    )
    for slug, n in counts:
        if n >= TAG_EXPERT_ANSWERS:
            badge_award(member=answer.author_id, slug="tag-expert", tag=slug)


def badges_on_faq_promoted(*, entry: FaqEntry) -> None:
    """A solved question became an FAQ entry: "FAQ author" for the accepted answer's author."""
    question = entry.source_question
    if question is None or question.accepted_answer_id is None:
        return
    author_id = Answer.objects.filter(pk=question.accepted_answer_id).values_list(
        "author_id", flat=True
    )
    badge_award(member=author_id.first(), slug="faq-author")


# --- the rules of the back-fill job (members.services_badges.badges_backfill) ---------------


def helper_holders() -> Iterable[tuple[int, str]]:
    return ((pk, "") for pk in _accepted_answers().values_list("author_id", flat=True).distinct())


def scholar_holders() -> Iterable[tuple[int, str]]:
    askers = (
        _accepted_answers()
        .filter(question__author__isnull=False)
        .values_list("question__author_id", flat=True)
        .distinct()
    )
    return ((pk, "") for pk in askers)


def tag_expert_holders() -> Iterable[tuple[int, str]]:
    return (
        _accepted_answers()
        .filter(question__tags__isnull=False)
        .values_list("author_id", "question__tags__slug")
        .annotate(n=Count("pk"))
        .filter(n__gte=TAG_EXPERT_ANSWERS)
        .values_list("author_id", "question__tags__slug")
        .order_by()
    )


def faq_author_holders() -> Iterable[tuple[int, str]]:
    authors = (
        Question.objects.filter(faq_entries__isnull=False, accepted_answer__author__isnull=False)
        .values_list("accepted_answer__author_id", flat=True)
        .distinct()
    )
    return ((pk, "") for pk in authors)
