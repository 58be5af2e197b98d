from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def can_view_analytics(member) -> bool:
    return bool(getattr(member, "is_authenticated", False) and member.is_staff)


def check_can_view_analytics(member) -> None:
    if not can_view_analytics(member):
        raise PermissionDenied(_("Only staff can see the community analytics."))
