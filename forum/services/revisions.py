"""Revisions of edited posts."""

from members.models import Member

from ..models import Revision
from .common import Post, content_type


def revision_add(*, post: Post, editor: Member, title: str, body: str, reason: str) -> Revision:
    """Revisions are kept lazily: the first edit stores the original as revision 1."""
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
