"""Comments on questions and answers."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from config.markdown import render_markdown
from members.models import Member
from moderation.content import ModerationState

from ..hooks import comment_edited
from ..models import Answer, Comment, Question
from ..permissions import questions as perms
from .common import audit, content_type, credit_contribution, hold, question_of, screen
from .notifications import notify, notify_mentioned, question_followers
from .revisions import revision_add


def comment_create(*, author: Member, target: Question | Answer, body: str) -> Comment:
    question = question_of(target)
    perms.check_can_comment(author, question)
    screening = screen(author=author, text=body, kind="comment")
    with transaction.atomic():
        comment = Comment.objects.create(
            author=author,
            target_type=content_type(target),
            target_id=target.pk,
            body=body,
            body_html=render_markdown(body),
            moderation_state=ModerationState.HELD if screening.hold else ModerationState.PUBLISHED,
        )
        comment.target = target
        if screening.hold:
            hold(target=comment, author=author, reasons=screening.reasons)
        else:
            comment_on_publish(comment)
    return comment


def comment_on_publish(comment: Comment) -> None:
    """A comment became visible: the author is credited for every comment; comments on
    questions and answers are counted and announced here. Comments on other apps' content
    are theirs to handle (``moderation.registry.register_on_publish``)."""
    credit_contribution(comment.author)
    target = comment.target
    if not isinstance(target, Question | Answer):
        return
    question = question_of(target)
    type(target).objects.filter(pk=target.pk).update(comment_count=F("comment_count") + 1)
    Question.objects.filter(pk=question.pk).update(last_activity_at=timezone.now())
    url = f"{question.get_absolute_url()}#comment-{comment.pk}"
    recipients = question_followers(question)
    if isinstance(target, Answer) and target.author is not None:
        recipients.append(target.author)
    notify(
        recipients=recipients,
        kind="comment_new",
        actor=comment.author,
        question=question,
        url=url,
        target=comment,
    )
    notify_mentioned(post=comment, question=question, url=url)


def comment_update(*, actor: Member, comment: Comment, body: str, reason: str = "") -> Comment:
    perms.check_can_edit_post(actor, comment)
    with transaction.atomic():
        revision_add(post=comment, editor=actor, title="", body=body, reason=reason)
        comment.body = body
        comment.body_html = render_markdown(body)
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "body_html", "edited_at"])
        if actor.pk != comment.author_id:
            audit(actor=actor, action="forum.comment_edit", target=comment, reason=reason)
        target = comment.target
        if isinstance(target, Question | Answer):
            question = question_of(target)
            url = f"{question.get_absolute_url()}#comment-{comment.pk}"
            notify_mentioned(post=comment, question=question, url=url)
        else:
            comment_edited.send(sender=Comment, comment=comment)
    return comment
