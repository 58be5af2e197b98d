"""Everything analytics plugs into at start-up. Connected once from ``AnalyticsConfig.ready``."""

from config.cache import model_scopes, nothing

from .models import CohortRetention, DailyActiveCount, ReengagementLetter, RollupWatermark


def connect() -> None:
    # The rollups and letters show on no cached page (the dashboard is staff-only).
    for model in (DailyActiveCount, CohortRetention, RollupWatermark, ReengagementLetter):
        model_scopes(model, nothing)
