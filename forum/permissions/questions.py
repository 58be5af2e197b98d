"""Who may see and do what in Q&A (questions, answers, comments on them, FAQ)."""

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from members.models import Member
from moderation.content import ModerationState

from ..models import Answer, Category, Comment, FaqEntry, Question

if TYPE_CHECKING:
    # TypeIs narrows both ways: a member where it holds, a visitor or nobody where not.
    from typing_extensions import TypeIs

AMBASSADOR_BADGE = "ambassador"

# Who looks: a member or a visitor (None where there is no request, as in e-mails).
Viewer = Member | AnonymousUser | None
Post = Question | Answer | Comment


def _authenticated(member: Viewer) -> "TypeIs[Member]":
    return bool(member is not None and getattr(member, "is_authenticated", False))


def is_forum_moderator(member: Viewer) -> bool:
    return _authenticated(member) and bool(member.is_moderator)


def can_see_private_categories(member: Viewer) -> bool:
    """Ambassador-only categories are open to ambassadors and staff."""
    return _authenticated(member) and (member.is_staff or member.badge == AMBASSADOR_BADGE)


def categories_visible_to(viewer: Viewer) -> QuerySet[Category]:
    qs = Category.objects.all()
    if not can_see_private_categories(viewer):
        qs = qs.filter(ambassadors_only=False)
    return qs


def check_can_view_category(viewer: Viewer, category: Category) -> None:
    if category.ambassadors_only and not can_see_private_categories(viewer):
        raise PermissionDenied(_("This category is open to ambassadors only."))


def _content_visibility(viewer: Viewer, prefix: str = "") -> Q | None:
    """Published and not deleted, or the viewer's own (held) post; None means everything."""
    if is_forum_moderator(viewer):
        return None
    visible = Q(
        **{
            f"{prefix}moderation_state": ModerationState.PUBLISHED,
            f"{prefix}deleted_at__isnull": True,
        }
    )
    if _authenticated(viewer):
        visible |= Q(
            **{
                # By id: a compiled read builds this for a stand-in member (forum.selectors).
                f"{prefix}author_id": viewer.pk,
                f"{prefix}deleted_at__isnull": True,
                f"{prefix}moderation_state": ModerationState.HELD,
            }
        )
    return visible


def questions_visible_to(viewer: Viewer) -> QuerySet[Question]:
    qs = Question.objects.all()
    visible = _content_visibility(viewer)
    if visible is not None:
        qs = qs.filter(visible)
    if not can_see_private_categories(viewer):
        qs = qs.filter(category__ambassadors_only=False)
    return qs


def question_visible_any_category(viewer: Viewer) -> QuerySet[Question]:
    """Visible by moderation state; the category check is left to the caller (a 403)."""
    qs = Question.objects.all()
    visible = _content_visibility(viewer)
    return qs.filter(visible) if visible is not None else qs


def question_shown_to(viewer: Viewer, question: Question) -> bool:
    """``questions_visible_to`` for one loaded question (its category loaded too), without a
    query: for a question named on another question's page (a duplicate's original)."""
    if question.category.ambassadors_only and not can_see_private_categories(viewer):
        return False
    if is_forum_moderator(viewer):
        return True
    if question.deleted_at is not None:
        return False
    if question.moderation_state == ModerationState.PUBLISHED:
        return True
    return (
        question.moderation_state == ModerationState.HELD
        and _authenticated(viewer)
        and question.author_id == viewer.pk
    )


def can_name_as_original(viewer: Viewer, question: Question, original: Question) -> bool:
    """A duplicate's banner shows the original's title to everyone who reads the duplicate: the
    original must be visible to the viewer naming it and to all of the duplicate's readers
    (public, or published in the same category)."""
    if not questions_visible_to(viewer).filter(pk=original.pk).exists():
        return False
    if questions_public().filter(pk=original.pk).exists():
        return True
    return (
        original.category_id == question.category_id
        and original.moderation_state == ModerationState.PUBLISHED
        and original.deleted_at is None
    )


def questions_public() -> QuerySet[Question]:
    """What anybody may see: for feeds, sitemaps, digests and e-mails."""
    return Question.objects.filter(
        moderation_state=ModerationState.PUBLISHED,
        deleted_at__isnull=True,
        category__ambassadors_only=False,
    )


def answers_visible_to(viewer: Viewer) -> QuerySet[Answer]:
    qs = Answer.objects.all()
    visible = _content_visibility(viewer)
    return qs.filter(visible) if visible is not None else qs


def comments_visible_to(viewer: Viewer) -> QuerySet[Comment]:
    qs = Comment.objects.all()
    visible = _content_visibility(viewer)
    return qs.filter(visible) if visible is not None else qs


