"""Who may do what in the ambassador program."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from members.models import Member

from .models import AmbassadorApplication, ReferrerStats
from .tiers import tier_level


def is_ambassador(member) -> bool:
    """Ambassadors (and staff) may enter ambassador-only categories."""
    return bool(
        getattr(member, "is_authenticated", False)
        and (member.is_staff or member.badge == "ambassador")
    )


def can_invite(member) -> bool:
    return bool(
        getattr(member, "is_authenticated", False) and member.is_active and not member.is_banned
    )


def check_can_invite(member) -> None:
    if not can_invite(member):
        raise PermissionDenied(_("Only members in good standing can invite."))


def can_send_invitations(member) -> bool:
    """Invitation e-mails go to any address, so they need some trust: trust level Basic
    (a few days of activity and a published post) or staff. A minutes-old account could
    otherwise use the site to mail strangers (issue 15)."""
    return can_invite(member) and (member.is_staff or member.trust_level >= Member.TrustLevel.BASIC)


def check_can_send_invitations(member) -> None:
    check_can_invite(member)
    if not can_send_invitations(member):
        raise PermissionDenied(
            _(
                "You can invite people by e-mail once you reach the Basic trust level: "
                "take part in the community for a few days first. Your referral link "
                "works already."
            )
        )


def can_apply_ambassador(member: Member, *, qualified: int, has_pending: bool) -> bool:
    return (
        can_invite(member)
        and member.badge != "ambassador"
        and not has_pending
        and tier_level(qualified) >= 2
    )


def check_can_apply_ambassador(member: Member) -> None:
    check_can_invite(member)
    stats = ReferrerStats.objects.filter(member_id=member.pk).first()
    pending = AmbassadorApplication.objects.filter(
        member_id=member.pk, status=AmbassadorApplication.Status.PENDING
    ).exists()
    if member.badge == "ambassador":
        raise PermissionDenied(_("You are already an ambassador."))
    if pending:
        raise PermissionDenied(_("Your application is already waiting for review."))
    if not can_apply_ambassador(
        member, qualified=stats.qualified if stats else 0, has_pending=pending
    ):
        raise PermissionDenied(_("You need more qualified referrals to apply."))


def can_manage_ambassadors(member) -> bool:
    return bool(getattr(member, "is_authenticated", False) and member.is_staff)


def check_can_manage_ambassadors(member) -> None:
    if not can_manage_ambassadors(member):
        raise PermissionDenied(_("Only staff can decide on ambassadors."))


def can_review_referrals(member) -> bool:
    return bool(getattr(member, "is_authenticated", False) and member.is_staff)


def check_can_review_referrals(member) -> None:
    if not can_review_referrals(member):
        raise PermissionDenied(_("Only staff can review suspicious referrals."))
