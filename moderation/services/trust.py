"""Trust levels from activity: days active, published posts, likes received (reputation),
minus upheld flags against the member. Thresholds: ``VECHE_TRUST_LEVELS``."""

from collections import Counter
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from members.models import MODERATORS_GROUP, ActivityDay, Member

from ..content import ModerationState
from ..models import Flag
from ..registry import CONTENT


def trust_level_for(*, days: int, posts: int, likes: int, flags_upheld: int) -> int:
    level: int = Member.TrustLevel.NEW
    for candidate, need in sorted(settings.VECHE_TRUST_LEVELS.items()):
        if days >= need["days"] and posts >= need["posts"] and likes >= need["likes"]:
            level = candidate
    demotions = flags_upheld // max(settings.VECHE_TRUST_FLAGS_PER_DEMOTION, 1)
    return max(Member.TrustLevel.NEW, level - demotions)


def trust_level_recompute(
    *, member_ids: Iterable[int] | None = None, batch_size: int = 2000
) -> int:
    """Recompute every member's level (staff and moderators keep the top level). A handful of
    grouped queries plus batched updates of the members whose level changed."""
    members = Member.objects.filter(is_active=True)
    if member_ids is not None:
        members = members.filter(pk__in=list(member_ids))
    days = Counter(
        dict(
            ActivityDay.objects.filter(member__in=members)
            .values_list("member")
            .annotate(n=Count("id"))
            .values_list("member", "n")
        )
    )
    posts: Counter = Counter()
    for entry in CONTENT.values():
        if (
            entry.author_field is None
            or not entry.counts_as_post
            or not hasattr(entry.model, "moderation_state")
        ):
            continue
        posts.update(
            dict(
                entry.model._base_manager.filter(
                    moderation_state=ModerationState.PUBLISHED,
                    **{f"{entry.author_field}__in": members},
                )
                .values_list(entry.author_field)
                .annotate(n=Count("pk"))
                .values_list(entry.author_field, "n")
            )
        )
    since = timezone.now() - timedelta(days=settings.VECHE_TRUST_FLAG_WINDOW_DAYS)
    upheld = Counter(
        dict(
            Flag.objects.filter(
                member__in=members, outcome=Flag.Outcome.UPHELD, created_at__gte=since
            )
            .values_list("member")
            .annotate(n=Count("target_id", distinct=True))
            .values_list("member", "n")
        )
    )
    changed = []
    rows = members.values_list("pk", "trust_level", "reputation", "is_staff", "is_superuser")
    moderator_ids = set(
        Member.objects.filter(groups__name=MODERATORS_GROUP).values_list("pk", flat=True)
    )
    for pk, current, reputation, is_staff, is_superuser in rows.iterator(chunk_size=5000):
        if is_staff or is_superuser or pk in moderator_ids:
            level: int = Member.TrustLevel.LEADER
        else:
            level = trust_level_for(
                days=days[pk],
                posts=posts[pk],
                likes=max(reputation, 0),
                flags_upheld=upheld[pk],
            )
        if level != current:
            changed.append(Member(pk=pk, trust_level=level))
    Member.objects.bulk_update(changed, ["trust_level"], batch_size=batch_size)
    return len(changed)
