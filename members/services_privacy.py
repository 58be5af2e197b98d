"""A member's data rights: "export my data" and "delete my account" (docs/identity.md).

Every app registers what it holds about a member in ``members.personal_data`` (from its
``receivers.connect()``); these services walk that registry, so members never imports the
apps above it.
"""

import io
import json
import logging
import secrets
import zipfile
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config.jobs import dispatch
from config.site import absolute_url

# Modules, not names: tasks and the outbox import each other (and this module) at start-up.
from . import personal_data, services_outbox, tasks
from .hooks import member_erased
from .models import (
    ActivityDay,
    Bookmark,
    CommunitySettings,
    DataExport,
    Expertise,
    LetterTemplate,
    Member,
    MemberBadge,
    MemberFollow,
    MembershipApplication,
    MembershipInvitation,
    Notification,
    OutboundEmail,
    ProductAccount,
)
from .selectors import community_settings_get

logger = logging.getLogger("veche.privacy")

# --- export --------------------------------------------------------------------------------


def data_export_request(*, member: Member) -> DataExport:
    """Record the request, then build the archive in the background and e-mail the link."""
    export = DataExport.objects.create(member=member, token=secrets.token_urlsafe(32))
    dispatch(tasks.data_export_build_task, export.pk)
    return export


def _markdown(sections: list[tuple[str, list[dict[str, Any]]]], member: Member) -> str:
    return render_to_string(
        "members/data_export.md", {"member": member, "sections": sections, "now": timezone.now()}
    )


def data_export_archive(*, member: Member) -> bytes:
    """The ZIP of everything the registry knows about ``member``: one JSON file per kind of
    rows, and one Markdown file that reads as a document."""
    buffer = io.BytesIO()
    sections: list[tuple[str, list[dict[str, Any]]]] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for source in personal_data.SOURCES.values():
            found = source.export(member)
            sections.append((str(source.title), found))
            archive.writestr(
                f"json/{source.key}.json",
                json.dumps(found, ensure_ascii=False, indent=2, default=str),
            )
        archive.writestr("README.md", _markdown(sections, member))
    return buffer.getvalue()


def data_export_build(*, export_id: int) -> bool:
    """Build one requested archive and e-mail its link; safe to run twice (a built one is
    left alone)."""
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update()
            .select_related("member")
            .filter(pk=export_id, ready_at__isnull=True)
            .first()
        )
        if export is None or export.member.is_deleted:
            return False
        member = export.member
        language = member.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            export.archive = data_export_archive(member=member)
            now = timezone.now()
            export.ready_at = now
            export.expires_at = now + timedelta(hours=settings.VECHE_DATA_EXPORT_HOURS)
            export.save(update_fields=["archive", "ready_at", "expires_at"])
            link = absolute_url(reverse("members:data-export-download", args=[export.token]))
            body = render_to_string(
                "email/data_export.txt",
                {"member": member, "link": link, "expires_at": export.expires_at},
            )
            subject = _("Your data export is ready")
        services_outbox.email_enqueue(
            [
                OutboundEmail(
                    recipient=member,
                    to=member.email,
                    kind=services_outbox.ACCOUNT_KIND,
                    subject=subject,
                    body=body,
                )
            ]
        )
    return True


def data_export_sweep(*, now: datetime | None = None) -> int:
    """Build requests whose task was lost (a broker outage), and drop expired archives."""
    now = now or timezone.now()
    DataExport.objects.filter(expires_at__lte=now, archive__isnull=False).update(archive=None)
    pending = DataExport.objects.filter(
        ready_at__isnull=True, created_at__lte=now - timedelta(minutes=5)
    ).values_list("pk", flat=True)
    return sum(data_export_build(export_id=pk) for pk in list(pending[:50]))


def data_export_get_for_download(*, member: Member, token: str) -> DataExport | None:
    """The member's own built, unexpired export with this token; ``None`` for anyone else."""
    export = DataExport.objects.filter(token=token, member=member, ready_at__isnull=False).first()
    if export is None or export.is_expired or export.archive is None:
        return None
    return export


# --- deletion ------------------------------------------------------------------------------


def check_can_erase_member(*, actor: Member, member: Member) -> None:
    if member.is_deleted:
        raise PermissionDenied(_("This account is already deleted."))
    if actor.pk != member.pk and not actor.is_staff:
        raise PermissionDenied(_("Only staff can erase another member."))
    if member.is_superuser and actor.pk != member.pk and not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser can erase a superuser."))


def _erase_allauth_rows(member: Member) -> None:
    """allauth's rows: addresses, two-factor devices, linked provider accounts, sessions."""
    for user_session in UserSession.objects.filter(user=member):
        # Ends the browser's session too (the session store's row), not only the list entry.
        user_session.end()
    EmailAddress.objects.filter(user=member).delete()
    Authenticator.objects.filter(user=member).delete()
    SocialAccount.objects.filter(user=member).delete()


