"""Writes of the idea board: posting, voting, following, comments, status changes, review,
merging, and the bridge to questions.

Every service takes the acting member, checks permission inside and runs in one transaction.
Counters move with F(); ``idea_synchronize`` recomputes them from the rows.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from config.markdown import render_markdown
from forum.models import Category, Comment, Follow, Question

# Other apps' services by module, so their implementations (and test doubles) are found
# at call time.
from members.hooks import member_contributed
from members.models import Member
from members.services import notification_send
from moderation import services as moderation
from moderation.content import ModerationState
from moderation.models import QueueItem
from search.vectors import vector_update
from uploads.registry import draft_key
from uploads.services_drafts import draft_discard

from . import permissions as perms
from .hooks import idea_published, idea_status_changed
from .models import (
    CLOSED_STATUSES,
    TRENDING_DAYS,
    Idea,
    IdeaQuestionLink,
    IdeaStatus,
    IdeaStatusChange,
    IdeaVote,
)
from .services_mentions import idea_comment_mentions_notify, idea_mentions_notify
from .services_watching import idea_watchers_notify

REVIEW_QUEUE = "new_ideas"


def _idea_type() -> ContentType:
    return ContentType.objects.get_for_model(Idea)


def _follow(member_ids: Iterable[int | None], idea: Idea) -> None:
    ids = {pk for pk in member_ids if pk}
    if ids:
        ct = _idea_type()
        Follow.objects.bulk_create(
            [Follow(member_id=pk, target_type=ct, target_id=idea.pk) for pk in ids],
            ignore_conflicts=True,
        )


def idea_search_index(idea_ids: Iterable[int]) -> None:
    """Refresh the stored search vector (PostgreSQL only; SQLite searches with LIKE)."""
    _search_index(Idea.objects.filter(pk__in=list(idea_ids)))


def idea_search_index_all() -> None:
    _search_index(Idea.objects.all())


def _search_index(queryset: QuerySet[Idea]) -> None:
    vector_update(queryset, title="title", body="description")


# --- posting --------------------------------------------------------------------------------


def idea_create(*, actor: Member, title: str, description: str, category: Category) -> Idea:
    """Post an idea. New members' and suspicious ideas are held for approval; a published
    idea enters the staff review queue."""
    moderation.check_can_post(actor)
    if category.ambassadors_only and not (actor.is_staff or actor.badge == "ambassador"):
        raise PermissionDenied(_("Only ambassadors can post in this category."))
    screening = moderation.content_screen(
        author=actor, text=f"{title}\n\n{description}", kind="idea"
    )
    now = timezone.now()
    with transaction.atomic():
        idea = Idea.objects.create(
            title=title.strip(),
            slug=slugify(title, allow_unicode=True)[:150],
            description=description,
            description_html=render_markdown(description),
            category=category,
            author=actor,
            created_at=now,
            updated_at=now,
            status_changed_at=now,
            moderation_state=(
                ModerationState.HELD if screening.hold else ModerationState.PUBLISHED
            ),
        )
        _follow([actor.pk], idea)
        idea_search_index([idea.pk])
        draft_discard(member=actor, key=draft_key("idea"))  # posted: no draft
        if screening.hold:
            moderation.content_held(target=idea, author=actor, reasons=screening.reasons)
        else:
            idea_on_publish(idea)
    return idea


def idea_on_publish(idea: Idea) -> None:
    """Runs when an idea becomes public (at posting, or when a moderator approves it)."""
    if idea.author_id:
        member_contributed.send(sender=Member, member=idea.author)
    if idea.status == IdeaStatus.NEW:
        moderation.queue_item_add(
            queue=REVIEW_QUEUE, target=idea, member=idea.author, reason=idea.title[:200]
        )
    mentioned = idea_mentions_notify(idea)
    idea_watchers_notify(idea, actor=idea.author, already=[m.pk for m in mentioned])
    idea_published.send(sender=Idea, idea=idea)


# --- votes and following --------------------------------------------------------------------


def idea_vote_cast(*, actor: Member, idea: Idea) -> bool:
    """Vote for an idea; False when the member had already voted. The unique constraint
    decides under concurrency, so the count moves exactly once per member."""
    perms.check_can_vote_idea(actor, idea)
    with transaction.atomic():
        try:
            with transaction.atomic():
                IdeaVote.objects.create(idea=idea, member=actor)
        except IntegrityError:
            return False
        _count_vote(idea, +1, recent=True)
        _follow([actor.pk], idea)
    idea.vote_count += 1
    idea.recent_vote_count += 1
    return True


def idea_vote_withdraw(*, actor: Member, idea: Idea) -> bool:
    perms.check_can_vote_idea(actor, idea)
    with transaction.atomic():
        vote = IdeaVote.objects.filter(idea=idea, member=actor).first()
        if vote is None:
            return False
        deleted, _rows = IdeaVote.objects.filter(pk=vote.pk).delete()
        if not deleted:  # a concurrent withdrawal won
            return False
        recent = vote.created_at >= timezone.now() - timedelta(days=TRENDING_DAYS)
        _count_vote(idea, -1, recent=recent)
    idea.vote_count = max(0, idea.vote_count - 1)
    return True


def _count_vote(idea: Idea, delta: int, *, recent: bool) -> None:
    """Move the counters only while voting is still open: a merge or a decision committed
    since the idea was read (its row lock makes this wait) rolls the vote back."""
    changes: dict[str, Combinable] = {"vote_count": F("vote_count") + delta}
    if recent:
        changes["recent_vote_count"] = Greatest(F("recent_vote_count") + delta, 0)
    moved = (
        Idea.objects.filter(pk=idea.pk, merged_into__isnull=True)
        .exclude(status__in=CLOSED_STATUSES)
        .update(**changes)
    )
    if not moved:
        raise PermissionDenied(_("Voting on this idea is closed."))


def idea_follow(*, actor: Member, idea: Idea) -> None:
    perms.check_can_follow_idea(actor, idea)
    _follow([actor.pk], idea)


def idea_unfollow(*, actor: Member, idea: Idea) -> None:
    perms.check_can_follow_idea(actor, idea)
    Follow.objects.filter(member=actor, target_type=_idea_type(), target_id=idea.pk).delete()


# --- comments -------------------------------------------------------------------------------


def idea_comment_add(*, actor: Member, idea: Idea, body: str) -> Comment:
    moderation.check_can_post(actor)
    if not perms.can_comment_idea(actor, idea):
        raise PermissionDenied(_("Comments on this idea are closed."))
    screening = moderation.content_screen(author=actor, text=body, kind="comment")
    with transaction.atomic():
        comment = Comment.objects.create(
            author=actor,
            target_type=_idea_type(),
            target_id=idea.pk,
            body=body,
            body_html=render_markdown(body),
            moderation_state=(
                ModerationState.HELD if screening.hold else ModerationState.PUBLISHED
            ),
        )
        _follow([actor.pk], idea)
        if screening.hold:
            moderation.content_held(target=comment, author=actor, reasons=screening.reasons)
        else:
            idea_comment_on_publish(comment, idea=idea)
    return comment


def comment_on_publish(comment: Comment) -> None:
    """The ideas' extra ``on_publish`` for comments (``register_on_publish``), run after the
    forum's own, which already credited the author: a comment on an idea is counted and
    announced to the idea's followers; comments on anything else are left alone."""
    if comment.target_type_id != _idea_type().pk:
        return
    idea = Idea.objects.filter(pk=comment.target_id).first()
    if idea is not None:
        idea_comment_on_publish(comment, idea=idea, credit=False)


