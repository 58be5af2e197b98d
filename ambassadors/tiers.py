"""Referral tiers: how many qualified referrals make an Advocate, and who may apply to become
an Ambassador (settings.VECHE_REFERRAL_TIERS). Shared by the services and the permissions."""

from django.conf import settings


def tier_thresholds() -> tuple[int, int]:
    tiers = settings.VECHE_REFERRAL_TIERS
    return int(tiers["advocate"]), int(tiers["ambassador"])


def tier_level(qualified: int) -> int:
    """0: none, 1: advocate, 2: eligible to become an ambassador."""
    advocate, ambassador = tier_thresholds()
    return 2 if qualified >= ambassador else 1 if qualified >= advocate else 0
