"""Revisions of edited posts."""

from django.contrib.contenttypes.models import ContentType

from ..models import Revision
from ..permissions.questions import Post


def revision_list(post: Post) -> list[Revision]:
    return list(
        Revision.objects.filter(
            target_type=ContentType.objects.get_for_model(post),
            target_id=post.pk,
        )
        .select_related("author")
        .order_by("number")
    )
