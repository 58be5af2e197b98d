"""Questions: asking, editing, the moderator actions on them and their counters.

Every posting service goes through ``common.screen`` (``moderation.check_can_post`` and
``content_screen``); a held post is stored with state HELD and queued, and its publishing
side effects (counters, referral credit, notifications) run only when it is published,
immediately or on approval (the ``*_on_publish`` callbacks registered in
``forum/receivers.py``).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from config.counters import counter_add
from config.markdown import render_markdown
from members.models import Member
from moderation.content import ModerationState
from search.vectors import vector_update
from uploads.registry import draft_key
from uploads.services_drafts import draft_discard

from ..hooks import question_published
from ..models import (
    Answer,
    AnswerVote,
    Category,
    CloseReason,
    CloseVote,
    Comment,
    Follow,
    Question,
    QuestionVote,
    Revision,
    Tag,
)
from ..permissions import privileges
from ..permissions import questions as perms
from .common import audit, content_type, credit_contribution, hold, lock_question, screen
from .notifications import notify_mentioned
from .revisions import revision_add
from .tags import tags_resolve
from .watching import question_watchers_notify


def question_create(
    *, author: Member, category: Category, title: str, body: str, tags: list[str] | None = None
) -> Question:
    perms.check_can_ask(author, category)
    screening = screen(author=author, text=f"{title}\n{body}", kind="question")
    with transaction.atomic():
        question = Question.objects.create(
            author=author,
            category=category,
            title=title.strip(),
            slug=slugify(title, allow_unicode=True)[:200] or "q",
            body=body,
            body_html=render_markdown(body),
            moderation_state=ModerationState.HELD if screening.hold else ModerationState.PUBLISHED,
        )
        question.tags.set(tags_resolve(tags or []))
        vector_update(Question.objects.filter(pk=question.pk))
        Follow.objects.create(
            member=author, target_type=content_type(Question), target_id=question.pk
        )
        Question.objects.filter(pk=question.pk).update(follower_count=1)
        question.follower_count = 1
        draft_discard(member=author, key=draft_key("question"))  # posted: no draft
        if screening.hold:
            hold(target=question, author=author, reasons=screening.reasons)
        else:
            question_on_publish(question)
    return question


def question_on_publish(question: Question) -> None:
    """A question became visible: tag counters, referral credit, @mention notifications."""
    Tag.objects.filter(questions=question).update(question_count=F("question_count") + 1)
    credit_contribution(question.author)
    mentioned = notify_mentioned(post=question, question=question, url=question.get_absolute_url())
    question_watchers_notify(question, already=[m.pk for m in mentioned])
    question_published.send(sender=Question, question=question)


def question_update(
    *,
    actor: Member,
    question: Question,
    title: str,
    body: str,
    tags: list[str] | None = None,
    reason: str = "",
) -> Question:
    """An edit by the author, a moderator or a member at the edit level (docs/privileges.md)."""
    privileges.check_can_edit_directly(actor, question)
    with transaction.atomic():
        question = lock_question(question)
        revision = question_edit_apply(
            question=question, editor=actor, title=title, body=body, tags=tags, reason=reason
        )
        if actor.pk != question.author_id:
            audit(
                actor=actor,
                action="forum.question_edit",
                target=question,
                reason=reason,
                data={"revision": revision.number},
            )
    return question


def question_edit_apply(
    *,
    question: Question,
    editor: Member,
    title: str,
    body: str,
    tags: list[str] | None,
    reason: str,
) -> Revision:
    """Store the new version (a revision by ``editor``) and keep the tag counters. The caller
    checked the permission, holds the question's row lock and writes the audit row."""
    old_tags = set(question.tags.values_list("pk", flat=True))
    new_tags = tags_resolve(tags) if tags is not None else None
    revision = revision_add(
        post=question,
        editor=editor,
        title=title,
        body=body,
        reason=reason,
        tags=[t.name for t in new_tags] if new_tags is not None else None,
    )
    question.title = title.strip()
    question.slug = slugify(title, allow_unicode=True)[:200] or "q"
    question.body = body
    question.body_html = render_markdown(body)
    question.edited_at = timezone.now()
    question.save(update_fields=["title", "slug", "body", "body_html", "edited_at"])
    if new_tags is not None:
        question.tags.set(new_tags)
        if question.is_published and not question.is_deleted:
            new_ids = {t.pk for t in new_tags}
            Tag.objects.filter(pk__in=new_ids - old_tags).update(
                question_count=F("question_count") + 1
            )
            Tag.objects.filter(pk__in=old_tags - new_ids, question_count__gt=0).update(
                question_count=F("question_count") - 1
            )
    vector_update(Question.objects.filter(pk=question.pk))
    # Members the edit newly mentions (an edit that keeps a mention tells nobody again; also
    # an approved suggestion or a revert).
    notify_mentioned(post=question, question=question, url=question.get_absolute_url())
    return revision


