"""Acceptance 1: link → sign-up within the window → verification → contribution → one
qualified referral and one notification; after the window nobody is credited."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from ambassadors.models import Referral, ReferralClick, ReferrerStats
from ambassadors.services import referral_on_contribution
from members.models import Member, Notification

from .helpers import link_from, referral_path, signup

pytestmark = pytest.mark.django_db


def test_referred_visitor_who_verifies_and_contributes_qualifies_once(client, member):
    response = client.get(referral_path(member))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert f"Invited by <strong>{member.name}</strong>" in page.content.decode()
    assert ReferralClick.objects.filter(referrer=member).count() == 1

    assert signup(client, "newbie").status_code == 302
    newbie = Member.objects.get(username="newbie")
    referral = Referral.objects.get(referred=newbie)
    assert referral.referrer == member and referral.status == Referral.Status.PENDING
    assert len(referral.signup_ip_hash) == 64 and "127.0.0.1" not in referral.signup_ip_hash

    confirm = link_from(mail.outbox[-1])
    client.post(confirm)
    newbie.refresh_from_db()
    referral_on_contribution(member=newbie)
    referral_on_contribution(member=newbie)  # a second contribution changes nothing

    referral.refresh_from_db()
    assert referral.status == Referral.Status.QUALIFIED
    assert ReferrerStats.objects.get(member=member).qualified == 1
    assert Notification.objects.filter(recipient=member, kind="referral_qualified").count() == 1
    dashboard = client.get("/ambassadors/")  # newbie is logged in after confirming
    assert dashboard.status_code == 200


def test_contribution_before_verification_qualifies_in_the_sweep_after_it(client, member):
    from allauth.account.models import EmailAddress

    from ambassadors.services import referral_qualify_sweep

    client.get(referral_path(member))
    signup(client, "newbie")
    newbie = Member.objects.get(username="newbie")
    referral_on_contribution(member=newbie)
    assert Referral.objects.get(referred=newbie).status == Referral.Status.PENDING
    EmailAddress.objects.filter(user=newbie).update(verified=True)
    assert referral_qualify_sweep()["qualified"] == 1
    assert referral_qualify_sweep()["qualified"] == 0
    assert Notification.objects.filter(recipient=member, kind="referral_qualified").count() == 1


def test_sign_up_after_the_attribution_window_credits_nobody(client, member, settings):
    client.get(referral_path(member))
    later = timezone.now() + timedelta(days=settings.VECHE_REFERRAL_WINDOW_DAYS, hours=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert "Invited by" not in client.get("/accounts/signup/").content.decode()
        signup(client, "latecomer")
    assert Member.objects.filter(username="latecomer").exists()
    assert not Referral.objects.exists()


def test_contribution_after_the_qualification_window_does_not_qualify(client, member, settings):
    client.get(referral_path(member))
    signup(client, "slowpoke")
    slowpoke = Member.objects.get(username="slowpoke")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=slowpoke).update(verified=True)
    later = timezone.now() + timedelta(days=settings.VECHE_REFERRAL_QUALIFY_DAYS + 1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        referral_on_contribution(member=slowpoke)
    assert Referral.objects.get(referred=slowpoke).status == Referral.Status.PENDING
    assert not Notification.objects.filter(recipient=member).exists()


def test_a_forged_cookie_credits_nobody(client, member):
    client.cookies["veche_ref"] = f"{member.pk}::1700000000"
    signup(client, "forger")
    assert not Referral.objects.exists()


def test_unknown_referral_code_is_a_404(client):
    assert client.get("/r/not-a-code/").status_code == 404
