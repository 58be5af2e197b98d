"""What the referral program holds about a member, for "export my data" and "delete my
account" (registered in ``members.personal_data`` by ambassadors.receivers). Referral rows
stay, on the anonymous placeholder, so referrers keep their counts and tiers."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext

from members.models import Member, Notification
from members.personal_data import rows

from ..models import AmbassadorApplication, Invitation, Referral, ReferralCode, ReferrerStats


def export_referrals(member: Member) -> list[dict[str, Any]]:
    found = rows(ReferralCode.objects.filter(member=member), "code", "created_at")
    found += rows(ReferrerStats.objects.filter(member=member), "clicks", "signups", "qualified")
    # Only the member's own side of each referral: the other member's id, never their name.
    found += rows(
        Referral.objects.filter(referrer=member).order_by("created_at", "id"),
        "id",
        "status",
        "created_at",
        "qualified_at",
    )
    found += [
        {"invited_by_you": False, **row}
        for row in rows(Referral.objects.filter(referred=member), "id", "status", "created_at")
    ]
    return found


def export_invitations(member: Member) -> list[dict[str, Any]]:
    return rows(
        Invitation.objects.filter(inviter=member).order_by("created_at", "id"),
        "email",
        "note",
        "status",
        "created_at",
        "accepted_at",
    )


def export_applications(member: Member) -> list[dict[str, Any]]:
    return rows(
        AmbassadorApplication.objects.filter(member=member).order_by("created_at", "id"),
        "motivation",
        "status",
        "created_at",
        "decided_at",
        "message",
    )


def erase(member: Member, remove_posts: bool) -> None:
    with transaction.atomic():
        ReferralCode.objects.filter(member=member).delete()
        # The invitee's address is someone else's data the member typed in.
        Invitation.objects.filter(inviter=member).update(email="", note="")
        Referral.objects.filter(referred=member).update(signup_ip_hash="")
        AmbassadorApplication.objects.filter(member=member).update(motivation="", message="")
        # "<name>, whom you invited, …" in the referrer's notifications names the member.
        Notification.objects.filter(
            target_type=ContentType.objects.get_for_model(Referral),
            target_id__in=Referral.objects.filter(referred=member).values("pk"),
        ).update(params={"name": gettext("Deleted member")})
