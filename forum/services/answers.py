"""Answers: answering, editing, and accepting one as the solution."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from config.markdown import render_markdown
from members.models import Member
from moderation.content import ModerationState
from search.vectors import vector_update
from uploads.registry import draft_key
from uploads.services_drafts import draft_discard

from ..hooks import answer_accepted, answer_published
from ..models import Answer, Question, ReputationEvent, Revision
from ..permissions import privileges
from ..permissions import questions as perms
from .common import REPUTATION_ACCEPTED, audit, credit_contribution, hold, lock_question, screen
from .notifications import notify, notify_mentioned, question_followers
from .revisions import revision_add
from .watching import answer_watchers_notify


def answer_create(*, author: Member, question: Question, body: str) -> Answer:
    perms.check_can_answer(author, question)
    screening = screen(author=author, text=body, kind="answer")
    with transaction.atomic():
        answer = Answer.objects.create(
            question=question,
            author=author,
            body=body,
            body_html=render_markdown(body),
            is_official=author.is_staff,
            moderation_state=ModerationState.HELD if screening.hold else ModerationState.PUBLISHED,
        )
        vector_update(Answer.objects.filter(pk=answer.pk), title=None)
        draft_discard(member=author, key=draft_key("answer", question.pk))  # posted: no draft
        if screening.hold:
            hold(target=answer, author=author, reasons=screening.reasons)
        else:
            answer_on_publish(answer)
    return answer


def answer_on_publish(answer: Answer) -> None:
    """An answer became visible: question counters and activity, referral credit, followers
    and mentioned members told."""
    now = timezone.now()
    question = answer.question
    updates = {"answer_count": F("answer_count") + 1, "last_activity_at": now}
    Question.objects.filter(pk=question.pk).update(**updates)
    Question.objects.filter(pk=question.pk, first_answered_at__isnull=True).update(
        first_answered_at=answer.created_at
    )
    if answer.is_official:
        Question.objects.filter(pk=question.pk, official_answered_at__isnull=True).update(
            official_answered_at=answer.created_at
        )
    credit_contribution(answer.author)
    url = answer.get_absolute_url()
    followers = question_followers(question)
    notify(
        recipients=followers,
        kind="answer_new",
        actor=answer.author,
        question=question,
        url=url,
        target=answer,
    )
    mentioned = notify_mentioned(post=answer, question=question, url=url)
    answer_watchers_notify(answer, already=[m.pk for m in [*followers, *mentioned]])
    answer_published.send(sender=Answer, answer=answer)


def answer_update(*, actor: Member, answer: Answer, body: str, reason: str = "") -> Answer:
    """An edit by the author, a moderator or a member at the edit level (docs/privileges.md)."""
    privileges.check_can_edit_directly(actor, answer)
    with transaction.atomic():
        answer = Answer.objects.select_for_update().get(pk=answer.pk)
        revision = answer_edit_apply(answer=answer, editor=actor, body=body, reason=reason)
        if actor.pk != answer.author_id:
            audit(
                actor=actor,
                action="forum.answer_edit",
                target=answer,
                reason=reason,
                data={"revision": revision.number},
            )
    return answer


def answer_edit_apply(*, answer: Answer, editor: Member, body: str, reason: str) -> Revision:
    """Store the new text as a revision by ``editor``. The caller checked the permission,
    holds the answer's row lock and writes the audit row."""
    revision = revision_add(post=answer, editor=editor, title="", body=body, reason=reason)
    answer.body = body
    answer.body_html = render_markdown(body)
    answer.edited_at = timezone.now()
    answer.save(update_fields=["body", "body_html", "edited_at"])
    vector_update(Answer.objects.filter(pk=answer.pk), title=None)
    # Members the edit newly mentions (also an approved suggestion or a revert).
    notify_mentioned(post=answer, question=answer.question, url=answer.get_absolute_url())
    return revision


# --- accepting ----------------------------------------------------------------------------


def answer_accept(*, actor: Member, answer: Answer) -> Answer:
    """Mark ``answer`` as the accepted one (replacing any other); the answer's author gains
    reputation unless they asked the question."""
    question = answer.question
    perms.check_can_accept_answer(actor, question)
    if not answer.is_published or answer.is_deleted:
        raise PermissionDenied(_("This answer cannot be accepted."))
    with transaction.atomic():
        question = lock_question(question)
        if question.accepted_answer_id == answer.pk:
            return answer
        if question.accepted_answer_id:
            accepted_answer_clear(question)
        now = timezone.now()
        Answer.objects.filter(pk=answer.pk).update(is_accepted=True, accepted_at=now)
        Question.objects.filter(pk=question.pk).update(
            accepted_answer=answer, solved_at=now, last_activity_at=now
        )
        answer.is_accepted, answer.accepted_at = True, now
        if answer.author_id and answer.author_id != question.author_id:
            Member.objects.filter(pk=answer.author_id).update(
                reputation=F("reputation") + REPUTATION_ACCEPTED
            )
            ReputationEvent.objects.create(
                member_id=answer.author_id,
                delta=REPUTATION_ACCEPTED,
                answer=answer,
                question=question,
                reason=ReputationEvent.Reason.ANSWER_ACCEPTED,
            )
        if answer.author is not None:
            notify(
                recipients=[answer.author],
                kind="answer_accepted",
                actor=actor,
                question=question,
                url=answer.get_absolute_url(),
                target=answer,
            )
        if actor.pk != question.author_id:
            audit(actor=actor, action="forum.answer_accept", target=answer)
        answer_accepted.send(sender=Answer, answer=answer, actor=actor)
    return answer


def accepted_answer_clear(question: Question) -> None:
    """Withdraw the question's accepted answer and the reputation it earned. The caller holds
    the question's row lock (``lock_question``) and has checked it has an accepted answer."""
    if question.accepted_answer_id is None:
        raise ValueError("accepted_answer_clear: the question has no accepted answer")
    previous = Answer.objects.get(pk=question.accepted_answer_id)
    Answer.objects.filter(pk=previous.pk).update(is_accepted=False, accepted_at=None)
    Question.objects.filter(pk=question.pk).update(accepted_answer=None, solved_at=None)
    if previous.author_id and previous.author_id != question.author_id:
        Member.objects.filter(pk=previous.author_id).update(
            reputation=F("reputation") - REPUTATION_ACCEPTED
        )
        ReputationEvent.objects.create(
            member_id=previous.author_id,
            delta=-REPUTATION_ACCEPTED,
            answer=previous,
            question=question,
            reason=ReputationEvent.Reason.ANSWER_ACCEPTED,
        )


def answer_unaccept(*, actor: Member, question: Question) -> None:
    perms.check_can_accept_answer(actor, question)
    with transaction.atomic():
        question = lock_question(question)
        if question.accepted_answer_id:
            accepted_answer_clear(question)


def answer_search_index_all() -> None:
    """Refresh the stored search vector of every answer (PostgreSQL; SQLite searches with
    LIKE). An answer has no title of its own."""
    vector_update(Answer.objects.all(), title=None)
