"""The referral program's badge of the catalogue (members.badges): "Recruiter", for a member
whose referral qualified; on the qualification, and the rule of the back-fill job. A referral
clawed back later keeps the badge earned (badges are never taken away)."""

from collections.abc import Iterable

from members.services_badges import badge_award

from ..models import Referral


def badges_on_referral_qualified(*, referral: Referral) -> None:
    badge_award(member=referral.referrer_id, slug="recruiter")


def recruiter_holders() -> Iterable[tuple[int, str]]:
    referrers = (
        Referral.objects.filter(status=Referral.Status.QUALIFIED)
        .values_list("referrer_id", flat=True)
        .distinct()
    )
    return ((pk, "") for pk in referrers)
