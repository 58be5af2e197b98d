from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def can_manage_webhooks(member: Any) -> bool:
    return bool(getattr(member, "is_authenticated", False) and member.is_staff)


def check_can_manage_webhooks(member: Any) -> None:
    if not can_manage_webhooks(member):
        raise PermissionDenied(_("Only staff can manage webhooks and the widget."))
