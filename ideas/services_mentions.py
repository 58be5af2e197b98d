"""@mentions on the idea board: in an idea's description and in comments on ideas, told
through members' mention service under the board's rule of visibility (docs/mentions.md)."""

from django.contrib.contenttypes.models import ContentType

from forum.models import Comment
from members.models import Member
from members.services_mentions import mentions_notify

from . import permissions as perms
from .models import Idea


def idea_mentions_notify(idea: Idea) -> list[Member]:
    """Tell the members a published idea newly mentions who may see it."""
    if not idea.is_published:
        return []
    return mentions_notify(
        post=idea,
        author=idea.author,
        source=idea.description,
        visible_to=perms.ideas_visible_to,
        title=idea.title,
        url=idea.get_absolute_url(),
    )


def idea_comment_mentions_notify(comment: Comment, *, idea: Idea | None = None) -> list[Member]:
    """Tell the members a published comment on an idea newly mentions who may read it (on
    publishing, and after an edit: forum.hooks.comment_edited)."""
    if comment.target_type_id != ContentType.objects.get_for_model(Idea).pk:
        return []
    if not comment.is_published or comment.deleted_at is not None:
        return []
    if idea is None:
        idea = Idea.objects.filter(pk=comment.target_id).first()
        if idea is None:
            return []
    return mentions_notify(
        post=comment,
        author=comment.author,
        source=comment.body,
        visible_to=perms.comments_readable_to,
        title=idea.title,
        url=f"{idea.get_absolute_url()}#comment-{comment.pk}",
    )
