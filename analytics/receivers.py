"""Everything analytics plugs into at start-up. Connected once from ``AnalyticsConfig.ready``."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from config.cache import model_scopes, nothing
from members import personal_data
from members.models import Member

from .models import (
    CohortRetention,
    CrossLinkPeriod,
    DailyActiveCount,
    ReengagementLetter,
    RollupWatermark,
)


def export_letters(member: Member) -> list[dict[str, Any]]:
    return personal_data.rows(
        ReengagementLetter.objects.filter(member=member).order_by("sent_on", "id"),
        "period",
        "sent_on",
    )


def connect() -> None:
    # The rollups and letters show on no cached page (the dashboard is staff-only).
    for model in (
        DailyActiveCount,
        CohortRetention,
        CrossLinkPeriod,
        RollupWatermark,
        ReengagementLetter,
    ):
        model_scopes(model, nothing)
    # Letters stay on the anonymous placeholder of a deleted member: "came back" rates of
    # past periods do not move. Nothing in them is personal but the member, now anonymous.
    personal_data.register(
        "analytics.letters", _("Re-engagement e-mails sent to you"), export=export_letters
    )
