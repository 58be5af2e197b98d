"""Writes for members: activity, profiles, notifications and the e-mail outbox."""

import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from email.utils import formataddr, parseaddr
from typing import TYPE_CHECKING, Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from config.cache import SITE, touch
from config.site import absolute_url, site_url

from .letters import letter_for, manager_name
from .models import (
    ActivityDay,
    CommunitySettings,
    Expertise,
    ExpertRank,
    LetterTemplate,
    Member,
    Notification,
    OutboundEmail,
    SummaryFrequency,
)
from .notifications import get_kind, render_message
from .permissions import check_is_staff
from .selectors import (
    COMMUNITY_SETTINGS_SCOPE,
    community_settings_get,
    member_experts_in,
    welcome_letter_get,
)
from .services_outbox import email_enqueue
from .services_outbox import outbox_deliver as outbox_deliver
from .summary import SUMMARY_KIND

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "veche.unsubscribe"


# --- activity ------------------------------------------------------------------------


def activity_record(*, member: Member, day: date | None = None) -> bool:
    """Mark ``member`` active on ``day``. Returns True when this was the first activity that day.

    Costs nothing when the member object already says it was seen that day, and a single
    conditional UPDATE plus one INSERT the first time each day.
    """
    day = day or timezone.localdate()
    if member.last_seen is not None and member.last_seen >= day:
        return False
    with transaction.atomic():
        updated = (
            Member.objects.filter(pk=member.pk)
            .filter(Q(last_seen__lt=day) | Q(last_seen__isnull=True))
            .update(last_seen=day)
        )
        if updated:
            ActivityDay.objects.bulk_create(
                [ActivityDay(member_id=member.pk, day=day)], ignore_conflicts=True
            )
    member.last_seen = day
    return bool(updated)


# --- profile ---------------------------------------------------------------------------


def member_update_profile(
    *,
    member: Member,
    display_name: str,
    bio: str,
    website: str,
    preferred_language: str,
    expertise: Iterable[str],
) -> Member:
    slugs = sorted({s for s in expertise if s})
    with transaction.atomic():
        member.display_name = display_name
        member.bio = bio
        member.website = website
        member.preferred_language = preferred_language
        member.save(update_fields=["display_name", "bio", "website", "preferred_language"])
        had = set(Expertise.objects.filter(member=member).values_list("tag_slug", flat=True))
        # A row deleted ranks its tag again itself (members.receivers.rank_experts_of); a
        # bulk insert sends no signal, so the tags added are ranked here.
        Expertise.objects.filter(member=member).exclude(tag_slug__in=slugs).delete()
        Expertise.objects.bulk_create(
            [Expertise(member=member, tag_slug=s) for s in slugs], ignore_conflicts=True
        )
        if added := set(slugs) - had:
            expert_ranks_refresh(added)
    return member


# The best experts kept per tag (ExpertRank): more than a question shows (forum's
# EXPERTS_KEPT, 15) so that a ban or a lost expertise between refreshes leaves enough.
EXPERTS_RANKED = 20


def expert_ranks_refresh(tag_slugs: Iterable[str] | None = None) -> int:
    """Rank the best ``EXPERTS_RANKED`` experts by reputation of each of ``tag_slugs``, or of
    every tag (``None``: beat's ``members.expert_ranks_refresh``, since reputation moves with
    every vote; ranks of tags nobody has expertise in any more go). Returns the rows ranked."""
    everything = tag_slugs is None
    slugs = sorted(
        set(Expertise.objects.values_list("tag_slug", flat=True).distinct())
        if tag_slugs is None
        else set(tag_slugs)
    )
    ranks = [
        ExpertRank(tag_slug=slug, member_id=pk)
        for slug in slugs
        for pk in member_experts_in([slug]).values_list("pk", flat=True)[:EXPERTS_RANKED]
    ]
    with transaction.atomic():
        (
            ExpertRank.objects.all()
            if everything
            else ExpertRank.objects.filter(tag_slug__in=slugs)
        ).delete()
        ExpertRank.objects.bulk_create(ranks, ignore_conflicts=True)  # a refresh at the same time
    return len(ranks)


# --- community settings ------------------------------------------------------------------


def member_avatar_set(*, member: Member, key: str) -> str:
    """Store the key of ``member``'s picture ("" for the generated letters; the uploads app
    keeps the files: uploads.services_avatars); returns the key it replaced. The bulk update
    touches the scopes of a shown field (``Member.avatar`` is drawn beside every post)."""
    with transaction.atomic():
        old = (
            Member.objects.select_for_update()
            .filter(pk=member.pk)
            .values_list("avatar", flat=True)
            .first()
        )
        Member.objects.filter(pk=member.pk).update(avatar=key)
    member.avatar = key
    return old or ""


