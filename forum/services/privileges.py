"""What members do with the privileges their trust level earns (docs/privileges.md):
retagging, suggested edits and their review, votes to close and reopen, and reverting any of
it. Every action writes the moderation audit log in its transaction."""

from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from members.selectors import community_settings_get
from moderation import services as moderation
from moderation.models import AuditLogEntry, QueueItem

from ..models import (
    Answer,
    CloseReason,
    CloseVote,
    Question,
    ReputationEvent,
    Revision,
    SuggestedEdit,
)
from ..permissions import privileges as perms
from ..permissions.questions import can_name_as_original, is_forum_moderator
from .answers import answer_edit_apply
from .common import audit, content_type, lock_question
from .questions import question_edit_apply, question_reopen, question_reopen_apply

SUGGESTED_EDITS_QUEUE = "suggested_edits"
REPUTATION_EDIT_APPROVED = 2

Editable = Question | Answer


def _lock(post: Editable) -> Editable:
    if isinstance(post, Question):
        return lock_question(post)
    return Answer.objects.select_for_update().select_related("question").get(pk=post.pk)


def _apply(
    *,
    post: Editable,
    editor: Member,
    title: str,
    body: str,
    tags: list[str] | None,
    reason: str,
) -> Revision:
    if isinstance(post, Question):
        return question_edit_apply(
            question=post, editor=editor, title=title, body=body, tags=tags, reason=reason
        )
    return answer_edit_apply(answer=post, editor=editor, body=body, reason=reason)


def _tag_names(question: Question) -> list[str]:
    return [t.name for t in question.tags.all()]


# --- retagging ----------------------------------------------------------------------------


def question_retag(
    *, actor: Member, question: Question, tags: list[str], reason: str = ""
) -> Question:
    """Change a question's tags (a revision with the same text and the new tags)."""
    perms.check_can_retag(actor, question)
    moderation.check_can_post(actor)  # a silenced or suspended member does nothing
    with transaction.atomic():
        question = lock_question(question)
        before = _tag_names(question)
        revision = question_edit_apply(
            question=question,
            editor=actor,
            title=question.title,
            body=question.body,
            tags=tags,
            reason=reason,
        )
        audit(
            actor=actor,
            action="forum.question_retag",
            target=question,
            reason=reason,
            data={"revision": revision.number, "from": before, "to": revision.tags or []},
        )
    return question


# --- suggested edits ----------------------------------------------------------------------


def suggested_edit_create(
    *,
    actor: Member,
    post: Editable,
    title: str = "",
    body: str,
    tags: list[str] | None = None,
    reason: str = "",
) -> SuggestedEdit:
    """An edit by a member below the edit level: it waits in the suggested-edits queue."""
    perms.check_can_suggest_edit(actor, post)
    moderation.check_can_post(actor)
    if SuggestedEdit.objects.filter(
        target_type=content_type(post),
        target_id=post.pk,
        author=actor,
        status=SuggestedEdit.Status.PENDING,
    ).exists():
        raise ValidationError(_("Your earlier suggestion for this post is still waiting."))
    with transaction.atomic():
        suggestion = SuggestedEdit.objects.create(
            target_type=content_type(post),
            target_id=post.pk,
            author=actor,
            title=title.strip() if isinstance(post, Question) else "",
            body=body,
            tags=tags if isinstance(post, Question) else None,
            reason=reason,
        )
        moderation.queue_item_add(
            queue=SUGGESTED_EDITS_QUEUE, target=suggestion, member=actor, reason=reason
        )
        audit(
            actor=actor,
            action="forum.edit_suggest",
            target=post,
            reason=reason,
            data={"suggestion": suggestion.pk},
        )
    return suggestion


def _decide(
    actor: Member, suggestion: SuggestedEdit, status: str, note: str
) -> tuple[SuggestedEdit, Editable]:
    perms.check_can_review_suggested_edits(actor)
    if suggestion.author_id == actor.pk:
        raise PermissionDenied(_("Someone else reviews your own suggestion."))
    suggestion = SuggestedEdit.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status != SuggestedEdit.Status.PENDING:
        raise ValidationError(_("This suggestion was already reviewed."))
    post = suggestion.target
    if not isinstance(post, Question | Answer):
        raise ValidationError(_("The post of this suggestion is gone."))
    SuggestedEdit.objects.filter(pk=suggestion.pk).update(
        status=status, decided_at=timezone.now(), decided_by=actor, decision_note=note[:200]
    )
    suggestion.status = status
    # Decided here rather than in the inbox: its item is settled too.
    QueueItem.objects.filter(
        queue=SUGGESTED_EDITS_QUEUE,
        target_type=content_type(SuggestedEdit),
        target_id=suggestion.pk,
        resolved_at__isnull=True,
    ).update(
        resolved_at=timezone.now(),
        resolved_by=actor,
        resolution=QueueItem.Resolution.APPROVED
        if status == SuggestedEdit.Status.APPROVED
        else QueueItem.Resolution.REJECTED,
    )
    return suggestion, post