# --- moderator actions --------------------------------------------------------------------


def question_lock(
    *, actor: Member, question: Question, locked: bool = True, reason: str = ""
) -> Question:
    """Lock (or with ``locked=False`` unlock) a question: no new answers or comments."""
    perms.check_can_moderate_forum(actor)
    with transaction.atomic():
        Question.objects.filter(pk=question.pk).update(is_locked=locked)
        question.is_locked = locked
        audit(
            actor=actor,
            action="forum.question_lock" if locked else "forum.question_unlock",
            target=question,
            reason=reason,
        )
    return question


def question_move(
    *, actor: Member, question: Question, category: Category, reason: str = ""
) -> Question:
    perms.check_can_moderate_forum(actor)
    with transaction.atomic():
        old = question.category_id
        Question.objects.filter(pk=question.pk).update(category=category)
        question.category = category
        audit(
            actor=actor,
            action="forum.question_move",
            target=question,
            reason=reason,
            data={"from": old, "to": category.pk},
        )
    return question


def question_close_duplicate(
    *, actor: Member, question: Question, duplicate_of: Question, reason: str = ""
) -> Question:
    perms.check_can_moderate_forum(actor)
    if duplicate_of.pk == question.pk or duplicate_of.duplicate_of_id == question.pk:
        raise ValidationError(_("A question cannot be a duplicate of itself."))
    if not perms.can_name_as_original(actor, question, duplicate_of):
        raise ValidationError(
            _("The original must be a question that everyone who can read this one can read.")
        )
    with transaction.atomic():
        now = timezone.now()
        Question.objects.filter(pk=question.pk).update(
            duplicate_of=duplicate_of, closed_at=now, close_reason=CloseReason.DUPLICATE
        )
        question.duplicate_of, question.closed_at = duplicate_of, now
        question.close_reason = CloseReason.DUPLICATE
        CloseVote.objects.filter(question=question, is_open=True).update(is_open=False)
        audit(
            actor=actor,
            action="forum.question_close_duplicate",
            target=question,
            reason=reason,
            data={"duplicate_of": duplicate_of.pk},
        )
    return question


def question_reopen(*, actor: Member, question: Question, reason: str = "") -> Question:
    perms.check_can_moderate_forum(actor)
    with transaction.atomic():
        question_reopen_apply(question)
        audit(actor=actor, action="forum.question_reopen", target=question, reason=reason)
    return question


def question_reopen_apply(question: Question) -> None:
    """Open the question again and settle the votes about it (the caller audits)."""
    Question.objects.filter(pk=question.pk).update(
        duplicate_of=None, closed_at=None, close_reason="", close_note=""
    )
    question.duplicate_of, question.closed_at = None, None
    question.close_reason, question.close_note = "", ""
    CloseVote.objects.filter(question=question, is_open=True).update(is_open=False)


# --- counters -----------------------------------------------------------------------------


def question_view_record(*, question_id: int) -> None:
    counter_add(Question, question_id, "view_count")


def question_synchronize(*, question: Question) -> Question:
    """Recompute a question's denormalized counters (and its answers') from source rows."""
    live = Q(moderation_state=ModerationState.PUBLISHED, deleted_at__isnull=True)
    with transaction.atomic():
        answers = Answer.objects.filter(question=question)
        for answer in answers:
            Answer.objects.filter(pk=answer.pk).update(
                score=AnswerVote.objects.filter(answer=answer).aggregate(s=Sum("value"))["s"] or 0,
                comment_count=Comment.objects.filter(
                    live, target_type=content_type(Answer), target_id=answer.pk
                ).count(),
            )
        Question.objects.filter(pk=question.pk).update(
            score=QuestionVote.objects.filter(question=question).aggregate(s=Sum("value"))["s"]
            or 0,
            answer_count=answers.filter(live).count(),
            comment_count=Comment.objects.filter(
                live, target_type=content_type(Question), target_id=question.pk
            ).count(),
            follower_count=Follow.objects.filter(
                target_type=content_type(Question), target_id=question.pk
            ).count(),
        )
    question.refresh_from_db()
    return question


def question_search_index_all() -> None:
    """Refresh the stored search vector of every question (PostgreSQL; SQLite searches with
    LIKE)."""
    vector_update(Question.objects.all())
