"""Acceptance 3: tiers, applications through the moderation queue, approval, revocation."""

import pytest
from django.urls import reverse

from ambassadors.models import AmbassadorApplication, Referral, ReferrerStats
from ambassadors.permissions import is_ambassador
from ambassadors.services import referral_clawback_for, referral_qualify
from members.models import Member, Notification
from moderation.models import AuditLogEntry, QueueItem
from tests.factories import MemberFactory, logged_in

from .factories import ReferralFactory, give_qualified

pytestmark = pytest.mark.django_db


def _qualify_n(referrer, n):
    from django.utils import timezone

    for _ in range(n):
        referral = ReferralFactory(referrer=referrer, first_contribution_at=timezone.now())
        assert referral_qualify(referral=referral)


def test_three_qualified_referrals_make_an_advocate_announced_once(member):
    _qualify_n(member, 3)
    member.refresh_from_db()
    assert member.badge == Member.Badge.ADVOCATE
    assert Notification.objects.filter(recipient=member, kind="referral_tier_advocate").count() == 1
    assert Notification.objects.filter(recipient=member, kind="referral_qualified").count() == 3
    _qualify_n(member, 1)
    assert Notification.objects.filter(recipient=member, kind="referral_tier_advocate").count() == 1


def test_ten_qualified_referrals_make_a_member_eligible_and_staff_approve(client, member, staff):
    _qualify_n(member, 10)
    assert (
        Notification.objects.filter(recipient=member, kind="referral_tier_ambassador").count() == 1
    )
    client.force_login(member)
    page = client.get(reverse("ambassadors:program")).content.decode()
    assert "Apply to become an ambassador" in page

    response = client.post(
        reverse("ambassadors:apply"), {"motivation": "I help new customers every week here."}
    )
    assert response.status_code == 302
    application = AmbassadorApplication.objects.get(member=member)
    item = QueueItem.objects.get(queue="ambassador_applications", resolved_at__isnull=True)
    assert item.target == application and item.member == member
    assert "waiting for review" in client.get(reverse("ambassadors:program")).content.decode()

    # Staff approve it in the moderation inbox, which hands the decision to the program.
    approved = logged_in(staff).post(
        reverse("moderation:item-approve", args=[item.pk]), {"message": "Welcome!"}
    )
    assert approved.status_code == 302
    item.refresh_from_db()
    assert item.resolution == QueueItem.Resolution.APPROVED and item.resolved_by == staff
    application.refresh_from_db()
    assert application.status == AmbassadorApplication.Status.APPROVED
    member.refresh_from_db()
    assert member.badge == Member.Badge.AMBASSADOR and is_ambassador(member)
    assert Notification.objects.filter(recipient=member, kind="ambassador_approved").count() == 1
    assert ReferrerStats.objects.get(member=member).ambassador_since is not None
    # The badge is shown next to the name (members_tags.member_link).
    assert "badge-ambassador" in client.get(reverse("ambassadors:leaderboard")).content.decode()


def test_staff_reject_an_application_from_the_program_review_page(staff_client, member):
    give_qualified(member, 10)
    from ambassadors.services import ambassador_application_submit

    ambassador_application_submit(member=member, motivation="Please let me in, I love it.")
    item = QueueItem.objects.get(queue="ambassador_applications")
    staff_client.post(
        reverse("ambassadors:staff-decide", args=[item.pk]),
        {"decision": "reject", "message": "Not yet."},
    )
    member.refresh_from_db()
    assert member.badge != Member.Badge.AMBASSADOR
    assert AmbassadorApplication.objects.get().status == "rejected"
    assert Notification.objects.filter(recipient=member, kind="ambassador_rejected").exists()


def test_an_application_deleted_since_is_resolved_in_the_inbox_without_a_decision(member, staff):
    give_qualified(member, 10)
    from ambassadors.services import ambassador_application_submit

    ambassador_application_submit(member=member, motivation="Please let me in, I love it.")
    item = QueueItem.objects.get(queue="ambassador_applications")
    AmbassadorApplication.objects.all().delete()
    approved = logged_in(staff).post(reverse("moderation:item-approve", args=[item.pk]))
    assert approved.status_code == 302
    item.refresh_from_db()
    assert item.resolution == QueueItem.Resolution.APPROVED
    member.refresh_from_db()
    assert member.badge != Member.Badge.AMBASSADOR


