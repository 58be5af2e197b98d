"""The privileges members earn by trust level (docs/privileges.md): retagging, editing others'
posts (directly or as a suggestion), voting to close and reopen, reviewing suggested edits.
Staff set the levels in the community settings; moderators and staff have every privilege.

Every function takes the settings row when the caller has it (a view: ``community_settings_for
(request)``, read once per request) and reads the cached copy otherwise."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from members.models import CommunitySettings
from members.selectors import community_settings_get

from ..models import Answer, Question
from .questions import Viewer, _authenticated, can_edit_post, is_forum_moderator

Editable = Question | Answer


def _levels(levels: CommunitySettings | None) -> CommunitySettings:
    return levels if levels is not None else community_settings_get()


def _has_level(member: Viewer, level: int) -> bool:
    return _authenticated(member) and (member.trust_level >= level or is_forum_moderator(member))


def _question_of(post: Editable) -> Question:
    return post if isinstance(post, Question) else post.question


def _open_for_changes(member: Viewer, post: Editable) -> bool:
    """Deleted posts and locked questions are left to moderators."""
    if is_forum_moderator(member):
        return True
    question = _question_of(post)
    return post.deleted_at is None and question.deleted_at is None and not question.is_locked


# --- retagging ----------------------------------------------------------------------------


def can_retag(member: Viewer, question: Question, levels: CommunitySettings | None = None) -> bool:
    return _has_level(member, _levels(levels).privilege_retag_level) and _open_for_changes(
        member, question
    )


def check_can_retag(
    member: Viewer, question: Question, levels: CommunitySettings | None = None
) -> None:
    if not can_retag(member, question, levels):
        raise PermissionDenied(_("Your trust level does not let you retag questions yet."))


# --- editing others' posts ----------------------------------------------------------------


def can_edit_directly(
    member: Viewer, post: Editable, levels: CommunitySettings | None = None
) -> bool:
    """The author and moderators (``can_edit_post``), and members at the edit level."""
    if can_edit_post(member, post):
        return True
    return _has_level(member, _levels(levels).privilege_edit_level) and _open_for_changes(
        member, post
    )


def check_can_edit_directly(
    member: Viewer, post: Editable, levels: CommunitySettings | None = None
) -> None:
    if not can_edit_directly(member, post, levels):
        raise PermissionDenied(_("You cannot edit this post."))


def can_suggest_edit(
    member: Viewer, post: Editable, levels: CommunitySettings | None = None
) -> bool:
    """Below the edit level but at the suggest level: the edit waits for a reviewer."""
    if can_edit_directly(member, post, levels):
        return False
    return _has_level(member, _levels(levels).privilege_suggest_edit_level) and _open_for_changes(
        member, post
    )


def check_can_suggest_edit(
    member: Viewer, post: Editable, levels: CommunitySettings | None = None
) -> None:
    if not can_suggest_edit(member, post, levels):
        raise PermissionDenied(_("Your trust level does not let you edit others' posts yet."))


def can_improve(member: Viewer, levels: CommunitySettings) -> bool:
    """Whether the question page offers "Improve" on others' posts (without a query: the
    viewer's level against the settings the request read)."""
    return _has_level(member, min(levels.privilege_suggest_edit_level, levels.privilege_edit_level))


def can_review_suggested_edits(member: Viewer, levels: CommunitySettings | None = None) -> bool:
    return _has_level(member, _levels(levels).privilege_edit_level)


def check_can_review_suggested_edits(
    member: Viewer, levels: CommunitySettings | None = None
) -> None:
    if not can_review_suggested_edits(member, levels):
        raise PermissionDenied(_("Your trust level does not let you review suggested edits."))


def can_revert_revision(
    member: Viewer, post: Editable, levels: CommunitySettings | None = None
) -> bool:
    """Moderators, and members who may edit the post directly (its author included)."""
    return can_edit_directly(member, post, levels)


def check_can_revert_revision(
    member: Viewer, post: Editable, levels: CommunitySettings | None = None
) -> None:
    if not can_revert_revision(member, post, levels):
        raise PermissionDenied(_("You cannot revert this post."))


# --- closing and reopening ----------------------------------------------------------------


def can_vote_close(
    member: Viewer, question: Question, levels: CommunitySettings | None = None
) -> bool:
    return (
        _has_level(member, _levels(levels).privilege_close_level)
        and question.deleted_at is None
        and question.is_published
    )


def check_can_vote_close(
    member: Viewer, question: Question, levels: CommunitySettings | None = None
) -> None:
    if not can_vote_close(member, question, levels):
        raise PermissionDenied(
            _("Your trust level does not let you vote to close or reopen questions yet.")
        )


def question_privileges(
    member: Viewer, question: Question, levels: CommunitySettings
) -> dict[str, bool]:
    """What the question page links for the viewer (no query)."""
    found = {
        "retag": can_retag(member, question, levels),
        "close": can_vote_close(member, question, levels),
        "review": can_review_suggested_edits(member, levels),
    }
    return {**found, "any": any(found.values())}
