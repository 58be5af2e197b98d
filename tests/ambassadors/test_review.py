"""The monthly ambassador review (hysteresis), the background tasks and the counters."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from ambassadors.models import ReferralClick, ReferrerStats
from ambassadors.services import ambassador_review_monthly
from ambassadors.tasks import ambassador_review_monthly_task, referral_qualify_sweep_task
from members.models import Member, Notification
from moderation.models import AuditLogEntry

from .factories import QualifiedReferralFactory, ReferralFactory, give_qualified

pytestmark = pytest.mark.django_db


@pytest.fixture
def ambassador(member):
    give_qualified(member, 10)
    long_ago = timezone.now() - timedelta(days=200)
    from ambassadors.models import Referral

    Referral.objects.filter(referrer=member).update(qualified_at=long_ago)
    ReferrerStats.objects.filter(member=member).update(ambassador_since=long_ago)
    Member.objects.filter(pk=member.pk).update(badge=Member.Badge.AMBASSADOR)
    return member


def test_an_ambassador_below_the_threshold_is_warned_then_loses_the_status_a_period_later(
    ambassador,
):
    now = timezone.now()
    assert ambassador_review_monthly(now=now)["warned"] == 1
    assert ambassador_review_monthly(now=now)["warned"] == 0  # running twice warns once
    ambassador.refresh_from_db()
    assert ambassador.badge == Member.Badge.AMBASSADOR
    assert Notification.objects.filter(recipient=ambassador, kind="ambassador_warning").count() == 1

    # A week later: not a whole period yet.
    assert ambassador_review_monthly(now=now + timedelta(days=7))["revoked"] == 0
    # A month later and still below: the status ends (logged and notified).
    assert ambassador_review_monthly(now=now + timedelta(days=30))["revoked"] == 1
    ambassador.refresh_from_db()
    assert ambassador.badge == Member.Badge.ADVOCATE
    assert Notification.objects.filter(recipient=ambassador, kind="ambassador_lost").count() == 1
    logged = AuditLogEntry.objects.order_by("pk")
    assert [entry.action for entry in logged] == ["ambassador_warn", "ambassador_revoke"]
    assert {(entry.actor, entry.member, entry.target_id) for entry in logged} == {
        (None, ambassador, ambassador.pk)  # the monthly job acts on its own
    }


def test_a_warned_ambassador_who_recovers_keeps_the_status(ambassador):
    now = timezone.now()
    ambassador_review_monthly(now=now)
    QualifiedReferralFactory(referrer=ambassador, qualified_at=now + timedelta(days=10))
    result = ambassador_review_monthly(now=now + timedelta(days=30))
    assert result == {"warned": 0, "revoked": 0, "recovered": 1}
    ambassador.refresh_from_db()
    assert ambassador.badge == Member.Badge.AMBASSADOR
    assert ReferrerStats.objects.get(member=ambassador).warned_at is None


def test_new_ambassadors_are_not_reviewed_in_their_first_period(ambassador):
    ReferrerStats.objects.filter(member=ambassador).update(ambassador_since=timezone.now())
    assert ambassador_review_monthly() == {"warned": 0, "revoked": 0, "recovered": 0}


def test_tasks_run_the_services(member):
    ReferralFactory(referrer=member, first_contribution_at=timezone.now())
    assert referral_qualify_sweep_task.apply().get() == {"clawed_back": 0, "qualified": 1}
    assert ambassador_review_monthly_task.apply().get() == {
        "warned": 0,
        "revoked": 0,
        "recovered": 0,
    }


def test_synchronize_recomputes_the_counters(member):
    give_qualified(member, 3)
    ReferralFactory(referrer=member)
    ReferralClick.objects.create(referrer=member, visitor="v", day=timezone.localdate())
    ReferrerStats.objects.filter(member=member).update(qualified=99, signups=0, clicks=5)
    call_command("synchronize_referrals")
    stats = ReferrerStats.objects.get(member=member)
    assert (stats.clicks, stats.signups, stats.qualified) == (1, 4, 3)
