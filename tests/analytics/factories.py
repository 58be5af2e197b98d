"""Helpers to build hand-made analytics data sets quickly."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from members.models import ActivityDay, Member
from tests.factories import MemberFactory


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def member_joined(day: date, *, active: list[date] = (), **kwargs) -> Member:
    """A member who signed up on ``day`` and was active on each of ``active`` (and whose
    ``last_seen`` is the last of them)."""
    member = MemberFactory(date_joined=at(day), **kwargs)
    if active:
        ActivityDay.objects.bulk_create([ActivityDay(member=member, day=d) for d in active])
        member.last_seen = max(active)
        member.save(update_fields=["last_seen"])
    return member


def many_members(count: int, *, joined: date, today: date) -> None:
    """``count`` members in bulk, each active on three days (for query-count tests)."""
    members = Member.objects.bulk_create(
        [
            Member(
                username=f"bulk{i}",
                email=f"bulk{i}@example.com",
                date_joined=at(joined + timedelta(days=i % 20)),
                last_seen=today,
            )
            for i in range(count)
        ]
    )
    ActivityDay.objects.bulk_create(
        [
            ActivityDay(member=m, day=d)
            for i, m in enumerate(members)
            for d in {joined + timedelta(days=i % 20), today - timedelta(days=i % 9), today}
        ]
    )