def suggested_edit_approve(*, actor: Member, suggestion: SuggestedEdit, note: str = "") -> Revision:
    """Apply the suggestion as a revision credited to its author (who gains reputation)."""
    with transaction.atomic():
        suggestion, post = _decide(actor, suggestion, SuggestedEdit.Status.APPROVED, note)
        post = _lock(post)
        author = suggestion.author
        revision = _apply(
            post=post,
            editor=author,
            title=suggestion.title if isinstance(post, Question) else "",
            body=suggestion.body,
            tags=suggestion.tags if isinstance(post, Question) else None,
            reason=suggestion.reason,
        )
        Member.objects.filter(pk=author.pk).update(
            reputation=F("reputation") + REPUTATION_EDIT_APPROVED
        )
        ReputationEvent.objects.create(
            member=author,
            delta=REPUTATION_EDIT_APPROVED,
            reason=ReputationEvent.Reason.EDIT_APPROVED,
            question=post if isinstance(post, Question) else post.question,
            answer=post if isinstance(post, Answer) else None,
        )
        audit(
            actor=actor,
            action="forum.edit_suggestion_approve",
            target=post,
            reason=note,
            data={"suggestion": suggestion.pk, "revision": revision.number},
        )
    return revision


def suggested_edit_reject(*, actor: Member, suggestion: SuggestedEdit, note: str = "") -> None:
    with transaction.atomic():
        suggestion, post = _decide(actor, suggestion, SuggestedEdit.Status.REJECTED, note)
        audit(
            actor=actor,
            action="forum.edit_suggestion_reject",
            target=post,
            reason=note,
            data={"suggestion": suggestion.pk},
        )


def suggested_edit_queue_approve(item: QueueItem, moderator: Member, message: str) -> None:
    """The moderation inbox's approve button on a suggested edit."""
    if isinstance(item.target, SuggestedEdit):
        suggested_edit_approve(actor=moderator, suggestion=item.target, note=message)


def suggested_edit_queue_reject(item: QueueItem, moderator: Member, message: str) -> None:
    if isinstance(item.target, SuggestedEdit):
        suggested_edit_reject(actor=moderator, suggestion=item.target, note=message)


# --- reverting ----------------------------------------------------------------------------


def revision_revert(
    *, actor: Member, post: Editable, revision: Revision, reason: str = ""
) -> Revision:
    """Bring back an earlier version of a post, as a new revision (tags too, for a question
    whose version recorded them)."""
    perms.check_can_revert_revision(actor, post)
    if revision.target_type_id != content_type(post).pk or revision.target_id != post.pk:
        raise ValidationError(_("This version belongs to another post."))
    with transaction.atomic():
        post = _lock(post)
        new = _apply(
            post=post,
            editor=actor,
            title=revision.title,
            body=revision.body,
            tags=revision.tags,
            reason=reason or _("Reverted to version %(number)s") % {"number": revision.number},
        )
        audit(
            actor=actor,
            action="forum.revision_revert",
            target=post,
            reason=reason,
            data={"revision": new.number, "to": revision.number},
        )
    return new


# What the audit log offers to revert: an edit (back to the version before it) or a close.
REVERTIBLE_EDITS = (
    "forum.question_edit",
    "forum.answer_edit",
    "forum.question_retag",
    "forum.edit_suggestion_approve",
    "forum.revision_revert",
)
REVERTIBLE_CLOSES = ("forum.question_close", "forum.question_close_duplicate")


def audit_entry_revertible(entry: AuditLogEntry) -> bool:
    if entry.action in REVERTIBLE_CLOSES:
        return True
    return entry.action in REVERTIBLE_EDITS and int(entry.data.get("revision") or 0) > 1


def audit_entry_revert(*, actor: Member, entry: AuditLogEntry, reason: str = "") -> None:
    """Undo what an audit entry records (staff and moderators, from the log)."""
    if not is_forum_moderator(actor):
        raise PermissionDenied(_("Only moderators can do this."))
    if not audit_entry_revertible(entry):
        raise ValidationError(_("This entry cannot be reverted."))
    post = entry.target
    if entry.action in REVERTIBLE_CLOSES:
        if not isinstance(post, Question):
            raise ValidationError(_("The question is gone."))
        if post.is_closed:
            question_reopen(actor=actor, question=post, reason=reason)
        return
    if not isinstance(post, Question | Answer):
        raise ValidationError(_("The post is gone."))
    previous = Revision.objects.filter(
        target_type=content_type(post),
        target_id=post.pk,
        number=int(entry.data["revision"]) - 1,
    ).first()
    if previous is None:
        raise ValidationError(_("The earlier version is gone."))
    revision_revert(actor=actor, post=post, revision=previous, reason=reason)


