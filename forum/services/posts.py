"""Deleting and restoring any Q&A post (question, answer or comment on them)."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from members.models import Member

from ..models import Answer, Comment, Question, Tag
from ..permissions import questions as perms
from .answers import accepted_answer_clear
from .common import Post, audit, lock_question


def _counts_change(post: Post, sign: int) -> None:
    """Counters follow a published post being deleted (-1) or restored (+1)."""
    if not post.is_published:
        return
    if isinstance(post, Question):
        if sign < 0:
            Tag.objects.filter(questions=post, question_count__gt=0).update(
                question_count=F("question_count") - 1
            )
        else:
            Tag.objects.filter(questions=post).update(question_count=F("question_count") + 1)
    elif isinstance(post, Answer):
        rows = Question.objects.filter(pk=post.question_id)
        if sign < 0:
            rows = rows.filter(answer_count__gt=0)
        rows.update(answer_count=F("answer_count") + sign)
    elif isinstance(post, Comment):
        target = post.target
        if isinstance(target, Question | Answer):
            target_rows = type(target).objects.filter(pk=target.pk)
            if sign < 0:
                target_rows = target_rows.filter(comment_count__gt=0)
            target_rows.update(comment_count=F("comment_count") + sign)


def post_delete(*, actor: Member, post: Post, reason: str = "") -> None:
    """Soft delete: the row stays and staff can restore it. Authors may delete their own."""
    if isinstance(post, Comment):
        if not (perms.is_forum_moderator(actor) or post.author_id == getattr(actor, "pk", None)):
            perms.check_can_moderate_forum(actor)
    else:
        perms.check_can_delete_post(actor, post)
    if post.deleted_at is not None:
        return
    with transaction.atomic():
        if isinstance(post, Answer) and post.is_accepted:
            question = lock_question(post.question)
            if question.accepted_answer_id == post.pk:
                accepted_answer_clear(question)
                post.is_accepted = False
        type(post).objects.filter(pk=post.pk).update(deleted_at=timezone.now())
        _counts_change(post, -1)
        post.deleted_at = timezone.now()
        if actor.pk != post.author_id:
            audit(
                actor=actor,
                action=f"forum.{post._meta.model_name}_delete",
                target=post,
                reason=reason,
            )


def post_restore(*, actor: Member, post: Post, reason: str = "") -> None:
    perms.check_can_moderate_forum(actor)
    if post.deleted_at is None:
        return
    with transaction.atomic():
        type(post).objects.filter(pk=post.pk).update(deleted_at=None)
        post.deleted_at = None
        _counts_change(post, +1)
        audit(
            actor=actor, action=f"forum.{post._meta.model_name}_restore", target=post, reason=reason
        )