def idea_comment_on_publish(comment: Comment, *, idea: Idea, credit: bool = True) -> None:
    """A comment on an idea became public: count it, credit the author, tell the followers."""
    Idea.objects.filter(pk=idea.pk).update(
        comment_count=F("comment_count") + 1, updated_at=timezone.now()
    )
    if credit and comment.author_id:
        member_contributed.send(sender=Member, member=comment.author)
    follower_ids = Follow.objects.filter(target_type=_idea_type(), target_id=idea.pk).values_list(
        "member_id", flat=True
    )
    notification_send(
        recipients=Member.objects.filter(pk__in=follower_ids, is_active=True),
        kind="idea_comment",
        actor=comment.author,
        params={"title": idea.title},
        url=f"{idea.get_absolute_url()}#comment-{comment.pk}",
        target=idea,
    )
    idea_comment_mentions_notify(comment, idea=idea)


# --- status ---------------------------------------------------------------------------------


def _interested_ids(idea: Idea, *, with_askers: bool) -> set[int]:
    ids = set(IdeaVote.objects.filter(idea=idea).values_list("member_id", flat=True))
    ids.update(
        Follow.objects.filter(target_type=_idea_type(), target_id=idea.pk).values_list(
            "member_id", flat=True
        )
    )
    if with_askers:
        ids.update(_linked_asker_ids(idea))
    return ids


def _linked_asker_ids(idea: Idea) -> set[int]:
    return set(
        IdeaQuestionLink.objects.filter(idea=idea, question__author__isnull=False).values_list(
            "question__author_id", flat=True
        )
    )


