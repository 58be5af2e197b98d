"""Acceptance 2: no credit for self-referrals, look-alike e-mails or bursts from one address;
the doubtful ones wait in the suspicious-referrals queue for staff."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from ambassadors.fraud import email_lookalike_regex, email_normalize, emails_look_alike
from ambassadors.models import Referral, ReferrerStats
from ambassadors.services import referral_on_contribution
from members.models import Member, Notification
from moderation.models import QueueItem
from tests.factories import MemberFactory

from .helpers import referral_path, signup

pytestmark = pytest.mark.django_db


def _qualified_count(member) -> int:
    stats = ReferrerStats.objects.filter(member=member).first()
    return stats.qualified if stats else 0


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("John.Smith+forum@gmail.com", "johnsmith@googlemail.com", True),
        ("j.o.h.n@GMAIL.com", "john@gmail.com", True),
        ("anna+x@example.com", "Anna@Example.com", True),
        ("an.na@example.com", "anna@example.com", False),  # dots matter outside Gmail
        ("anna@example.com", "anna@example.org", False),
    ],
)
def test_email_normalization(a, b, same):
    assert emails_look_alike(a, b) is same


@given(st.emails())
def test_lookalike_pattern_matches_the_address_and_its_normal_form(email):
    import re

    pattern = email_lookalike_regex(email)
    assert re.match(pattern, email, re.IGNORECASE)
    assert re.match(pattern, email_normalize(email), re.IGNORECASE)


def test_a_member_following_their_own_link_gets_no_credit(client, member):
    path = referral_path(member)
    client.force_login(member)
    client.get(path)
    client.logout()
    # Same person, new account with a Gmail-style alias of the referrer's address.
    member.email = "ref.erer@gmail.com"
    member.save()
    client.get(path)
    signup(client, "alias", email="referer+again@gmail.com")
    assert not Referral.objects.exists()


def test_a_second_account_with_a_lookalike_email_is_suspicious_not_counted(client, member):
    MemberFactory(email="first.person@gmail.com")
    client.get(referral_path(member))
    signup(client, "second", email="firstperson+2@gmail.com")
    referral = Referral.objects.get(referred__username="second")
    assert referral.status == Referral.Status.SUSPICIOUS
    item = QueueItem.objects.get(queue="suspicious_referrals")
    assert item.target == referral and item.member == member
    referral_on_contribution(member=referral.referred)
    assert _qualified_count(member) == 0


def test_a_burst_of_sign_ups_from_one_address_goes_to_the_queue(client, member, settings):
    settings.VECHE_REFERRAL_BURST_LIMIT = 2
    path = referral_path(member)
    for n in range(4):
        client.get(path)
        signup(client, f"burst{n}")
        client.logout()
    statuses = list(Referral.objects.order_by("id").values_list("status", flat=True))
    assert statuses == [Referral.Status.SUSPICIOUS] * 4
    assert QueueItem.objects.filter(queue="suspicious_referrals").count() == 4
    for referred in Member.objects.filter(username__startswith="burst"):
        referral_on_contribution(member=referred)
    assert _qualified_count(member) == 0


def test_sign_ups_from_different_addresses_are_not_a_burst(client, member, settings):
    settings.VECHE_REFERRAL_BURST_LIMIT = 1
    path = referral_path(member)
    for n in range(2):
        client.get(path, REMOTE_ADDR=f"10.0.0.{n}")
        signup(client, f"far{n}", remote_addr=f"10.0.0.{n}")
        client.logout()
    assert set(Referral.objects.values_list("status", flat=True)) == {Referral.Status.PENDING}


def test_staff_approve_a_suspicious_referral_and_it_qualifies(staff_client, member):
    client = Client()
    MemberFactory(email="twin@example.com")
    client.get(referral_path(member))
    signup(client, "twin", email="twin+b@example.com")
    twin = Member.objects.get(username="twin")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=twin).update(verified=True)
    referral_on_contribution(member=twin)  # recorded while under review
    item = QueueItem.objects.get(queue="suspicious_referrals")
    page = staff_client.get(reverse("ambassadors:staff-review"))
    assert twin.name in page.content.decode()
    response = staff_client.post(
        reverse("ambassadors:staff-decide", args=[item.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.resolution == "approved"
    # The contribution made during the review counts at once; staff trusted the address.
    assert Referral.objects.get(referred=twin).status == Referral.Status.QUALIFIED
    assert _qualified_count(member) == 1
    assert Notification.objects.filter(recipient=member, kind="referral_qualified").count() == 1


def test_staff_reject_a_suspicious_referral(staff_client, member):
    client = Client()
    MemberFactory(email="dup@example.com")
    client.get(referral_path(member))
    signup(client, "dup", email="dup+x@example.com")
    item = QueueItem.objects.get(queue="suspicious_referrals")
    staff_client.post(reverse("ambassadors:staff-decide", args=[item.pk]), {"decision": "reject"})
    assert Referral.objects.get().status == Referral.Status.REJECTED
    assert ReferrerStats.objects.get(member=member).signups == 0
    assert not Notification.objects.filter(recipient=member).exists()


@pytest.mark.parametrize("who", ["anonymous", "member", "moderator"])
def test_only_staff_can_open_or_decide_the_review_page(client, who, member, moderator):
    if who == "member":
        client.force_login(member)
    elif who == "moderator":
        client.force_login(moderator)
    response = client.get(reverse("ambassadors:staff-review"))
    assert response.status_code == (302 if who == "anonymous" else 403)
    response = client.post(reverse("ambassadors:staff-decide", args=[1]), {"decision": "approve"})
    assert response.status_code == (302 if who == "anonymous" else 403)


def test_bad_decision_input_is_a_400_not_a_500(staff_client, member):
    from ambassadors.models import AmbassadorApplication
    from moderation.services import queue_item_add

    application = AmbassadorApplication.objects.create(member=member, motivation="x" * 30)
    item = queue_item_add(queue="ambassador_applications", target=application, member=member)
    response = staff_client.post(
        reverse("ambassadors:staff-decide", args=[item.pk]), {"decision": "maybe"}
    )
    assert response.status_code == 400
    assert (
        staff_client.post(
            reverse("ambassadors:staff-decide", args=[999999]), {"decision": "approve"}
        ).status_code
        == 404
    )
