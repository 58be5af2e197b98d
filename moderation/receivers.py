"""Everything moderation plugs into at start-up: its inbox queues, notification kinds, the
member profile (flaggable, with a profile block) and its answers to members' hooks
(members.hooks). Connected once from ``ModerationConfig.ready``."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from config.cache import READ_AHEAD, model_scopes, nothing
from config.jinja2 import register_global
from members import personal_data
from members.hooks import member_applied, member_erased, member_signed_up
from members.models import Member, MembershipApplication
from members.profile import PROFILE_SECTIONS

from . import notifications, services
from .models import (
    Appeal,
    AuditLogEntry,
    BlockedWord,
    Flag,
    PostFingerprint,
    QueueItem,
    RulesAcceptance,
    Sanction,
)
from .profile import profile_section
from .registry import register_content, register_queue
from .services import privacy
from .services.rules import RULES_STATE_ENTRY
from .templatetags.moderation_tags import flag_url, moderation_info


def on_signed_up(sender: Any, *, member: Member, **kwargs: Any) -> None:
    services.rules_accept_on_signup(member=member)


def on_applied(sender: Any, *, application: MembershipApplication, **kwargs: Any) -> None:
    services.membership_application_queue(application=application)


def _member_excerpt(member: Member) -> str:
    return member.name


def on_member_erased(sender: Any, member: Member, actor: Member | None, **kwargs: Any) -> None:
    privacy.member_erase_record(actor=actor, member=member, reason=kwargs.get("reason", ""))


def connect() -> None:
    register_global("moderation_info", moderation_info)
    READ_AHEAD["moderation"] = lambda member: (RULES_STATE_ENTRY,)
    register_global("flag_url", flag_url)
    # The inbox, flags, sanctions and the audit log show on no shared page: what they change
    # there goes through content_set_state and the members' own scopes. Blocked words have
    # their own scope (services.screening).
    for model in (
        QueueItem,
        Flag,
        Sanction,
        Appeal,
        AuditLogEntry,
        BlockedWord,
        PostFingerprint,
        RulesAcceptance,
    ):
        model_scopes(model, nothing)
    member_signed_up.connect(on_signed_up, dispatch_uid="moderation.rules_accept_on_signup")
    member_applied.connect(on_applied, dispatch_uid="moderation.membership_application_queue")
    member_erased.connect(on_member_erased, dispatch_uid="moderation.audit_member_erase")
    personal_data.register(
        "moderation.rules",
        _("Community rules accepted"),
        export=privacy.export_rules_acceptances,
        erase=privacy.erase,
    )
    personal_data.register("moderation.flags", _("Flags you raised"), export=privacy.export_flags)
    personal_data.register(
        "moderation.sanctions", _("Sanctions about you"), export=privacy.export_sanctions
    )
    personal_data.register("moderation.appeals", _("Appeals"), export=privacy.export_appeals)
    notifications.register()
    hours = settings.VECHE_QUEUE_TARGET_HOURS
    register_queue(
        "approval",
        label=_("Awaiting approval"),
        target_age=timedelta(hours=hours.get("approval", 12)),
        order=10,
    )
    register_queue(
        "flagged",
        label=_("Flagged"),
        target_age=timedelta(hours=hours.get("flagged", 24)),
        order=20,
    )
    register_queue(
        "appeals",
        label=_("Appeals"),
        target_age=timedelta(hours=hours.get("appeals", 72)),
        order=90,
    )
    # Applications to a private community have a target of their own: someone waits at the
    # door, so two days at most.
    register_queue(
        services.MEMBERSHIP_QUEUE,
        label=_("Membership applications"),
        target_age=timedelta(hours=hours.get(services.MEMBERSHIP_QUEUE, 48)),
        on_approve=services.membership_application_approve,
        on_reject=services.membership_application_decline,
        order=30,
    )
    # Profiles can be flagged: the member is their own author.
    register_content(Member, label=_("profile"), author_field=None, excerpt=_member_excerpt)
    if profile_section not in PROFILE_SECTIONS:
        PROFILE_SECTIONS.append(profile_section)
