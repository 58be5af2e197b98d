"""Acceptance 4 on PostgreSQL: the qualification job run twice, and concurrently with the
contribution itself, credits the referral exactly once."""

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from ambassadors.models import Referral, ReferrerStats
from ambassadors.services import referral_on_contribution, referral_qualify_sweep
from members.models import Notification

from .factories import ReferralFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_running_the_sweep_twice_credits_once(member):
    ReferralFactory(referrer=member, first_contribution_at=timezone.now())
    assert referral_qualify_sweep()["qualified"] == 1
    assert referral_qualify_sweep()["qualified"] == 0
    assert ReferrerStats.objects.get(member=member).qualified == 1
    assert Notification.objects.filter(recipient=member, kind="referral_qualified").count() == 1


def _run_concurrently(*functions):
    barrier = threading.Barrier(len(functions))
    errors = []

    def wrap(fn):
        try:
            barrier.wait()
            fn()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrap, args=(fn,)) for fn in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors


@pytest.mark.parametrize("round_", range(3))
def test_sweeps_concurrent_with_the_contribution_credit_once(member, round_):
    referrals = [ReferralFactory(referrer=member) for _ in range(4)]

    def contribute(referred):
        def run():
            with transaction.atomic():
                referral_on_contribution(member=referred)

        return run

    def sweep():
        # Sees the contributions committed so far; waits on rows being qualified right now.
        for _ in range(3):
            referral_qualify_sweep()

    _run_concurrently(*(contribute(r.referred) for r in referrals), sweep, sweep)
    referral_qualify_sweep()
    assert Referral.objects.filter(status=Referral.Status.QUALIFIED).count() == 4
    assert ReferrerStats.objects.get(member=member).qualified == 4
    assert Notification.objects.filter(recipient=member, kind="referral_qualified").count() == 4
    member.refresh_from_db()
    assert member.badge == "advocate"
    assert Notification.objects.filter(recipient=member, kind="referral_tier_advocate").count() == 1
