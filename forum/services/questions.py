"""Q&A writes: asking, answering, commenting, voting, accepting, editing, moderating,
following, and the reminder and digest sweeps.

Every posting service goes through ``moderation.services.check_can_post`` and
``content_screen``; a held post is stored with state HELD and queued, and its publishing side
effects (counters, referral credit, notifications) run only when it is published, immediately
or on approval (the ``*_on_publish`` callbacks registered in ``ForumConfig.ready``).
"""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from config.db import counter_increment
from config.markdown import plain_text, render_markdown
from members.hooks import member_contributed
from members.models import Member
from moderation.content import ModerationState

from .. import search
from ..models import (
    Answer,
    AnswerVote,
    Category,
    Comment,
    Follow,
    Question,
    QuestionVote,
    ReputationEvent,
    Revision,
    Tag,
)
from ..permissions import questions as perms

REPUTATION_UP = 1
REPUTATION_DOWN = -1
REPUTATION_ACCEPTED = 5
MAX_TAGS = 5
_MENTION_RE = re.compile(r"(?<![\w@])@([\w.+-]{2,150})")


def accept_reminder_days() -> int:
    return int(getattr(settings, "FORUM_ACCEPT_REMINDER_DAYS", 3))


def staff_reply_hours() -> int:
    return int(getattr(settings, "FORUM_STAFF_REPLY_HOURS", 48))


# --- helpers ------------------------------------------------------------------------------


def _ct(model_or_obj) -> ContentType:
    return ContentType.objects.get_for_model(model_or_obj)


def _screen(*, author: Member, text: str, kind: str):
    from moderation import services as moderation

    moderation.check_can_post(author)
    return moderation.content_screen(author=author, text=text, kind=kind)


def _hold(*, target, author: Member, reasons: list[str]) -> None:
    from moderation import services as moderation

    moderation.content_held(target=target, author=author, reasons=reasons)


def _audit(*, actor: Member, action: str, target, reason: str = "", data: dict | None = None):
    from moderation import services as moderation

    moderation.audit_log_write(
        actor=actor,
        action=action,
        target=target,
        member=getattr(target, "author", None),
        reason=reason,
        data=data or {},
    )


def _credit_contribution(author: Member | None) -> None:
    if author is None:
        return
    member_contributed.send(sender=Member, member=author)


def _mentioned(body: str, *, exclude=()) -> list[Member]:
    names = {m.group(1).rstrip(".") for m in _MENTION_RE.finditer(body or "")}
    if not names:
        return []
    return list(
        Member.objects.filter(username__in=list(names)[:20], is_active=True).exclude(
            pk__in=[pk for pk in exclude if pk]
        )
    )


def _followers(question: Question) -> list[Member]:
    return list(
        Member.objects.filter(
            follows__target_type=_ct(Question), follows__target_id=question.pk, is_active=True
        )
    )


def _notify(*, recipients, kind: str, actor, question: Question, url: str, target) -> None:
    from members.services import notification_send

    notification_send(
        recipients=recipients,
        kind=kind,
        actor=actor,
        params={"title": question.title},
        url=url,
        target=target,
    )


def tags_resolve(names: list[str]) -> list[Tag]:
    """Existing tags by name or slug; unknown names become new tags."""
    wanted: dict[str, str] = {}
    for name in names:
        name = name.strip()[:50]
        slug = slugify(name)[:50]
        if slug and slug not in wanted:
            wanted[slug] = name
    wanted = dict(list(wanted.items())[:MAX_TAGS])
    existing = {t.slug: t for t in Tag.objects.filter(slug__in=list(wanted))}
    for slug, name in wanted.items():
        if slug not in existing:
            tag, _created = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
            existing[slug] = tag
    return [existing[s] for s in wanted]


def _revision_add(*, post, editor: Member, title: str, body: str, reason: str) -> Revision:
    """Revisions are kept lazily: the first edit stores the original as revision 1."""
    ct = _ct(post)
    last = Revision.objects.filter(target_type=ct, target_id=post.pk).order_by("-number").first()
    number = 1
    if last is None:
        Revision.objects.create(
            target_type=ct,
            target_id=post.pk,
            number=1,
            author_id=post.author_id,
            title=getattr(post, "title", ""),
            body=post.body,
            created_at=post.created_at,
        )
        number = 2
    else:
        number = last.number + 1
    return Revision.objects.create(
        target_type=ct,
        target_id=post.pk,
        number=number,
        author=editor,
        title=title,
        body=body,
        reason=reason,
    )


def _lock_question(question: Question) -> Question:
    return Question.objects.select_for_update().get(pk=question.pk)


