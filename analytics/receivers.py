"""Everything analytics plugs into at start-up. Connected once from ``AnalyticsConfig.ready``."""

from config.pagecache import ignore_changes_of

from .models import CohortRetention, DailyActiveCount, ReengagementLetter, RollupWatermark


def connect() -> None:
    # The rollups and letters show on no cached page (the dashboard is staff-only).
    ignore_changes_of(DailyActiveCount, CohortRetention, RollupWatermark, ReengagementLetter)