def community_settings_update(*, actor: Member, settings: CommunitySettings) -> CommunitySettings:
    """Save the community settings staff edited (the admin's form). Every request reads them
    from a cache; its scope is touched now and again when the save commits, so no request
    that read the old row meanwhile can keep serving it (``config.cache.remember``). Every
    page shows them (the name, private mode): ``site`` too."""
    check_is_staff(actor)
    with transaction.atomic():
        settings.save()
        touch(COMMUNITY_SETTINGS_SCOPE, SITE)
    return settings


def member_update_email_preferences(
    *,
    member: Member,
    preferences: dict[str, bool],
    digest_opt_in: bool,
    summary_frequency: str | None = None,
) -> Member:
    member.email_preferences = {k: bool(v) for k, v in preferences.items()}
    member.digest_opt_in = digest_opt_in
    if summary_frequency in SummaryFrequency.values:
        member.summary_frequency = summary_frequency
    member.save(update_fields=["email_preferences", "digest_opt_in", "summary_frequency"])
    return member


def member_set_language(*, member: Member, language: str) -> None:
    if language in dict(settings.LANGUAGES):
        Member.objects.filter(pk=member.pk).update(preferred_language=language)
        member.preferred_language = language


def wants_email(member: Member, kind: str) -> bool:
    if not member.email or not member.is_active or member.banned_at:
        return False
    pref = (member.email_preferences or {}).get(kind)
    return get_kind(kind).email_default if pref is None else bool(pref)


# --- unsubscribe -----------------------------------------------------------------------


