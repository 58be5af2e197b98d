"""What the forum holds about a member, for "export my data" and "delete my account"
(registered in ``members.personal_data`` by forum.receivers)."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from members.models import Member
from members.personal_data import rows

from ..models import (
    Answer,
    AnswerVote,
    Comment,
    DeflectionFeedback,
    Follow,
    Question,
    QuestionRead,
    QuestionVote,
    ReputationEvent,
    TopicWatch,
)
from .answers import accepted_answer_clear
from .common import lock_question
from .posts import _counts_change


def export_questions(member: Member) -> list[dict[str, Any]]:
    return rows(
        Question.objects.filter(author=member).order_by("created_at", "id"),
        "id",
        "title",
        "body",
        "created_at",
        "edited_at",
        "deleted_at",
        "moderation_state",
    )


def export_answers(member: Member) -> list[dict[str, Any]]:
    return rows(
        Answer.objects.filter(author=member).order_by("created_at", "id"),
        "id",
        "question_id",
        "body",
        "created_at",
        "edited_at",
        "deleted_at",
        "is_accepted",
        "moderation_state",
    )


def export_comments(member: Member) -> list[dict[str, Any]]:
    return rows(
        Comment.objects.filter(author=member).order_by("created_at", "id"),
        "id",
        "target_type__model",
        "target_id",
        "body",
        "created_at",
        "deleted_at",
    )


def export_votes(member: Member) -> list[dict[str, Any]]:
    found = rows(
        QuestionVote.objects.filter(member=member).order_by("created_at", "id"),
        "question_id",
        "value",
        "created_at",
    )
    found += rows(
        AnswerVote.objects.filter(member=member).order_by("created_at", "id"),
        "answer_id",
        "value",
        "created_at",
    )
    return found


def export_follows(member: Member) -> list[dict[str, Any]]:
    return rows(
        Follow.objects.filter(member=member).order_by("created_at", "id"),
        "target_type__model",
        "target_id",
        "created_at",
    )


def export_watches(member: Member) -> list[dict[str, Any]]:
    return rows(
        TopicWatch.objects.filter(member=member).order_by("updated_at", "id"),
        "tag__name",
        "category__slug",
        "level",
        "updated_at",
    )


def export_reputation(member: Member) -> list[dict[str, Any]]:
    return rows(
        ReputationEvent.objects.filter(member=member).order_by("created_at", "id"),
        "reason",
        "delta",
        "question_id",
        "answer_id",
        "created_at",
    )


def export_feedback(member: Member) -> list[dict[str, Any]]:
    return rows(
        DeflectionFeedback.objects.filter(member=member).order_by("created_at", "id"),
        "question_id",
        "faq_entry_id",
        "helpful",
        "would_have_contacted_support",
        "created_at",
    )


def _remove(post: Question | Answer | Comment) -> None:
    """Removed as its author's own deletion would remove it (the counters follow)."""
    if isinstance(post, Answer) and post.is_accepted:
        question = lock_question(post.question)
        if question.accepted_answer_id == post.pk:
            accepted_answer_clear(question)
    type(post).objects.filter(pk=post.pk).update(deleted_at=timezone.now())
    _counts_change(post, -1)


def erase(member: Member, remove_posts: bool) -> None:
    """Follows, watching levels and read markers go (nobody else sees them); votes,
    reputation events and feedback stay on the anonymous placeholder, so scores and figures
    do not move; the session key of feedback goes. Posts stay under "Deleted member", or are
    removed."""
    with transaction.atomic():
        Follow.objects.filter(member=member).delete()
        TopicWatch.objects.filter(member=member).delete()
        QuestionRead.objects.filter(member=member).delete()
        DeflectionFeedback.objects.filter(member=member).update(session_key="")
        if not remove_posts:
            return
        for model in (Comment, Answer, Question):
            for post in model.objects.filter(author=member, deleted_at__isnull=True):
                _remove(post)
