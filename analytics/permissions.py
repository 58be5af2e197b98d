from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def can_view_analytics(member) -> bool:
    return bool(getattr(member, "is_authenticated", False) and member.is_staff)


def check_can_view_analytics(member) -> None:
    if not can_view_analytics(member):
        raise PermissionDenied(_("Only staff can see the community analytics."))


def can_write_to_members_at_risk(member) -> bool:
    """Community managers are staff: they see the list and write from it."""
    return can_view_analytics(member)


def check_can_write_to_members_at_risk(member) -> None:
    if not can_write_to_members_at_risk(member):
        raise PermissionDenied(_("Only staff can write to members at risk."))