# --- closing and reopening ----------------------------------------------------------------


def _check_original(actor: Member, question: Question, original: Question | None) -> Question:
    if original is None:
        raise ValidationError(_("Name the question this one duplicates."))
    if original.pk == question.pk or original.duplicate_of_id == question.pk:
        raise ValidationError(_("A question cannot be a duplicate of itself."))
    if not can_name_as_original(actor, question, original):
        raise ValidationError(
            _("The original must be a question that everyone who can read this one can read.")
        )
    return original


def question_close_vote(
    *,
    actor: Member,
    question: Question,
    reason: str,
    duplicate_of: Question | None = None,
    note: str = "",
) -> bool:
    """Vote to close ``question`` as a duplicate (of ``duplicate_of``) or off-topic (``note``
    says why). The vote that reaches the community's number closes it (a moderator's vote
    closes it at once). Returns whether the question is now closed."""
    perms.check_can_vote_close(actor, question)
    moderation.check_can_post(actor)
    if reason not in CloseReason.values:
        raise ValidationError(_("Choose why the question should be closed."))
    if reason == CloseReason.DUPLICATE:
        duplicate_of = _check_original(actor, question, duplicate_of)
    else:
        duplicate_of = None
    needed = community_settings_get().close_votes_needed
    with transaction.atomic():
        question = lock_question(question)
        if question.is_closed:
            raise ValidationError(_("This question is already closed."))
        if CloseVote.objects.filter(
            question=question, member=actor, kind=CloseVote.Kind.CLOSE, is_open=True
        ).exists():
            raise ValidationError(_("You have already voted to close this question."))
        CloseVote.objects.create(
            question=question,
            member=actor,
            kind=CloseVote.Kind.CLOSE,
            reason=reason,
            duplicate_of=duplicate_of,
            note=note,
        )
        audit(
            actor=actor,
            action="forum.question_close_vote",
            target=question,
            reason=note,
            data={"reason": reason, "duplicate_of": duplicate_of.pk if duplicate_of else None},
        )
        votes = list(
            CloseVote.objects.filter(question=question, kind=CloseVote.Kind.CLOSE, is_open=True)
        )
        if len(votes) < needed and not is_forum_moderator(actor):
            return False
        _close(actor, question, votes)
    return True


def _close(actor: Member, question: Question, votes: list[CloseVote]) -> None:
    """Close for the reason most voters gave (the duplicate most of them named)."""
    reason = Counter(v.reason for v in votes).most_common(1)[0][0]
    chosen = [v for v in votes if v.reason == reason]
    duplicate_id = None
    if reason == CloseReason.DUPLICATE:
        duplicate_id = Counter(v.duplicate_of_id for v in chosen).most_common(1)[0][0]
    note = next((v.note for v in reversed(chosen) if v.note), "")
    now = timezone.now()
    Question.objects.filter(pk=question.pk).update(
        closed_at=now, close_reason=reason, close_note=note, duplicate_of_id=duplicate_id
    )
    question.closed_at, question.close_reason, question.close_note = now, reason, note
    question.duplicate_of_id = duplicate_id
    CloseVote.objects.filter(question=question, is_open=True).update(is_open=False)
    audit(
        actor=actor,
        action="forum.question_close",
        target=question,
        reason=note,
        data={
            "reason": reason,
            "duplicate_of": duplicate_id,
            "voters": [v.member_id for v in votes],
        },
    )


def question_reopen_vote(*, actor: Member, question: Question) -> bool:
    """Vote to reopen a closed question; the vote that reaches the number reopens it."""
    perms.check_can_vote_close(actor, question)
    moderation.check_can_post(actor)
    needed = community_settings_get().close_votes_needed
    with transaction.atomic():
        question = lock_question(question)
        if not question.is_closed:
            raise ValidationError(_("This question is open."))
        if CloseVote.objects.filter(
            question=question, member=actor, kind=CloseVote.Kind.REOPEN, is_open=True
        ).exists():
            raise ValidationError(_("You have already voted to reopen this question."))
        CloseVote.objects.create(question=question, member=actor, kind=CloseVote.Kind.REOPEN)
        audit(actor=actor, action="forum.question_reopen_vote", target=question)
        voters = list(
            CloseVote.objects.filter(
                question=question, kind=CloseVote.Kind.REOPEN, is_open=True
            ).values_list("member_id", flat=True)
        )
        if len(voters) < needed and not is_forum_moderator(actor):
            return False
        question_reopen_apply(question)
        audit(
            actor=actor,
            action="forum.question_reopen",
            target=question,
            data={"voters": voters},
        )
    return True
