"""Following questions (followers are told of new answers and comments)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from members.models import Member

from ..models import Follow, Question
from .common import content_type


def question_follow(*, member: Member, question: Question) -> bool:
    """Returns whether the member was not following before."""
    if not getattr(member, "is_authenticated", False):
        raise PermissionDenied(_("Please log in to follow."))
    with transaction.atomic():
        _follow, created = Follow.objects.get_or_create(
            member=member, target_type=content_type(Question), target_id=question.pk
        )
        if created:
            Question.objects.filter(pk=question.pk).update(follower_count=F("follower_count") + 1)
    return created


def question_unfollow(*, member: Member, question: Question) -> bool:
    """Returns whether the member was following."""
    with transaction.atomic():
        deleted, _rows = Follow.objects.filter(
            member=member, target_type=content_type(Question), target_id=question.pk
        ).delete()
        if deleted:
            Question.objects.filter(pk=question.pk, follower_count__gt=0).update(
                follower_count=F("follower_count") - 1
            )
    return bool(deleted)
