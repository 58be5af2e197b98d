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


def test_the_demo_has_an_account_for_each_role_named_in_the_readme():
    ctx = _ctx(members=120, activity_days=200, referrals=60)
    members_demo.seed(ctx)
    demo.seed(ctx)
    accounts = {m.username: m for m in Member.objects.filter(username__in=ROLES)}
    assert set(accounts) == set(ROLES)
    assert accounts["admin"].is_superuser and accounts["support"].is_staff
    assert accounts["moderator"].is_moderator and not accounts["moderator"].is_staff
    assert not accounts["member"].is_staff and not accounts["member"].is_moderator
    assert accounts["member"].badge == "" and accounts["member"].trust_level == 2
    assert accounts["ambassador"].badge == Member.Badge.AMBASSADOR
    for member in accounts.values():
        assert member.check_password(members_demo.DEMO_PASSWORD)


ROLES = ("admin", "support", "moderator", "member", "ambassador")
