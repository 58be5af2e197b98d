"""Everything the ambassador program plugs into at start-up: its notification kinds, its two
moderation queues and its answers to members' hooks (members.hooks). Connected once from
``AmbassadorsConfig.ready``."""

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from config.cache import model_scopes, nothing
from members import personal_data
from members.badges import register_rule
from members.hooks import member_contributed, member_sanctioned, member_signed_up
from members.models import Member
from members.notifications import register_kind
from moderation.registry import register_queue

from . import services
from .hooks import referral_qualified
from .models import (
    AmbassadorApplication,
    Invitation,
    Perk,
    PerkCode,
    PerkGrant,
    Referral,
    ReferralClick,
    ReferralCode,
    ReferrerStats,
)
from .services import badges, privacy


def on_signed_up(sender: Any, *, member: Member, request: HttpRequest, **kwargs: Any) -> None:
    services.referral_attribute_signup(request=request, member=member)


def on_contributed(sender: Any, *, member: Member, **kwargs: Any) -> None:
    services.referral_on_contribution(member=member)


def on_sanctioned(sender: Any, *, member: Member, reason: str = "", **kwargs: Any) -> None:
    services.referral_clawback_for(member=member, actor=None, reason=reason)


def referral_qualified_badges(sender: Any, referral: Any, **kwargs: Any) -> None:
    badges.badges_on_referral_qualified(referral=referral)


def connect() -> None:
    referral_qualified.connect(
        referral_qualified_badges, dispatch_uid="ambassadors.referral_qualified_badges"
    )
    register_rule("recruiter", badges.recruiter_holders)
    # The program's pages are personal or staff's: no shared page shows these rows (a badge
    # granted is a change of the member, which touches what it must).
    for model in (
        AmbassadorApplication,
        Invitation,
        Perk,
        PerkCode,
        PerkGrant,
        Referral,
        ReferralClick,
        ReferralCode,
        ReferrerStats,
    ):
        model_scopes(model, nothing)
    member_signed_up.connect(on_signed_up, dispatch_uid="ambassadors.referral_attribute_signup")
    personal_data.register(
        "ambassadors.referrals",
        _("Referrals"),
        export=privacy.export_referrals,
        erase=privacy.erase,
    )
    personal_data.register(
        "ambassadors.invitations", _("Invitations you sent"), export=privacy.export_invitations
    )
    personal_data.register(
        "ambassadors.applications",
        _("Ambassador applications"),
        export=privacy.export_applications,
    )
    member_contributed.connect(on_contributed, dispatch_uid="ambassadors.referral_on_contribution")
    member_sanctioned.connect(on_sanctioned, dispatch_uid="ambassadors.referral_clawback_for")
    register_kind(
        "referral_qualified",
        group="ambassador",
        label=_("A member you invited made their first contribution"),
        message=_(
            "%(name)s, whom you invited, made their first contribution: the referral now counts"
        ),
    )
    register_kind(
        "referral_tier_advocate",
        group="ambassador",
        label=_("You reached a referral tier"),
        message=_("You reached %(count)s qualified referrals and are now an Advocate"),
    )
    register_kind(
        "referral_tier_ambassador",
        group="ambassador",
        label=_("You can apply to become an ambassador"),
        message=_(
            "You reached %(count)s qualified referrals: you can now apply to become an Ambassador"
        ),
    )
    register_kind(
        "ambassador_approved",
        group="ambassador",
        label=_("Decisions on your ambassador application"),
        message=_("Welcome, Ambassador! Your application was approved. %(message)s"),
    )
    register_kind(
        "ambassador_rejected",
        group="ambassador",
        label=_("Decisions on your ambassador application"),
        message=_("Your ambassador application was not approved this time. %(message)s"),
    )
    register_kind(
        "ambassador_warning",
        group="ambassador",
        label=_("Ambassador status reviews"),
        message=_(
            "Ambassador review: you need at least %(count)s qualified referrals a "
            "month to keep the status. Otherwise it ends after the next review."
        ),
    )
    register_kind(
        "ambassador_lost",
        group="ambassador",
        label=_("Ambassador status ended"),
        message=_("Your ambassador status ended. %(message)s"),
    )
    register_kind(
        "perk_granted",
        group="ambassador",
        label=_("Perks granted to you or taken back"),
        message=_("You received a perk: %(perk)s. See it in your perks."),
    )
    register_kind(
        "perk_revoked",
        group="ambassador",
        label=_("Perks granted to you or taken back"),
        message=_("The perk %(perk)s was taken back. %(message)s"),
    )
    register_queue(
        services.SUSPICIOUS_QUEUE,
        label=_("Suspicious referrals"),
        target_age=timedelta(days=3),
        on_approve=services.suspicious_referral_approve,
        on_reject=services.suspicious_referral_reject,
        order=70,
    )
    register_queue(
        services.APPLICATIONS_QUEUE,
        label=_("Ambassador applications"),
        target_age=timedelta(days=7),
        on_approve=services.ambassador_application_approve,
        on_reject=services.ambassador_application_reject,
        order=80,
    )