# --- questions ----------------------------------------------------------------------------


def question_create(
    *, author: Member, category: Category, title: str, body: str, tags: list[str] | None = None
) -> Question:
    perms.check_can_ask(author, category)
    screening = _screen(author=author, text=f"{title}\n{body}", kind="question")
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
        search.vector_update(Question.objects.filter(pk=question.pk))
        Follow.objects.create(member=author, target_type=_ct(Question), target_id=question.pk)
        Question.objects.filter(pk=question.pk).update(follower_count=1)
        question.follower_count = 1
        if screening.hold:
            _hold(target=question, author=author, reasons=screening.reasons)
        else:
            question_on_publish(question)
    return question


def question_on_publish(question: Question) -> None:
    """A question became visible: tag counters, referral credit, @mention notifications."""
    Tag.objects.filter(questions=question).update(question_count=F("question_count") + 1)
    _credit_contribution(question.author)
    mentioned = _mentioned(question.body, exclude=[question.author_id])
    if mentioned:
        _notify(
            recipients=mentioned,
            kind="mention",
            actor=question.author,
            question=question,
            url=question.get_absolute_url(),
            target=question,
        )


def question_update(
    *,
    actor: Member,
    question: Question,
    title: str,
    body: str,
    tags: list[str] | None = None,
    reason: str = "",
) -> Question:
    perms.check_can_edit_post(actor, question)
    with transaction.atomic():
        question = _lock_question(question)
        _revision_add(post=question, editor=actor, title=title, body=body, reason=reason)
        old_tags = set(question.tags.values_list("pk", flat=True))
        question.title = title.strip()
        question.slug = slugify(title, allow_unicode=True)[:200] or "q"
        question.body = body
        question.body_html = render_markdown(body)
        question.edited_at = timezone.now()
        question.save(update_fields=["title", "slug", "body", "body_html", "edited_at"])
        if tags is not None:
            new_tags = tags_resolve(tags)
            question.tags.set(new_tags)
            if question.is_published and not question.is_deleted:
                new_ids = {t.pk for t in new_tags}
                Tag.objects.filter(pk__in=new_ids - old_tags).update(
                    question_count=F("question_count") + 1
                )
                Tag.objects.filter(pk__in=old_tags - new_ids, question_count__gt=0).update(
                    question_count=F("question_count") - 1
                )
        search.vector_update(Question.objects.filter(pk=question.pk))
        if actor.pk != question.author_id:
            _audit(actor=actor, action="forum.question_edit", target=question, reason=reason)
    return question


# --- answers ------------------------------------------------------------------------------


def answer_create(*, author: Member, question: Question, body: str) -> Answer:
    perms.check_can_answer(author, question)
    screening = _screen(author=author, text=body, kind="answer")
    with transaction.atomic():
        answer = Answer.objects.create(
            question=question,
            author=author,
            body=body,
            body_html=render_markdown(body),
            is_official=author.is_staff,
            moderation_state=ModerationState.HELD if screening.hold else ModerationState.PUBLISHED,
        )
        search.vector_update(Answer.objects.filter(pk=answer.pk), title=None)
        if screening.hold:
            _hold(target=answer, author=author, reasons=screening.reasons)
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
    _credit_contribution(answer.author)
    url = answer.get_absolute_url()
    _notify(
        recipients=_followers(question),
        kind="answer_new",
        actor=answer.author,
        question=question,
        url=url,
        target=answer,
    )
    mentioned = _mentioned(answer.body, exclude=[answer.author_id])
    if mentioned:
        _notify(
            recipients=mentioned,
            kind="mention",
            actor=answer.author,
            question=question,
            url=url,
            target=answer,
        )


def answer_update(*, actor: Member, answer: Answer, body: str, reason: str = "") -> Answer:
    perms.check_can_edit_post(actor, answer)
    with transaction.atomic():
        answer = Answer.objects.select_for_update().get(pk=answer.pk)
        _revision_add(post=answer, editor=actor, title="", body=body, reason=reason)
        answer.body = body
        answer.body_html = render_markdown(body)
        answer.edited_at = timezone.now()
        answer.save(update_fields=["body", "body_html", "edited_at"])
        search.vector_update(Answer.objects.filter(pk=answer.pk), title=None)
        if actor.pk != answer.author_id:
            _audit(actor=actor, action="forum.answer_edit", target=answer, reason=reason)
    return answer


# --- comments -----------------------------------------------------------------------------


def _comment_question(target) -> Question:
    return target if isinstance(target, Question) else target.question