def answers_readable_to(viewer: Viewer) -> QuerySet[Answer]:
    """Answers the viewer may see, on questions the viewer may see."""
    return answers_visible_to(viewer).filter(question__in=questions_visible_to(viewer))


def comments_readable_to(viewer: Viewer) -> QuerySet[Comment]:
    """Comments the viewer may see on a question or an answer the viewer may see (for the
    uploads in a comment). Comments on other apps' posts pass here; those apps narrow them
    (ideas: on ideas the viewer may see)."""
    question_type = ContentType.objects.get_for_model(Question)
    answer_type = ContentType.objects.get_for_model(Answer)
    return comments_visible_to(viewer).filter(
        Q(target_type=question_type, target_id__in=questions_visible_to(viewer).values("pk"))
        | Q(target_type=answer_type, target_id__in=answers_readable_to(viewer).values("pk"))
        | ~Q(target_type__in=[question_type, answer_type])
    )


def faq_entries_visible_to(viewer: Viewer) -> QuerySet[FaqEntry]:
    qs = FaqEntry.objects.all()
    if not (_authenticated(viewer) and viewer.is_staff):
        qs = qs.filter(is_published=True)
    if not can_see_private_categories(viewer):
        qs = qs.filter(category__ambassadors_only=False)
    return qs


# --- posting ----------------------------------------------------------------------------


def check_can_ask(member: Viewer, category: Category) -> None:
    if not _authenticated(member):
        raise PermissionDenied(_("Please log in to ask a question."))
    check_can_view_category(member, category)


def can_answer(member: Viewer, question: Question) -> bool:
    try:
        check_can_answer(member, question)
    except PermissionDenied:
        return False
    return True


def check_can_answer(member: Viewer, question: Question) -> None:
    if not _authenticated(member):
        raise PermissionDenied(_("Please log in to answer."))
    if question.is_deleted:
        raise PermissionDenied(_("This question was deleted."))
    if question.is_locked and not is_forum_moderator(member):
        raise PermissionDenied(_("This question is locked."))
    if question.is_closed and not is_forum_moderator(member):
        raise PermissionDenied(_("This question is closed."))
    check_can_view_category(member, question.category)


def can_comment(member: Viewer, question: Question) -> bool:
    try:
        check_can_comment(member, question)
    except PermissionDenied:
        return False
    return True


def check_can_comment(member: Viewer, question: Question) -> None:
    if not _authenticated(member):
        raise PermissionDenied(_("Please log in to comment."))
    if question.is_deleted:
        raise PermissionDenied(_("This question was deleted."))
    if question.is_locked and not is_forum_moderator(member):
        raise PermissionDenied(_("This question is locked."))
    check_can_view_category(member, question.category)


def can_edit_post(member: Viewer, post: Post) -> bool:
    if not _authenticated(member):
        return False
    if is_forum_moderator(member):
        return True
    if post.author_id != member.pk or post.deleted_at is not None:
        return False
    question = post if isinstance(post, Question) else getattr(post, "question", None)
    return not (question is not None and question.is_locked)


def check_can_edit_post(member: Viewer, post: Post) -> None:
    if not can_edit_post(member, post):
        raise PermissionDenied(_("You cannot edit this post."))


def can_delete_post(member: Viewer, post: Post) -> bool:
    return can_edit_post(member, post)


def check_can_delete_post(member: Viewer, post: Post) -> None:
    if not can_delete_post(member, post):
        raise PermissionDenied(_("You cannot delete this post."))


def check_can_moderate_forum(member: Viewer) -> None:
    if not is_forum_moderator(member):
        raise PermissionDenied(_("Only moderators can do this."))


# --- votes and accepting ------------------------------------------------------------------


def check_can_vote(member: Viewer, post: Question | Answer, value: int) -> None:
    if not _authenticated(member):
        raise PermissionDenied(_("Please log in to vote."))
    if post.author_id == member.pk:
        raise PermissionDenied(_("You cannot vote on your own post."))
    if value < 0 and member.trust_level == Member.TrustLevel.NEW:
        raise PermissionDenied(
            _("New members cannot down-vote yet. Take part a little longer first.")
        )
    if post.deleted_at is not None or not post.is_published:
        raise PermissionDenied(_("You cannot vote on this post."))


def can_accept_answer(member: Viewer, question: Question) -> bool:
    return _authenticated(member) and (member.is_staff or question.author_id == member.pk)


def check_can_accept_answer(member: Viewer, question: Question) -> None:
    if not can_accept_answer(member, question):
        raise PermissionDenied(_("Only the asker or staff can accept an answer."))


# --- FAQ ----------------------------------------------------------------------------------


def can_manage_faq(member: Viewer) -> bool:
    return _authenticated(member) and member.is_staff


def check_can_manage_faq(member: Viewer) -> None:
    if not can_manage_faq(member):
        raise PermissionDenied(_("Only staff can edit the FAQ."))
