import pytest

from ambassadors import demo
from ambassadors.models import Referral, ReferralClick, ReferralCode, ReferrerStats
from config.seeding import SeedContext
from members import demo as members_demo
from members.models import Member
from moderation.models import QueueItem

pytestmark = pytest.mark.django_db


def _ctx(**sizes):
    ctx = SeedContext(quiet=True)
    ctx.sizes.update(sizes)
    return ctx


def test_demo_seeds_codes_referrals_advocates_and_ambassadors_once():
    ctx = _ctx(members=120, activity_days=200, referrals=60)
    members_demo.seed(ctx)
    demo.seed(ctx)
    assert ReferralCode.objects.count() == Member.objects.count()
    assert Referral.objects.count() == 60
    assert Referral.objects.filter(status="qualified").count() > 20
    assert Referral.objects.filter(status="pending").exists()
    assert ReferralClick.objects.count() >= Referral.objects.count()
    assert Member.objects.filter(badge="advocate").exists()
    assert Member.objects.filter(badge="ambassador").exists()
    stats = ReferrerStats.objects.order_by("-qualified").first()
    assert (
        stats.qualified
        == Referral.objects.filter(referrer_id=stats.member_id, status="qualified").count()
    )
    suspicious = Referral.objects.filter(status="suspicious").count()
    assert QueueItem.objects.filter(queue="suspicious_referrals").count() == suspicious
    before = Referral.objects.count()
    demo.seed(ctx)  # idempotent
    assert Referral.objects.count() == before


def test_demo_scales_to_two_thousand_referrals(django_assert_max_num_queries):
    ctx = _ctx(members=2800, activity_days=2800, referrals=2000)
    members_demo.seed(ctx)
    with django_assert_max_num_queries(80):
        demo.seed(ctx)
    assert Referral.objects.count() == 2000
