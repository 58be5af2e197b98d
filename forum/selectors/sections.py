"""The Q&A blocks of the home page and of member profiles (``config.home``,
``members.profile``)."""

from django.http import HttpRequest

from members.models import Member
from moderation.content import ModerationState

from ..permissions import questions as perms
from .questions import members_helped_by, question_list_for
from .watching import question_list_unmuted, sees_visitors_lists


def home_section(request: HttpRequest) -> dict:
    """Published open questions only (not the viewer's own held ones): the home page's blocks
    are shared by every viewer of a kind (``config.home``)."""
    viewer = request.user
    base = question_list_unmuted(question_list_for(viewer), viewer).filter(
        closed_at__isnull=True, moderation_state=ModerationState.PUBLISHED, deleted_at__isnull=True
    )
    return {
        "template": "forum/_home_section.html",
        # The questions with the latest answers or comments first, as forums list them.
        "active_questions": list(base.order_by("-last_activity_at", "-id")[:10]),
        "unanswered_questions": list(
            base.filter(answer_count=0).order_by("-created_at", "-id")[:6]
        ),
    }


def home_as_visitors(request: HttpRequest) -> bool:
    """The Q&A block is the visitors' for whoever sees the visitors' lists (``config.home``)."""
    return sees_visitors_lists(request.user)


def profile_section(request: HttpRequest, member: Member) -> dict:
    viewer = request.user
    return {
        "template": "forum/_profile_section.html",
        "member_questions": list(
            perms.questions_visible_to(viewer)
            .filter(author=member)
            .order_by("-created_at", "-id")[:10]
        ),
        "member_answers": list(
            perms.answers_visible_to(viewer)
            .filter(author=member, question__in=perms.questions_visible_to(viewer))
            .select_related("question")
            .order_by("-created_at", "-id")[:10]
        ),
        "helped": members_helped_by(viewer, member),
    }