def comment_create(*, author: Member, target: Question | Answer, body: str) -> Comment:
    question = _comment_question(target)
    perms.check_can_comment(author, question)
    screening = _screen(author=author, text=body, kind="comment")
    with transaction.atomic():
        comment = Comment.objects.create(
            author=author,
            target_type=_ct(target),
            target_id=target.pk,
            body=body,
            body_html=render_markdown(body),
            moderation_state=ModerationState.HELD if screening.hold else ModerationState.PUBLISHED,
        )
        comment.target = target
        if screening.hold:
            _hold(target=comment, author=author, reasons=screening.reasons)
        else:
            comment_on_publish(comment)
    return comment


def comment_on_publish(comment: Comment) -> None:
    """A comment became visible: the author is credited for every comment; comments on
    questions and answers are counted and announced here. Comments on other apps' content
    are theirs to handle (``moderation.registry.register_on_publish``)."""
    _credit_contribution(comment.author)
    target = comment.target
    if not isinstance(target, Question | Answer):
        return
    question = _comment_question(target)
    type(target).objects.filter(pk=target.pk).update(comment_count=F("comment_count") + 1)
    Question.objects.filter(pk=question.pk).update(last_activity_at=timezone.now())
    url = f"{question.get_absolute_url()}#comment-{comment.pk}"
    recipients = _followers(question)
    if isinstance(target, Answer) and target.author is not None:
        recipients.append(target.author)
    _notify(
        recipients=recipients,
        kind="comment_new",
        actor=comment.author,
        question=question,
        url=url,
        target=comment,
    )
    mentioned = _mentioned(comment.body, exclude=[comment.author_id])
    if mentioned:
        _notify(
            recipients=mentioned,
            kind="mention",
            actor=comment.author,
            question=question,
            url=url,
            target=comment,
        )


def comment_update(*, actor: Member, comment: Comment, body: str, reason: str = "") -> Comment:
    perms.check_can_edit_post(actor, comment)
    with transaction.atomic():
        _revision_add(post=comment, editor=actor, title="", body=body, reason=reason)
        comment.body = body
        comment.body_html = render_markdown(body)
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "body_html", "edited_at"])
        if actor.pk != comment.author_id:
            _audit(actor=actor, action="forum.comment_edit", target=comment, reason=reason)
    return comment


# --- votes --------------------------------------------------------------------------------


def vote_cast(*, member: Member, post: Question | Answer, value: int) -> int:
    """Set the member's vote on a question or answer to +1, -1 or 0 (withdrawn). Score and the
    author's reputation move by the difference, with F() updates, so concurrent votes add up;
    the unique constraint makes a double vote count once. Returns the new score."""
    if value not in (1, -1, 0):
        raise ValueError("vote value must be 1, -1 or 0")
    if value != 0:
        perms.check_can_vote(member, post, value)
    elif not getattr(member, "is_authenticated", False):
        perms.check_can_vote(member, post, value)
    is_question = isinstance(post, Question)
    vote_model = QuestionVote if is_question else AnswerVote
    key = "question" if is_question else "answer"
    with transaction.atomic():
        existing = (
            vote_model.objects.select_for_update().filter(**{key: post, "member": member}).first()
        )
        if existing is None and value != 0:
            try:
                with transaction.atomic():
                    vote_model.objects.create(**{key: post, "member": member, "value": value})
                old = 0
            except IntegrityError:  # a concurrent request of the same member won
                existing = vote_model.objects.select_for_update().get(
                    **{key: post, "member": member}
                )
        if existing is not None:
            old = existing.value
            if value == 0:
                existing.delete()
            elif value != old:
                existing.value = value
                existing.save(update_fields=["value"])
        elif value == 0:
            old = 0
        delta = value - old
        if delta:
            type(post).objects.filter(pk=post.pk).update(score=F("score") + delta)
            rep = _vote_reputation(value) - _vote_reputation(old)
            if rep and post.author_id:
                Member.objects.filter(pk=post.author_id).update(reputation=F("reputation") + rep)
                ReputationEvent.objects.create(
                    member_id=post.author_id,
                    delta=rep,
                    reason=ReputationEvent.Reason.QUESTION_VOTE
                    if is_question
                    else ReputationEvent.Reason.ANSWER_VOTE,
                    question=post if is_question else None,
                    answer=None if is_question else post,
                )
        return type(post).objects.values_list("score", flat=True).get(pk=post.pk)


def _vote_reputation(value: int) -> int:
    return {1: REPUTATION_UP, -1: REPUTATION_DOWN}.get(value, 0)


def vote_get(*, member: Member, post: Question | Answer) -> int:
    if isinstance(post, Question):
        qs = QuestionVote.objects.filter(question=post, member=member)
    else:
        qs = AnswerVote.objects.filter(answer=post, member=member)
    return qs.values_list("value", flat=True).first() or 0


