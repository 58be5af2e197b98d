"""Who may do what on the idea board."""

from typing import TYPE_CHECKING, TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from forum.models import Comment, Question
from forum.permissions.questions import comments_readable_to as forum_comments_readable_to
from members.models import Member
from moderation.content import ModerationState

from .models import Idea

if TYPE_CHECKING:
    # TypeIs narrows both ways: a member where it holds, a visitor or nobody where not.
    from typing_extensions import TypeIs

# Whoever looks at the board: a member, a visitor, or nobody (feeds and sitemaps).
Viewer: TypeAlias = Member | AnonymousUser | None


def _is_member(viewer: Viewer) -> "TypeIs[Member]":
    return bool(getattr(viewer, "is_authenticated", False))


def sees_ambassador_space(viewer: Viewer) -> bool:
    return _is_member(viewer) and (viewer.is_staff or viewer.badge == "ambassador")


def ideas_visible_to(viewer: Viewer) -> QuerySet[Idea]:
    """Ideas a viewer may open: published ones (merged ones too, they redirect); staff and
    moderators also see held or hidden ones, an author their own held ones. Ambassador-only
    categories stay hidden from everyone else (a hidden idea 404s like a missing one)."""
    qs = Idea.objects.all()
    if _is_member(viewer) and viewer.is_moderator:
        pass
    elif _is_member(viewer):
        qs = qs.filter(
            Q(moderation_state=ModerationState.PUBLISHED)
            | Q(author=viewer, moderation_state=ModerationState.HELD)
        )
    else:
        qs = qs.filter(moderation_state=ModerationState.PUBLISHED)
    if not sees_ambassador_space(viewer):
        qs = qs.filter(category__ambassadors_only=False)
    return qs


def comments_readable_to(viewer: Viewer) -> QuerySet[Comment]:
    """The forum's rule for comments (uploads.registry), and on ideas the viewer may see."""
    idea_type = ContentType.objects.get_for_model(Idea)
    return forum_comments_readable_to(viewer).exclude(
        Q(target_type=idea_type) & ~Q(target_id__in=ideas_visible_to(viewer).values("pk"))
    )


def ideas_listed_for(viewer: Viewer) -> QuerySet[Idea]:
    """What the lists, roadmap and changelog show: published, not merged away."""
    qs = Idea.objects.filter(moderation_state=ModerationState.PUBLISHED, merged_into__isnull=True)
    if not sees_ambassador_space(viewer):
        qs = qs.filter(category__ambassadors_only=False)
    return qs


def can_vote_idea(viewer: Viewer, idea: Idea) -> bool:
    return _is_member(viewer) and not viewer.is_banned and idea.is_published and idea.voting_open


def check_can_vote_idea(viewer: Viewer, idea: Idea) -> None:
    if not _is_member(viewer):
        raise PermissionDenied(_("Please log in to vote."))
    if viewer.is_banned:
        raise PermissionDenied(_("Your account is banned."))
    if not idea.voting_open:
        raise PermissionDenied(_("Voting on this idea is closed."))
    if not idea.is_published:
        raise PermissionDenied(_("This idea is not published."))


def can_follow_idea(viewer: Viewer, idea: Idea) -> bool:
    return _is_member(viewer) and idea.is_published


def check_can_follow_idea(viewer: Viewer, idea: Idea) -> None:
    if not can_follow_idea(viewer, idea):
        raise PermissionDenied(_("Please log in to follow ideas."))


def can_comment_idea(viewer: Viewer, idea: Idea) -> bool:
    return _is_member(viewer) and idea.is_published and idea.merged_into_id is None


def can_change_idea_status(viewer: Viewer) -> bool:
    return _is_member(viewer) and viewer.is_staff


def check_can_change_idea_status(viewer: Viewer) -> None:
    if not can_change_idea_status(viewer):
        raise PermissionDenied(_("Only staff can change the status of an idea."))


def can_review_ideas(viewer: Viewer) -> bool:
    return can_change_idea_status(viewer)


def check_can_review_ideas(viewer: Viewer) -> None:
    if not can_review_ideas(viewer):
        raise PermissionDenied(_("Only staff can review ideas."))


def can_turn_question_into_idea(viewer: Viewer, question: Question) -> bool:
    return _is_member(viewer) and (viewer.is_staff or question.author_id == viewer.pk)


def check_can_turn_question_into_idea(viewer: Viewer, question: Question) -> None:
    if not can_turn_question_into_idea(viewer, question):
        raise PermissionDenied(_("Only staff or the asker can turn a question into an idea."))


def can_link_question(viewer: Viewer, question: Question) -> bool:
    return can_turn_question_into_idea(viewer, question)


def check_can_link_question(viewer: Viewer, question: Question) -> None:
    if not can_link_question(viewer, question):
        raise PermissionDenied(_("Only staff or the asker can link a question to an idea."))