def _queue_resolve(idea: Idea, *, actor: Member, resolution: str) -> None:
    QueueItem.objects.filter(
        queue=REVIEW_QUEUE, target_type=_idea_type(), target_id=idea.pk, resolved_at__isnull=True
    ).update(resolved_at=timezone.now(), resolved_by=actor, resolution=resolution)


def idea_status_change(*, actor: Member, idea: Idea, status: str, note: str) -> IdeaStatusChange:
    """Move an idea to ``status`` with a staff note, kept in its history. Voters and
    followers are told (each once); when it ships, so are the askers of linked questions."""
    perms.check_can_change_idea_status(actor)
    if status not in IdeaStatus.values:
        raise ValidationError(_("Unknown status."))
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Explain the change in a note."))
    with transaction.atomic():
        locked = Idea.objects.select_for_update().get(pk=idea.pk)
        if locked.merged_into_id:
            raise ValidationError(_("This idea was merged into another one."))
        if locked.status == status:
            raise ValidationError(_("The idea already has this status."))
        now = timezone.now()
        change = IdeaStatusChange.objects.create(
            idea=locked,
            from_status=locked.status,
            to_status=status,
            note=note,
            note_html=render_markdown(note),
            by=actor,
            at=now,
        )
        Idea.objects.filter(pk=idea.pk).update(status=status, status_changed_at=now, updated_at=now)
        idea.status, idea.status_changed_at = status, now
        if status != IdeaStatus.NEW:
            _queue_resolve(
                idea,
                actor=actor,
                resolution=(
                    QueueItem.Resolution.REJECTED
                    if status == IdeaStatus.DECLINED
                    else QueueItem.Resolution.APPROVED
                ),
            )
        ids = _interested_ids(idea, with_askers=status == IdeaStatus.SHIPPED)
        notification_send(
            recipients=Member.objects.filter(pk__in=ids, is_active=True),
            kind="idea_shipped" if status == IdeaStatus.SHIPPED else "idea_status_changed",
            actor=actor,
            params={
                "title": idea.title,
                "status": status,  # shown by its label in each reader's language
                "note": note[:300],
            },
            url=idea.get_absolute_url(),
            target=idea,
            email_template="ideas/email/status_changed.txt",
        )
        idea_watchers_notify(idea, actor=actor, already=ids)
        idea_status_changed.send(sender=Idea, idea=idea, change=change)
    return change


def idea_review_accept(*, actor: Member, idea: Idea, note: str = "") -> IdeaStatusChange:
    perms.check_can_review_ideas(actor)
    return idea_status_change(
        actor=actor,
        idea=idea,
        status=IdeaStatus.UNDER_REVIEW,
        note=note or _("Thanks! We are looking into this idea."),
    )


def idea_review_decline(*, actor: Member, idea: Idea, note: str) -> IdeaStatusChange:
    perms.check_can_review_ideas(actor)
    return idea_status_change(actor=actor, idea=idea, status=IdeaStatus.DECLINED, note=note)


def idea_merge(*, actor: Member, source: Idea, target: Idea, note: str = "") -> Idea:
    """Merge the duplicate ``source`` into ``target``: votes, followers, comments and linked
    questions move; a member who voted for both keeps one vote; ``source`` redirects."""
    perms.check_can_review_ideas(actor)
    if source.pk == target.pk:
        raise ValidationError(_("An idea cannot be merged into itself."))
    ct = _idea_type()
    with transaction.atomic():
        # Lock both rows in a stable order so two merges cannot deadlock or cross.
        locked = {
            i.pk: i
            for i in Idea.objects.select_for_update()
            .filter(pk__in=[source.pk, target.pk])
            .order_by("pk")
        }
        if locked[source.pk].merged_into_id or locked[target.pk].merged_into_id:
            raise ValidationError(_("One of these ideas was already merged."))
        told = _interested_ids(source, with_askers=False)
        target_voters = IdeaVote.objects.filter(idea=target).values("member_id")
        IdeaVote.objects.filter(idea=source).exclude(member_id__in=target_voters).update(
            idea=target
        )
        IdeaVote.objects.filter(idea=source).delete()
        target_followers = Follow.objects.filter(target_type=ct, target_id=target.pk).values(
            "member_id"
        )
        Follow.objects.filter(target_type=ct, target_id=source.pk).exclude(
            member_id__in=target_followers
        ).update(target_id=target.pk)
        Follow.objects.filter(target_type=ct, target_id=source.pk).delete()
        Comment.objects.filter(target_type=ct, target_id=source.pk).update(target_id=target.pk)
        _links_move(source, target)
        now = timezone.now()
        Idea.objects.filter(pk=source.pk).update(
            merged_into=target,
            merge_note=note.strip(),
            vote_count=0,
            comment_count=0,
            updated_at=now,
        )
        source.merged_into = target
        idea_synchronize(target)
        _queue_resolve(source, actor=actor, resolution=QueueItem.Resolution.DISMISSED)
        moderation.audit_log_write(
            actor=actor,
            # The action keeps the name it had when the board lived in forum: the audit log is
            # append-only, and older merges are found under the same name.
            action="forum.idea_merge",
            target=source,
            member=source.author,
            reason=note,
            data={"into": target.pk},
        )
        notification_send(
            recipients=Member.objects.filter(pk__in=told, is_active=True),
            kind="idea_merged",
            actor=actor,
            params={"title": source.title, "target": target.title},
            url=target.get_absolute_url(),
            target=target,
        )
    return target


