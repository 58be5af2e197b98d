"""Club mode: in a private community a sign-up is an application that staff or a moderator
approve or decline (the moderation inbox holds them, in its own queue), and staff may invite
someone directly, who then joins without applying."""

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config.site import absolute_url, site_url

from .hooks import member_applied
from .models import Member, MembershipApplication, MembershipInvitation, OutboundEmail
from .permissions import can_moderate, check_is_staff
from .selectors import community_settings_get
from .services import email_build
from .services_outbox import email_enqueue

MEMBERSHIP_KIND = "membership"
# The session key that carries a staff invitation from its link to the sign-up form.
INVITATION_SESSION_KEY = "veche_membership_invitation"
# The session key that lets the applicant see the page of their application after signing up.
APPLICANT_SESSION_KEY = "veche_membership_applicant"


def membership_application_submit(
    *, member: Member, answers: list[dict[str, str]]
) -> MembershipApplication:
    """Record the application of someone who just signed up to a private community: the
    account stays inactive until it is approved, and the moderation inbox gets an item."""
    with transaction.atomic():
        Member.objects.filter(pk=member.pk).update(is_active=False)
        member.is_active = False
        application, _created = MembershipApplication.objects.get_or_create(
            member=member, defaults={"answers": answers}
        )
        member_applied.send(sender=MembershipApplication, application=application)
    return application


def _check_can_decide(actor: Member) -> None:
    if not (can_moderate(actor) or getattr(actor, "is_staff", False)):
        raise PermissionDenied(_("Only staff and moderators can decide applications."))


def membership_application_decide(
    *, actor: Member, application: MembershipApplication, approve: bool, reason: str = ""
) -> bool:
    """Approve (the account can log in) or decline an application, and tell the applicant by
    e-mail, with the reason when one is given. Returns False when it was already decided."""
    _check_can_decide(actor)
    status = (
        MembershipApplication.Status.APPROVED if approve else MembershipApplication.Status.DECLINED
    )
    now = timezone.now()
    with transaction.atomic():
        decided = MembershipApplication.objects.filter(
            pk=application.pk, status=MembershipApplication.Status.PENDING
        ).update(status=status, decided_at=now, decided_by=actor, reason=reason)
        if not decided:
            return False
        application.status, application.decided_at, application.reason = status, now, reason
        member = Member.objects.get(pk=application.member_id)
        if approve:
            member.is_active = True
            member.save(update_fields=["is_active"])
        email_enqueue(
            [
                email_build(
                    member=member,
                    kind=MEMBERSHIP_KIND,
                    subject=_("Welcome: your application is approved")
                    if approve
                    else _("Your application was declined"),
                    template="email/membership_approved.txt"
                    if approve
                    else "email/membership_declined.txt",
                    context={
                        "reason": reason,
                        "community": community_settings_get().community_name,
                        "login_url": absolute_url(reverse("account_login")),
                    },
                )
            ]
        )
    return True


def membership_invitation_create(*, actor: Member, email: str) -> MembershipInvitation:
    """Staff invite someone directly: an e-mail with a link to sign up without applying."""
    check_is_staff(actor)
    email = email.strip()
    if Member.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("Someone with this e-mail address is already a member."))
    with transaction.atomic():
        invitation = MembershipInvitation.objects.create(
            email=email, token=secrets.token_urlsafe(24), invited_by=actor
        )
        link = absolute_url(reverse("members:join", kwargs={"token": invitation.token}))
        community = community_settings_get().community_name
        with translation.override(actor.preferred_language or settings.LANGUAGE_CODE):
            body = render_to_string(
                "email/membership_invitation.txt",
                {"link": link, "inviter": actor, "community": community, "site_url": site_url()},
            )
            subject = _("You are invited to join %(community)s") % {"community": community}
        email_enqueue(
            [
                OutboundEmail(
                    recipient=None, to=email, kind=MEMBERSHIP_KIND, subject=subject, body=body
                )
            ]
        )
    return invitation


def membership_invitation_use(*, token: str, member: Member) -> bool:
    """Mark the invitation used by ``member`` (who just signed up through it). Returns False
    when the token is unknown or already used, so the sign-up becomes an application."""
    return bool(
        MembershipInvitation.objects.filter(token=token, used_at__isnull=True).update(
            used_at=timezone.now(), used_by=member
        )
    )
