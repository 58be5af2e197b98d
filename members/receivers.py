"""Everything members plugs into at start-up: the cache's model signals, the scopes of the
members models, and the moderator flag's scope. Connected once from ``MembersConfig.ready``."""

from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils.translation import gettext_lazy as _

from config.cache import READ_AHEAD, connect_signals, model_scopes, nothing, touch
from config.jinja2 import register_global
from config.markdown import set_mention_resolver

from . import labels, personal_data, services, services_privacy, services_sessions
from .models import (
    MODERATORS_SCOPE,
    ActivityDay,
    Bookmark,
    CommunitySettings,
    DataExport,
    Expertise,
    ExpertRank,
    LetterTemplate,
    Member,
    MemberBadge,
    MemberFollow,
    MembershipApplication,
    MembershipInvitation,
    Mention,
    Notification,
    OutboundEmail,
    ProductAccount,
    SsoGroupMapping,
    SsoNonce,
    member_row_entry,
    member_scopes,
    moderator_entry,
)
from .selectors import (
    COMMUNITY_SETTINGS_ENTRY,
    COMMUNITY_SETTINGS_SCOPE,
    member_profiles_by_name,
)


def forget_moderator_flags(**kwargs: Any) -> None:
    """A member joined or left a group, or a group was renamed or deleted: every cached
    moderator flag is stale, now and again when the change commits (config.cache.remember)."""
    touch(MODERATORS_SCOPE)


def forget_moderator_flag(sender: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        forget_moderator_flags()


def session_seen_at_log_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """The browser's row is written at log-in with "last seen" now: its first period starts
    there (members.middleware.SessionSeenMiddleware writes nothing until it ends)."""
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        services_sessions.session_seen_mark(session_key=session.session_key)


def connect() -> None:
    connect_signals()
    for name, function in labels.GLOBALS.items():
        register_global(name, function)
    user_logged_in.connect(session_seen_at_log_in, dispatch_uid="members.session_seen_at_log_in")
    # Rows no shared page shows: activity days, bookmarks, follows of members (a visitor's
    # profile may show an old count), membership applications and invitations, letter texts,
    # the e-mail outbox, notifications (personal), and Django's and allauth's sessions, log
    # entries, addresses, authenticators.
    for model in (
        ActivityDay,
        Bookmark,
        MemberFollow,
        OutboundEmail,
        Notification,
        Group,
        MembershipApplication,
        MembershipInvitation,
        LetterTemplate,
        ProductAccount,
        SsoNonce,
        SsoGroupMapping,
        DataExport,
        Mention,
    ):
        model_scopes(model, nothing)
    quiet = "sessions.session admin.logentry account.emailconfirmation account.emailaddress"
    social = " socialaccount.socialaccount socialaccount.socialapp socialaccount.socialtoken"
    for label in (quiet + " mfa.authenticator usersessions.usersession" + social).split():
        model_scopes(label, nothing)
    model_scopes(Member, member_scopes)
    READ_AHEAD["members"] = lambda member_id: (
        COMMUNITY_SETTINGS_ENTRY,
        moderator_entry(member_id),
        member_row_entry(member_id),
    )
    model_scopes(Expertise, lambda expertise, fields: ("members",))
    # Ranks show through the experts' list, kept under ``site`` and as old as the page cache.
    model_scopes(ExpertRank, nothing)
    for signal in (post_save, post_delete):  # one expertise saved or deleted (the admin…)
        signal.connect(rank_experts_of, sender=Expertise, dispatch_uid="members.rank_experts")
    # Badges show on the profile, the user card and the badges pages: the members' pages.
    model_scopes(MemberBadge, lambda row, fields: ("members",))
    model_scopes(CommunitySettings, lambda settings, fields: (COMMUNITY_SETTINGS_SCOPE, "site"))
    m2m_changed.connect(
        forget_moderator_flag,
        sender=Member.groups.through,
        dispatch_uid="members.forget_moderator_flag",
    )
    post_save.connect(
        forget_moderator_flags,
        sender=Group,
        dispatch_uid="members.forget_moderator_flags_of_saved_group",
    )
    pre_delete.connect(
        forget_moderator_flags,
        sender=Group,
        dispatch_uid="members.forget_moderator_flags_of_group",
    )
    # ``@name`` in a post links to the member's profile when the member exists.
    set_mention_resolver(member_profiles_by_name)
    register_personal_data()


def rank_experts_of(sender: Any, instance: Expertise, **kwargs: Any) -> None:
    """The tag's experts ranked again at once (``members.services.expert_ranks_refresh``):
    a member who names an area shows beside its questions without waiting for beat."""
    services.expert_ranks_refresh([instance.tag_slug])


def register_personal_data() -> None:
    """What members itself holds about a member (export and erasure: services_privacy)."""
    personal_data.register("members.profile", _("Profile"), export=services_privacy.export_profile)
    personal_data.register(
        "members.notifications", _("Notifications"), export=services_privacy.export_notifications
    )
    personal_data.register(
        "members.activity", _("Days active"), export=services_privacy.export_activity
    )
    personal_data.register(
        "members.sessions", _("Signed-in browsers"), export=services_privacy.export_sessions
    )
    personal_data.register(
        "members.bookmarks", _("Bookmarks"), export=services_privacy.export_bookmarks
    )
    personal_data.register("members.badges", _("Badges"), export=services_privacy.export_badges)
    personal_data.register(
        "members.follows", _("Members you follow"), export=services_privacy.export_follows
    )
    personal_data.register(
        "members.application",
        _("Your application to join"),
        export=services_privacy.export_application,
    )
