"""Ambassador program writes, in modules by entity; this package re-exports them.

Contract used by other apps (keep these signatures):
- ``referral_attribute_signup(request=, member=)``: called right after a sign-up.
- ``referral_on_contribution(member=)``: called (inside the transaction) whenever a member's
  contribution (question, answer, comment, idea) becomes published.
- ``referral_clawback_for(member=, actor=None, reason="")``: the moderation app calls it when it
  bans or suspends a member; a referral of that member made within the qualification window
  stops counting. The hourly sweep also claws back from ``banned_at``/``suspended_until``.

Every state change of a referral is a conditional UPDATE on its status, so repeated or
concurrent jobs and requests change it (and notify) at most once.
"""

from ..models import APPLICATIONS_QUEUE, SUSPICIOUS_QUEUE
from ..tiers import tier_level, tier_thresholds
from .invitations import invitation_send
from .perks import (
    NoCodesLeft,
    perk_codes_add,
    perk_grant,
    perk_grant_tier,
    perk_revoke,
    perks_grant_for_badge,
)
from .program import (
    ambassador_application_approve,
    ambassador_application_decide,
    ambassador_application_reject,
    ambassador_application_submit,
    ambassador_review_monthly,
    ambassador_revoke,
    program_queue_item_decide,
    suspicious_referral_approve,
    suspicious_referral_reject,
)
from .referrals import (
    referral_attribute_signup,
    referral_clawback,
    referral_clawback_for,
    referral_click_record,
    referral_code_ensure,
    referral_code_regenerate,
    referral_on_contribution,
    referral_qualify,
    referral_qualify_sweep,
    referral_review_decide,
)
from .stats import referrer_stats_synchronize

__all__ = [
    "APPLICATIONS_QUEUE",
    "SUSPICIOUS_QUEUE",
    "ambassador_application_approve",
    "ambassador_application_decide",
    "ambassador_application_reject",
    "ambassador_application_submit",
    "ambassador_review_monthly",
    "ambassador_revoke",
    "NoCodesLeft",
    "invitation_send",
    "perk_codes_add",
    "perk_grant",
    "perk_grant_tier",
    "perk_revoke",
    "perks_grant_for_badge",
    "program_queue_item_decide",
    "referral_attribute_signup",
    "referral_clawback",
    "referral_clawback_for",
    "referral_click_record",
    "referral_code_ensure",
    "referral_code_regenerate",
    "referral_on_contribution",
    "referral_qualify",
    "referral_qualify_sweep",
    "referral_review_decide",
    "referrer_stats_synchronize",
    "suspicious_referral_approve",
    "suspicious_referral_reject",
    "tier_level",
    "tier_thresholds",
]
