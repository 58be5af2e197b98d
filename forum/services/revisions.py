"""Revisions of edited posts."""

from members.models import Member

from ..models import Question, Revision
from .common import Post, content_type


def revision_add(
    *,
    post: Post,
    editor: Member,
    title: str,
    body: str,
    reason: str,
    tags: list[str] | None = None,
) -> Revision:
    """Revisions are kept lazily: the first edit stores the original as revision 1. A
    question's versions keep its tag names (``tags``: the new ones, None when unchanged)."""
    current_tags = [t.name for t in post.tags.all()] if isinstance(post, Question) else None
    if tags is None:
        tags = current_tags
    ct = content_type(post)
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
            tags=current_tags,
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
        tags=tags,
        reason=reason,
    )