# --- accepting ----------------------------------------------------------------------------


def answer_accept(*, actor: Member, answer: Answer) -> Answer:
    """Mark ``answer`` as the accepted one (replacing any other); the answer's author gains
    reputation unless they asked the question."""
    question = answer.question
    perms.check_can_accept_answer(actor, question)
    if not answer.is_published or answer.is_deleted:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("This answer cannot be accepted."))
    with transaction.atomic():
        question = _lock_question(question)
        if question.accepted_answer_id == answer.pk:
            return answer
        if question.accepted_answer_id:
            _unaccept(question)
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
            _notify(
                recipients=[answer.author],
                kind="answer_accepted",
                actor=actor,
                question=question,
                url=answer.get_absolute_url(),
                target=answer,
            )
        if actor.pk != question.author_id:
            _audit(actor=actor, action="forum.answer_accept", target=answer)
    return answer


def _unaccept(question: Question) -> None:
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
        question = _lock_question(question)
        if question.accepted_answer_id:
            _unaccept(question)


# --- following ----------------------------------------------------------------------------


def question_follow(*, member: Member, question: Question) -> bool:
    if not getattr(member, "is_authenticated", False):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Please log in to follow."))
    with transaction.atomic():
        _follow, created = Follow.objects.get_or_create(
            member=member, target_type=_ct(Question), target_id=question.pk
        )
        if created:
            Question.objects.filter(pk=question.pk).update(follower_count=F("follower_count") + 1)
    return created


def question_unfollow(*, member: Member, question: Question) -> bool:
    with transaction.atomic():
        deleted, _rows = Follow.objects.filter(
            member=member, target_type=_ct(Question), target_id=question.pk
        ).delete()
        if deleted:
            Question.objects.filter(pk=question.pk, follower_count__gt=0).update(
                follower_count=F("follower_count") - 1
            )
    return bool(deleted)


# --- moderator actions --------------------------------------------------------------------


