from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .models import Member


def can_moderate(member) -> bool:
    return bool(getattr(member, "is_authenticated", False) and member.is_moderator)


def check_can_moderate(member) -> None:
    if not can_moderate(member):
        raise PermissionDenied(_("Only moderators can do this."))


def can_view_staff_area(member) -> bool:
    return bool(getattr(member, "is_authenticated", False) and member.is_staff)


def check_is_staff(member) -> None:
    if not can_view_staff_area(member):
        raise PermissionDenied(_("Only staff can do this."))


def members_visible_to(viewer):
    qs = Member.objects.filter(is_active=True)
    if not can_moderate(viewer):
        qs = qs.filter(banned_at__isnull=True)
    return qs
