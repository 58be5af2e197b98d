"""The other apps' data that analytics reads and more than one of its modules needs."""

from django.db.models import QuerySet

from ambassadors.models import Referral


def referred_member_ids() -> QuerySet:
    """Ids of members who signed up through a referral, as a subquery."""
    return Referral.objects.values("referred_id")
