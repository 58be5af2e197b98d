"""Invitations by e-mail: sent through the outbox, rate-limited (acceptance 5), expiring, and
their link works like the referral link."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ambassadors.models import Invitation, Referral
from members.models import Member, OutboundEmail
from tests.factories import MemberFactory

from .factories import InvitationFactory
from .helpers import link_from, signup

pytestmark = pytest.mark.django_db


def _invite(client, email="friend@example.org", note="Come, it's great"):
    return client.post(reverse("ambassadors:invitation-create"), {"email": email, "note": note})


def test_invitation_is_sent_by_email_with_the_note_and_a_working_link(
    member_client, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(member_client)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.status == Invitation.Status.SENT
    message = mail.outbox[-1]
    assert message.to == ["friend@example.org"]
    assert "Come, it's great" in message.body and member.name in message.subject
    assert "unsubscribe" not in message.body.lower()
    outbox = OutboundEmail.objects.get(kind="invitation")
    assert outbox.recipient is None and outbox.sent_at is not None

    page = member_client.get(reverse("ambassadors:program")).content.decode()
    assert "friend@example.org" in page and "Sent" in page

    visitor = Client()
    response = visitor.get(link_from(message))
    assert response.status_code == 302
    assert (
        f"Invited by <strong>{member.name}</strong>"
        in visitor.get(response["Location"]).content.decode()
    )
    signup(visitor, "friend", email="friend@example.org")
    invitation.refresh_from_db()
    friend = Member.objects.get(username="friend")
    assert invitation.status == Invitation.Status.ACCEPTED and invitation.accepted_by == friend
    referral = Referral.objects.get(referred=friend)
    assert referral.referrer == member and referral.invitation == invitation
    assert "Accepted" in member_client.get(reverse("ambassadors:program")).content.decode()


def test_invitations_beyond_the_daily_limit_are_refused_and_nothing_is_sent(
    member_client, member, settings, django_capture_on_commit_callbacks
):
    settings.VECHE_INVITATIONS_PER_DAY = 2
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            assert _invite(member_client, email=f"f{n}@example.org").status_code == 302
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(member_client, email="third@example.org")
    assert response.status_code == 400
    assert "You can send at most 2 invitations a day" in response.content.decode()
    assert Invitation.objects.count() == 2
    assert not Invitation.objects.filter(email="third@example.org").exists()
    assert OutboundEmail.objects.filter(kind="invitation").count() == 2
    assert len(mail.outbox) == sent
    # Yesterday's invitations do not count against today.
    Invitation.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    assert _invite(member_client, email="third@example.org").status_code == 302


def test_an_expired_invitation_link_is_gone_and_credits_nobody(client):
    invitation = InvitationFactory(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(reverse("ambassadors:invitation", args=[invitation.token]))
    assert response.status_code == 410
    assert "no longer valid" in response.content.decode()
    assert "Expired" == invitation.state_label
    signup(client, "late")
    assert not Referral.objects.exists()


def test_an_unknown_invitation_token_is_a_404(client):
    assert client.get(reverse("ambassadors:invitation", args=["nope"])).status_code == 404


@pytest.mark.parametrize(
    ("email", "message"),
    [("not-an-email", "Enter a valid email address"), ("", "This field is required")],
)
def test_bad_invitation_input_is_a_form_error(member_client, email, message):
    response = _invite(member_client, email=email)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_a_member_or_the_same_person_twice_is_refused(member_client, other_member):
    response = _invite(member_client, email=other_member.email.upper())
    assert "already a member" in response.content.decode()
    _invite(member_client, email="twice@example.org")
    response = _invite(member_client, email="twice@example.org")
    assert "already invited this person" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_visitors_cannot_invite(client):
    response = _invite(client)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(reverse("ambassadors:invitation-create")).status_code == 302


def test_new_members_cannot_send_invitations_and_are_told_why(client):
    newcomer = MemberFactory(trust_level=Member.TrustLevel.NEW)
    client.force_login(newcomer)

    page = client.get(reverse("ambassadors:program")).content.decode()
    assert "once you reach the Basic trust level" in page
    assert reverse("ambassadors:invitation-create") not in page

    response = _invite(client)
    assert response.status_code == 403
    assert "once you reach the Basic trust level" in response.content.decode()
    assert not Invitation.objects.exists()
    assert not mail.outbox
    assert not OutboundEmail.objects.filter(kind="invitation").exists()


@pytest.mark.parametrize(
    "attrs", [{"trust_level": Member.TrustLevel.BASIC}, {"trust_level": 0, "is_staff": True}]
)
def test_basic_members_and_staff_can_send_invitations(client, attrs):
    client.force_login(MemberFactory(**attrs))
    assert (
        reverse("ambassadors:invitation-create")
        in client.get(reverse("ambassadors:program")).content.decode()
    )
    assert _invite(client).status_code == 302
    assert Invitation.objects.count() == 1
