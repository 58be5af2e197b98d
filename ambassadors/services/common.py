"""What the program's services share: the qualification window, audit rows and
notifications."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse

from members.models import Member
from members.services import notification_send
from moderation import services as moderation_services


def _qualify_period() -> timedelta:
    return timedelta(days=settings.VECHE_REFERRAL_QUALIFY_DAYS)


def _audit(**kwargs: Any) -> None:
    # Through the package, where tests replace it.
    moderation_services.audit_log_write(**kwargs)


def _notify(recipient: Member, kind: str, params: dict | None = None, target: Any = None) -> None:
    notification_send(
        recipients=[recipient],
        kind=kind,
        params=params or {},
        url=reverse("ambassadors:program"),
        target=target,
    )