def question_lock(
    *, actor: Member, question: Question, locked: bool = True, reason: str = ""
) -> Question:
    perms.check_can_moderate_forum(actor)
    with transaction.atomic():
        Question.objects.filter(pk=question.pk).update(is_locked=locked)
        question.is_locked = locked
        _audit(
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
        _audit(
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
    from django.core.exceptions import ValidationError

    perms.check_can_moderate_forum(actor)
    if duplicate_of.pk == question.pk or duplicate_of.duplicate_of_id == question.pk:
        raise ValidationError(_("A question cannot be a duplicate of itself."))
    with transaction.atomic():
        now = timezone.now()
        Question.objects.filter(pk=question.pk).update(duplicate_of=duplicate_of, closed_at=now)
        question.duplicate_of, question.closed_at = duplicate_of, now
        _audit(
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
        Question.objects.filter(pk=question.pk).update(duplicate_of=None, closed_at=None)
        question.duplicate_of, question.closed_at = None, None
        _audit(actor=actor, action="forum.question_reopen", target=question, reason=reason)
    return question


def _counts_change(post, sign: int) -> None:
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
            rows = type(target).objects.filter(pk=target.pk)
            if sign < 0:
                rows = rows.filter(comment_count__gt=0)
            rows.update(comment_count=F("comment_count") + sign)


def post_delete(*, actor: Member, post, reason: str = "") -> None:
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
            question = _lock_question(post.question)
            if question.accepted_answer_id == post.pk:
                _unaccept(question)
                post.is_accepted = False
        type(post).objects.filter(pk=post.pk).update(deleted_at=timezone.now())
        _counts_change(post, -1)
        post.deleted_at = timezone.now()
        if actor.pk != post.author_id:
            _audit(
                actor=actor,
                action=f"forum.{post._meta.model_name}_delete",
                target=post,
                reason=reason,
            )


def post_restore(*, actor: Member, post, reason: str = "") -> None:
    perms.check_can_moderate_forum(actor)
    if post.deleted_at is None:
        return
    with transaction.atomic():
        type(post).objects.filter(pk=post.pk).update(deleted_at=None)
        post.deleted_at = None
        _counts_change(post, +1)
        _audit(
            actor=actor, action=f"forum.{post._meta.model_name}_restore", target=post, reason=reason
        )


# --- counters -----------------------------------------------------------------------------


def question_view_record(*, question_id: int) -> None:
    counter_increment(Question, question_id, "view_count")


def question_synchronize(*, question: Question) -> Question:
    """Recompute a question's denormalized counters (and its answers') from source rows."""
    from django.db.models import Sum

    live = Q(moderation_state=ModerationState.PUBLISHED, deleted_at__isnull=True)
    with transaction.atomic():
        answers = Answer.objects.filter(question=question)
        for answer in answers:
            Answer.objects.filter(pk=answer.pk).update(
                score=AnswerVote.objects.filter(answer=answer).aggregate(s=Sum("value"))["s"] or 0,
                comment_count=Comment.objects.filter(
                    live, target_type=_ct(Answer), target_id=answer.pk
                ).count(),
            )
        Question.objects.filter(pk=question.pk).update(
            score=QuestionVote.objects.filter(question=question).aggregate(s=Sum("value"))["s"]
            or 0,
            answer_count=answers.filter(live).count(),
            comment_count=Comment.objects.filter(
                live, target_type=_ct(Question), target_id=question.pk
            ).count(),
            follower_count=Follow.objects.filter(
                target_type=_ct(Question), target_id=question.pk
            ).count(),
        )
    question.refresh_from_db()
    return question


def tags_synchronize() -> int:
    from django.db.models import Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    counts = (
        Question.objects.filter(
            tags=OuterRef("pk"), moderation_state=ModerationState.PUBLISHED, deleted_at__isnull=True
        )
        .order_by()
        .values("tags")
        .annotate(c=Count("pk"))
        .values("c")
    )
    return Tag.objects.update(question_count=Coalesce(Subquery(counts), 0))


# --- sweeps -------------------------------------------------------------------------------


def accept_reminder_sweep(*, now=None) -> int:
    """Remind each asker once whose question has answers but none accepted after the set
    number of days. The conditional update claims a question so two sweeps never both send."""
    now = now or timezone.now()
    due = Question.objects.filter(
        moderation_state=ModerationState.PUBLISHED,
        deleted_at__isnull=True,
        accepted_answer__isnull=True,
        answer_count__gt=0,
        accept_reminder_sent_at__isnull=True,
        closed_at__isnull=True,
        author__isnull=False,
        first_answered_at__lte=now - timedelta(days=accept_reminder_days()),
    ).select_related("author")
    sent = 0
    for question in due[:500]:
        with transaction.atomic():
            claimed = Question.objects.filter(
                pk=question.pk, accept_reminder_sent_at__isnull=True
            ).update(accept_reminder_sent_at=now)
            if not claimed:
                continue
            _notify(
                recipients=[question.author],
                kind="accept_reminder",
                actor=None,
                question=question,
                url=question.get_absolute_url(),
                target=question,
            )
            sent += 1
    return sent


def unanswered_digest_send(*, now=None, days: int = 7, per_member: int = 10) -> int:
    """E-mail each member who opted in the recent unanswered questions tagged with their
    areas of expertise. A constant number of queries plus the outbox insert."""
    from members.models import Expertise
    from members.services import email_build, email_enqueue, wants_email

    now = now or timezone.now()
    questions = list(
        perms.questions_public()
        .filter(answer_count=0, closed_at__isnull=True, created_at__gte=now - timedelta(days=days))
        .prefetch_related("tags")
        .order_by("-created_at")[:500]
    )
    by_slug: dict[str, list[Question]] = {}
    for question in questions:
        for tag in question.tags.all():
            by_slug.setdefault(tag.slug, []).append(question)
    if not by_slug:
        return 0
    member_slugs: dict[int, set[str]] = {}
    for member_id, slug in Expertise.objects.filter(
        tag_slug__in=list(by_slug),
        member__digest_opt_in=True,
        member__is_active=True,
        member__banned_at__isnull=True,
    ).values_list("member_id", "tag_slug"):
        member_slugs.setdefault(member_id, set()).add(slug)
    emails = []
    for member in Member.objects.filter(pk__in=list(member_slugs)):
        if not wants_email(member, "digest"):
            continue
        picked: list[Question] = []
        for slug in sorted(member_slugs[member.pk]):
            for question in by_slug[slug]:
                if question not in picked and question.author_id != member.pk:
                    picked.append(question)
        picked = sorted(picked, key=lambda q: q.created_at, reverse=True)[:per_member]
        if not picked:
            continue
        emails.append(
            email_build(
                member=member,
                kind="digest",
                subject=_("Unanswered questions you could help with"),
                template="forum/email/unanswered_digest.txt",
                context={
                    "questions": [
                        {
                            "title": q.title,
                            "url": settings.SITE_URL + q.get_absolute_url(),
                            "excerpt": plain_text(q.body, 160),
                        }
                        for q in picked
                    ]
                },
            )
        )
    email_enqueue(emails)
    return len(emails)