def _erase_own_rows(member: Member, pseudonym: str) -> None:
    Expertise.objects.filter(member=member).delete()
    MemberBadge.objects.filter(member=member).delete()
    Notification.objects.filter(recipient=member).delete()
    Notification.objects.filter(actor=member).update(actor=None)
    OutboundEmail.objects.filter(recipient=member).delete()
    OutboundEmail.objects.filter(to__iexact=member.email).delete()
    DataExport.objects.filter(member=member).delete()
    ProductAccount.objects.filter(member=member).delete()
    Bookmark.objects.filter(member=member).delete()
    MemberFollow.objects.filter(Q(follower=member) | Q(followed=member)).delete()
    MembershipApplication.objects.filter(member=member).delete()
    # An invitation names the address it went to: the member's own invitation goes.
    MembershipInvitation.objects.filter(Q(used_by=member) | Q(email__iexact=member.email)).delete()
    MembershipInvitation.objects.filter(invited_by=member).update(invited_by=None)
    LetterTemplate.objects.filter(signer=member).update(signer=None)
    LetterTemplate.objects.filter(updated_by=member).update(updated_by=None)
    EmailAddress.objects.filter(user=member).delete()
    # The admin's history of changes to this member names them.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Member), object_id=str(member.pk)
    ).update(object_repr=pseudonym, change_message="")
    member.groups.clear()
    member.user_permissions.clear()


def _anonymize(member: Member, pseudonym: str, now: datetime) -> None:
    member.username = pseudonym
    member.email = f"{pseudonym}@deleted.invalid"
    member.set_unusable_password()
    for name in ("first_name", "last_name", "display_name", "bio", "website"):
        setattr(member, name, "")
    member.preferred_language = ""
    member.email_preferences = {}
    member.digest_opt_in = False
    member.last_login = None
    member.welcome_sent_at = None
    member.badge = Member.Badge.NONE
    # The avatar's files went with the uploads' eraser (uploads.services_avatars).
    member.avatar = ""
    member.is_active = member.is_staff = member.is_superuser = False
    member.deleted_at = now
    # Kept: the join date, last active day, reputation and trust level, without anyone
    # behind them: the analytics figures of past periods are made of them.
    member.save()


def member_erase(*, actor: Member, member: Member, reason: str = "") -> Member:
    """Erase a member's personal data: every app erases its own rows (the registry), the
    account becomes the anonymous placeholder "Deleted member" (its id is the pseudonymous
    id the audit log keeps), and every session of the member ends. Votes, referrals and
    analytics rows stay on the placeholder, so scores and past figures do not move; public
    posts stay under "Deleted member" or are removed, as the community settings say."""
    check_can_erase_member(actor=actor, member=member)
    settings_row = community_settings_get()
    remove_posts = settings_row.deleted_member_posts == CommunitySettings.DeletedPosts.REMOVE
    now = timezone.now()
    pseudonym = f"deleted-{secrets.token_hex(6)}"
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        for source in personal_data.SOURCES.values():
            source.erase(member, remove_posts)
        _erase_allauth_rows(member)
        _erase_own_rows(member, pseudonym)
        _anonymize(member, pseudonym, now)
        member_erased.send(
            sender=Member,
            member=member,
            actor=None if actor.pk == member.pk else actor,
            reason=reason,
        )
    logger.info("member %s erased (by %s)", member.pk, "self" if actor.pk == member.pk else "staff")
    return member


# --- members' own rows (registered in members.receivers) -----------------------------------


def export_profile(member: Member) -> list[dict[str, Any]]:
    found = personal_data.rows(
        Member.objects.filter(pk=member.pk),
        "username",
        "email",
        "first_name",
        "last_name",
        "display_name",
        "bio",
        "website",
        "preferred_language",
        "email_preferences",
        "digest_opt_in",
        "date_joined",
        "last_login",
        "last_seen",
        "reputation",
        "trust_level",
        "badge",
    )
    found[0]["expertise"] = list(member.expertise.values_list("tag_slug", flat=True))
    found[0]["email_addresses"] = personal_data.rows(
        EmailAddress.objects.filter(user=member), "email", "verified", "primary"
    )
    found[0]["product_account"] = personal_data.rows(
        ProductAccount.objects.filter(member=member), "external_id", "groups", "created_at"
    )
    found[0]["linked_accounts"] = personal_data.rows(
        SocialAccount.objects.filter(user=member), "provider", "uid", "date_joined"
    )
    return found


def export_notifications(member: Member) -> list[dict[str, Any]]:
    return personal_data.rows(
        Notification.objects.filter(recipient=member).order_by("created_at", "id"),
        "kind",
        "params",
        "url",
        "created_at",
        "read_at",
    )


def export_activity(member: Member) -> list[dict[str, Any]]:
    return personal_data.rows(ActivityDay.objects.filter(member=member).order_by("day"), "day")


def export_bookmarks(member: Member) -> list[dict[str, Any]]:
    return personal_data.rows(
        Bookmark.objects.filter(member=member).order_by("created_at", "id"),
        "target_type__model",
        "target_id",
        "note",
        "remind_at",
        "created_at",
    )


def export_follows(member: Member) -> list[dict[str, Any]]:
    return personal_data.rows(
        MemberFollow.objects.filter(follower=member).order_by("created_at", "id"),
        "followed_id",
        "created_at",
    )


def export_application(member: Member) -> list[dict[str, Any]]:
    return personal_data.rows(
        MembershipApplication.objects.filter(member=member),
        "answers",
        "status",
        "created_at",
        "decided_at",
        "reason",
    )


def export_sessions(member: Member) -> list[dict[str, Any]]:
    return personal_data.rows(
        UserSession.objects.filter(user=member).order_by("created_at"),
        "ip",
        "user_agent",
        "created_at",
        "last_seen_at",
    )


def export_badges(member: Member) -> list[dict[str, Any]]:
    return personal_data.rows(
        MemberBadge.objects.filter(member=member).order_by("awarded_at", "pk"),
        "badge",
        "tag",
        "awarded_at",
    )