def _links_move(source: Idea, target: Idea) -> None:
    taken = IdeaQuestionLink.objects.filter(idea=target).values("question_id")
    IdeaQuestionLink.objects.filter(idea=source).exclude(question_id__in=taken).update(idea=target)
    IdeaQuestionLink.objects.filter(idea=source).delete()


def idea_trending_refresh(*, now: datetime | None = None) -> int:
    """Recount the votes of the trending window for every idea that had recent votes or
    still shows some (one UPDATE); votes older than the window drop out."""
    since = (now or timezone.now()) - timedelta(days=TRENDING_DAYS)
    recent = IdeaVote.objects.filter(created_at__gte=since)
    counted = (
        recent.filter(idea=OuterRef("pk"))
        .order_by()
        .values("idea")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Idea.objects.filter(
        Q(recent_vote_count__gt=0) | Q(pk__in=recent.values("idea_id"))
    ).update(recent_vote_count=Coalesce(Subquery(counted), 0))


def idea_synchronize(idea: Idea) -> Idea:
    """Recompute the denormalized counters of ``idea`` from its rows."""
    votes = IdeaVote.objects.filter(idea=idea).count()
    comments = Comment.objects.filter(
        target_type=_idea_type(),
        target_id=idea.pk,
        moderation_state=ModerationState.PUBLISHED,
        deleted_at__isnull=True,
    ).count()
    since = timezone.now() - timedelta(days=TRENDING_DAYS)
    recent = IdeaVote.objects.filter(idea=idea, created_at__gte=since).count()
    Idea.objects.filter(pk=idea.pk).update(
        vote_count=votes, comment_count=comments, recent_vote_count=recent
    )
    idea.vote_count, idea.comment_count, idea.recent_vote_count = votes, comments, recent
    return idea


# --- questions and ideas --------------------------------------------------------------------


def idea_from_question(*, actor: Member, question: Question, note: str = "") -> Idea:
    """Turn a question into an idea (staff or the asker). The asker becomes its author and,
    with the question's followers, its first voters and followers; the two stay linked."""
    perms.check_can_turn_question_into_idea(actor, question)
    moderation.check_can_post(actor)
    existing = IdeaQuestionLink.objects.filter(question=question, converted=True).first()
    if existing:
        raise ValidationError(_("This question was already turned into an idea."))
    now = timezone.now()
    with transaction.atomic():
        idea = Idea.objects.create(
            title=question.title,
            slug=slugify(question.title, allow_unicode=True)[:150],
            description=question.body,
            description_html=render_markdown(question.body),
            category_id=question.category_id,
            author_id=question.author_id or actor.pk,
            created_at=now,
            updated_at=now,
            status_changed_at=now,
        )
        IdeaQuestionLink.objects.create(
            idea=idea, question=question, linked_by=actor, converted=True
        )
        people = set(
            Follow.objects.filter(
                target_type=ContentType.objects.get_for_model(Question), target_id=question.pk
            ).values_list("member_id", flat=True)
        )
        if question.author_id:
            people.add(question.author_id)
        IdeaVote.objects.bulk_create(
            [IdeaVote(idea=idea, member_id=pk) for pk in people], ignore_conflicts=True
        )
        _follow(people | {idea.author_id}, idea)
        idea_synchronize(idea)
        idea_search_index([idea.pk])
        idea_on_publish(idea)
    return idea


def idea_link_question(*, actor: Member, idea: Idea, question: Question) -> bool:
    """Link an existing question to an idea; its asker is told when the idea ships."""
    perms.check_can_link_question(actor, question)
    if idea.merged_into_id:
        raise ValidationError(_("This idea was merged into another one."))
    _link, created = IdeaQuestionLink.objects.get_or_create(
        idea=idea, question=question, defaults={"linked_by": actor}
    )
    return created


def idea_unlink_question(*, actor: Member, idea: Idea, question: Question) -> None:
    perms.check_can_link_question(actor, question)
    IdeaQuestionLink.objects.filter(idea=idea, question=question).delete()