def unsubscribe_token(*, member: Member, kind: str) -> str:
    return signing.dumps({"m": member.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(*, member: Member, kind: str) -> str:
    token = unsubscribe_token(member=member, kind=kind)
    return absolute_url(reverse("members:unsubscribe", kwargs={"token": token}))


def unsubscribe_resolve(token: str) -> tuple[Member, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        member = Member.objects.get(pk=data["m"])
        return member, str(data["k"])
    except (signing.BadSignature, Member.DoesNotExist, KeyError, TypeError):
        return None


def member_unsubscribe(*, member: Member, kind: str) -> None:
    """Turn off e-mail of one kind (``digest`` turns off the weekly digest, ``summary`` the
    summary e-mail)."""
    if kind == "digest":
        Member.objects.filter(pk=member.pk).update(digest_opt_in=False)
        member.digest_opt_in = False
        return
    if kind == SUMMARY_KIND:
        Member.objects.filter(pk=member.pk).update(summary_frequency=SummaryFrequency.NEVER)
        member.summary_frequency = SummaryFrequency.NEVER
        return
    prefs = dict(member.email_preferences or {})
    prefs[kind] = False
    member.email_preferences = prefs
    member.save(update_fields=["email_preferences"])


# --- e-mail outbox ---------------------------------------------------------------------


def email_build(
    *,
    member: Member,
    kind: str,
    subject: "StrOrPromise",  # a lazy translation is rendered in the member's language
    template: str,
    context: dict[str, Any] | None = None,
    sender: Member | None = None,
) -> OutboundEmail:
    """Render an e-mail for ``member`` in their language, with a one-click unsubscribe.

    ``template`` names a text template; an ``.html`` twin is used when it exists. A letter a
    person writes (a manager's welcome or outreach) has a ``sender``: their name is the
    From's display name (the address stays the site's, which the mail server may send for)
    and a reply goes to their own address.
    """
    unsubscribe = unsubscribe_url(member=member, kind=kind)
    ctx = {
        "member": member,
        "site_url": site_url(),
        "unsubscribe_url": unsubscribe,
        **(context or {}),
    }
    language = member.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        body = render_to_string(template, ctx)
        subject = str(subject)
    return OutboundEmail(
        recipient=member,
        to=member.email,
        kind=kind,
        subject=subject[:250],
        body=body,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            **(sender_headers(sender) if sender is not None else {}),
        },
    )


def sender_headers(sender: Member) -> dict[str, str]:
    site_address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    headers = {"From": formataddr((sender.name, site_address))}
    if sender.email:
        headers["Reply-To"] = sender.email
    return headers


# --- notifications ---------------------------------------------------------------------


def notification_send(
    *,
    recipients: Iterable[Member],
    kind: str,
    actor: Member | None = None,
    params: dict[str, Any] | None = None,
    url: str = "",
    target: models.Model | None = None,
    email_subject: str | None = None,
    email_template: str = "email/notification.txt",
) -> int:
    """Notify each recipient once (duplicates and the actor are skipped): an in-site row, and
    an outbox e-mail for those whose preferences allow ``kind``. Returns how many were told."""
    params = dict(params or {})
    if actor is not None and "actor" not in params:
        params["actor"] = actor.name
    unique: dict[int, Member] = {}
    for member in recipients:
        if member is None or (actor is not None and member.pk == actor.pk):
            continue
        unique.setdefault(member.pk, member)
    if not unique:
        return 0
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    now = timezone.now()
    rows = [
        Notification(
            recipient_id=pk,
            kind=kind,
            actor=actor,
            params=params,
            url=url,
            target_type=target_type,
            target_id=target.pk if target is not None else None,
            created_at=now,
        )
        for pk in unique
    ]
    with transaction.atomic():
        Notification.objects.bulk_create(rows)
        Member.objects.filter(pk__in=list(unique)).update(
            unread_notifications=F("unread_notifications") + 1
        )
        emails = []
        for member in unique.values():
            if not wants_email(member, kind):
                continue
            language = member.preferred_language or settings.LANGUAGE_CODE
            with translation.override(language):
                message = render_message(kind, params)
                subject = email_subject or message
            emails.append(
                email_build(
                    member=member,
                    kind=kind,
                    subject=subject,
                    template=email_template,
                    context={
                        "message": message,
                        "url": absolute_url(url) if url else "",
                        "params": params,
                    },
                )
            )
        email_enqueue(emails)
    return len(unique)


def notification_mark_read(*, member: Member, ids: Iterable[int] | None = None) -> int:
    """Mark some (or all, when ``ids`` is None) of a member's notifications read."""
    with transaction.atomic():
        qs = Notification.objects.filter(recipient=member, read_at__isnull=True)
        if ids is not None:
            qs = qs.filter(pk__in=list(ids))
        count = qs.update(read_at=timezone.now())
        if count:
            remaining = Notification.objects.filter(recipient=member, read_at__isnull=True).count()
            Member.objects.filter(pk=member.pk).update(unread_notifications=remaining)
            member.unread_notifications = remaining
    return count


def notifications_synchronize(*, member: Member | None = None) -> int:
    """Recompute ``unread_notifications`` from the notification rows."""
    members = Member.objects.all() if member is None else Member.objects.filter(pk=member.pk)
    unread = (
        Notification.objects.filter(recipient=models.OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(c=models.Count("id"))
        .values("c")
    )
    return members.update(
        unread_notifications=models.functions.Coalesce(models.Subquery(unread), 0)
    )


# --- welcome ---------------------------------------------------------------------------


def welcome_email_sweep(*, now: datetime | None = None) -> int:
    """Write the welcome e-mail to members who joined ``VECHE_WELCOME_DELAY_SECONDS`` ago
    (a day by default) or earlier.

    Idempotent: each member is claimed by a conditional UPDATE of ``welcome_sent_at`` in the
    same transaction that puts the e-mail in the outbox, so repeated or concurrent sweeps never
    send twice and a lost task only delays the e-mail until the next sweep. Members who joined
    more than ``VECHE_WELCOME_MAX_AGE_DAYS`` ago (e.g. after a long outage) are skipped.
    """
    now = now or timezone.now()
    welcome = welcome_letter_get()
    community = community_settings_get().community_name
    newest = now - timedelta(seconds=settings.VECHE_WELCOME_DELAY_SECONDS)
    oldest = now - timedelta(days=settings.VECHE_WELCOME_MAX_AGE_DAYS)
    verified = EmailAddress.objects.filter(user=models.OuterRef("pk"), verified=True)
    due = list(
        Member.objects.filter(
            welcome_sent_at__isnull=True,
            is_active=True,
            banned_at__isnull=True,
            date_joined__lte=newest,
            date_joined__gte=oldest,
        )
        .filter(models.Exists(verified))
        .order_by("date_joined")[:1000]
    )
    sent = 0
    for member in due:
        with transaction.atomic():
            claimed = Member.objects.filter(pk=member.pk, welcome_sent_at__isnull=True).update(
                welcome_sent_at=now
            )
            if not claimed:
                continue
            language = member.preferred_language or settings.LANGUAGE_CODE
            with translation.override(language):
                values = {
                    "name": member.name,
                    "manager": manager_name(welcome.signer, community),
                    "community": community,
                }
                letter = letter_for(welcome, language, values)
            email_enqueue(
                [
                    email_build(
                        member=member,
                        kind="welcome",
                        subject=letter.subject,
                        template="email/welcome.txt",
                        context={"letter": letter.body},
                        sender=welcome.signer,
                    )
                ]
            )
            sent += 1
    return sent


def member_create(
    *, username: str, email: str, password: str | None = None, verified: bool = True, **extra: Any
) -> Member:
    """Create a member with a (by default verified) primary e-mail address. For commands,
    tests and demo data; people sign up through allauth."""
    with transaction.atomic():
        member = Member.objects.create_user(
            username=username, email=email, password=password, **extra
        )
        try:
            EmailAddress.objects.create(user=member, email=email, verified=verified, primary=True)
        except IntegrityError:
            pass
    return member


# --- letters staff write ---------------------------------------------------------------------


def letter_template_save(*, actor: Member, template: LetterTemplate) -> LetterTemplate:
    """Save a letter template staff edited on the site (its form validated the texts)."""
    check_is_staff(actor)
    template.updated_at = timezone.now()
    template.updated_by = actor
    template.save()
    return template