def test_automatic_approval_by_setting(client, member, settings):
    settings.VECHE_AMBASSADOR_AUTO_APPROVE = True
    give_qualified(member, 10)
    client.force_login(member)
    client.post(reverse("ambassadors:apply"), {"motivation": "I help new customers every week."})
    member.refresh_from_db()
    assert member.badge == Member.Badge.AMBASSADOR
    assert not QueueItem.objects.filter(queue="ambassador_applications").exists()


def test_a_member_below_the_tier_cannot_apply(client, member):
    give_qualified(member, 9)
    client.force_login(member)
    assert "Apply to become" not in client.get(reverse("ambassadors:program")).content.decode()
    response = client.post(reverse("ambassadors:apply"), {"motivation": "x" * 40})
    assert response.status_code == 403
    assert not AmbassadorApplication.objects.exists()


def test_a_too_short_motivation_is_a_form_error(client, member):
    give_qualified(member, 10)
    client.force_login(member)
    response = client.post(reverse("ambassadors:apply"), {"motivation": "pls"})
    assert response.status_code == 400
    assert "at least 20 characters" in response.content.decode()


def test_staff_revoke_the_status_and_it_is_logged(staff_client, staff, member):
    give_qualified(member, 10)
    Member.objects.filter(pk=member.pk).update(badge=Member.Badge.AMBASSADOR)
    page = staff_client.get(reverse("ambassadors:staff-review")).content.decode()
    assert member.name in page
    response = staff_client.post(
        reverse("ambassadors:revoke", args=[member.pk]), {"reason": "Spam invitations"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.badge == Member.Badge.ADVOCATE
    entry = AuditLogEntry.objects.get()
    assert (entry.action, entry.actor, entry.member) == ("ambassador_revoke", staff, member)
    assert entry.target_id == member.pk and entry.reason == "Spam invitations"
    assert Notification.objects.filter(recipient=member, kind="ambassador_lost").exists()


def test_a_member_cannot_revoke(member_client, other_member):
    Member.objects.filter(pk=other_member.pk).update(badge=Member.Badge.AMBASSADOR)
    response = member_client.post(
        reverse("ambassadors:revoke", args=[other_member.pk]), {"reason": "x"}
    )
    assert response.status_code == 403


def test_clawback_when_the_referred_member_is_banned_within_the_window(member):
    from django.utils import timezone

    from ambassadors.services import referral_qualify_sweep

    _qualify_n(member, 3)
    banned, suspended = [r.referred for r in Referral.objects.order_by("id")[:2]]
    assert referral_clawback_for(member=banned) == 1
    Member.objects.filter(pk=suspended.pk).update(
        suspended_until=timezone.now() + timezone.timedelta(days=3)
    )
    assert referral_qualify_sweep()["clawed_back"] == 1
    assert referral_qualify_sweep()["clawed_back"] == 0
    assert ReferrerStats.objects.get(member=member).qualified == 1
    member.refresh_from_db()
    assert member.badge == ""  # below the Advocate tier again
    assert Referral.objects.filter(status=Referral.Status.CLAWED_BACK).count() == 2


def test_sanctions_after_the_window_do_not_claw_back(member, settings):
    from django.utils import timezone

    old = timezone.now() - timezone.timedelta(days=settings.VECHE_REFERRAL_QUALIFY_DAYS + 5)
    referral = ReferralFactory(
        referrer=member, created_at=old, status=Referral.Status.QUALIFIED, qualified_at=old
    )
    assert referral_clawback_for(member=referral.referred) == 0
    Member.objects.filter(pk=referral.referred_id).update(banned_at=timezone.now())
    from ambassadors.services import referral_qualify_sweep

    assert referral_qualify_sweep()["clawed_back"] == 0


def test_a_pending_referral_of_a_banned_member_never_qualifies(member):
    from django.utils import timezone

    referral = ReferralFactory(
        referrer=member,
        first_contribution_at=timezone.now(),
        referred=MemberFactory(banned_at=timezone.now()),
    )
    assert not referral_qualify(referral=referral)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.CLAWED_BACK
