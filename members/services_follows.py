"""Following people: a member follows another to read their new posts in a feed."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import Member, MemberFollow

MAX_FOLLOWING = 1000  # a feed of more people than this is not one anybody reads


def member_follow(*, follower: Member, followed: Member) -> MemberFollow:
    if follower.pk == followed.pk:
        raise PermissionDenied(_("You cannot follow yourself."))
    if not followed.is_active:
        raise PermissionDenied(_("This member cannot be followed."))
    existing = MemberFollow.objects.filter(follower=follower, followed=followed).first()
    if existing is not None:
        return existing
    if MemberFollow.objects.filter(follower=follower).count() >= MAX_FOLLOWING:
        raise PermissionDenied(
            _("You follow %(count)d members already: unfollow some first.")
            % {"count": MAX_FOLLOWING}
        )
    try:
        with transaction.atomic():
            return MemberFollow.objects.create(follower=follower, followed=followed)
    except IntegrityError:  # a double click: the other request made it
        return MemberFollow.objects.get(follower=follower, followed=followed)


def member_unfollow(*, follower: Member, followed: Member) -> None:
    MemberFollow.objects.filter(follower=follower, followed=followed).delete()
