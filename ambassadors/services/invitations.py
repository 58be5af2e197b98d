"""Invitations by e-mail: the link carries the attribution like a referral link."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from config.site import absolute_url
from members.models import Member
from members.services import email_build, email_enqueue

from ..models import Invitation
from ..permissions import check_can_send_invitations


def invitation_send(*, inviter: Member, email: str, note: str = "") -> Invitation:
    """Invite someone by e-mail. Raises ``ValidationError`` (nothing stored or sent) over the
    daily limit, for a member's address, or for a still-valid invitation to the same person."""
    check_can_send_invitations(inviter)
    email = email.strip()
    now = timezone.now()
    with transaction.atomic():
        # Serialize one member's invitations so two requests cannot both pass the limit.
        Member.objects.select_for_update().filter(pk=inviter.pk).first()
        sent_today = Invitation.objects.filter(
            inviter=inviter, created_at__gt=now - timedelta(days=1)
        ).count()
        limit = settings.VECHE_INVITATIONS_PER_DAY
        if sent_today >= limit:
            raise ValidationError(
                _("You can send at most %(limit)d invitations a day. Please try again tomorrow.")
                % {"limit": limit},
                code="limit",
            )
        if Member.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("This person is already a member."), code="member")
        if Invitation.objects.filter(
            inviter=inviter,
            email__iexact=email,
            status=Invitation.Status.SENT,
            expires_at__gt=now,
        ).exists():
            raise ValidationError(_("You have already invited this person."), code="duplicate")
        invitation = Invitation.objects.create(
            inviter=inviter,
            email=email,
            note=note.strip(),
            token=secrets.token_urlsafe(24),
            created_at=now,
            expires_at=now + timedelta(days=settings.VECHE_INVITATION_DAYS),
        )
        message = email_build(
            member=inviter,
            kind="invitation",
            subject=_("%(name)s invites you to join the community") % {"name": inviter.name},
            template="email/ambassadors/invitation.txt",
            context={
                "inviter": inviter,
                "invitation": invitation,
                "link": absolute_url(
                    reverse("ambassadors:invitation", kwargs={"token": invitation.token})
                ),
            },
        )
        # The addressee is not a member: no recipient row and no unsubscribe link (which
        # would unsubscribe the inviter).
        message.recipient, message.to, message.headers = None, invitation.email, {}
        email_enqueue([message])
    return invitation
