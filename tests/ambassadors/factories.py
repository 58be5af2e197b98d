import factory
from django.utils import timezone

from ambassadors.models import Invitation, Referral, ReferralCode, ReferrerStats
from tests.factories import MemberFactory


class ReferralCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferralCode

    member = factory.SubFactory(MemberFactory)
    code = factory.Sequence(lambda n: f"code{n:08d}")


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    referrer = factory.SubFactory(MemberFactory)
    referred = factory.SubFactory(MemberFactory)
    signup_ip_hash = factory.Sequence(lambda n: f"ip{n}")


class QualifiedReferralFactory(ReferralFactory):
    status = Referral.Status.QUALIFIED
    qualified_at = factory.LazyFunction(timezone.now)
    first_contribution_at = factory.LazyFunction(timezone.now)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    inviter = factory.SubFactory(MemberFactory)
    email = factory.Sequence(lambda n: f"friend{n}@example.org")
    token = factory.Sequence(lambda n: f"token{n:010d}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=14))


def give_qualified(member, count: int) -> None:
    """``count`` qualified referrals for ``member`` with consistent counters."""
    for _ in range(count):
        QualifiedReferralFactory(referrer=member)
    ReferrerStats.objects.update_or_create(
        member=member, defaults={"qualified": count, "signups": count}
    )
