"""Tags: resolving the names typed by an asker, and recomputing their question counters."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.text import slugify

from moderation.content import ModerationState

from ..models import Question, Tag

MAX_TAGS = 5


def tags_resolve(names: list[str]) -> list[Tag]:
    """Existing tags by name or slug; unknown names become new tags."""
    wanted: dict[str, str] = {}
    for name in names:
        name = name.strip()[:50]
        slug = slugify(name)[:50]
        if slug and slug not in wanted:
            wanted[slug] = name
    wanted = dict(list(wanted.items())[:MAX_TAGS])
    existing = {t.slug: t for t in Tag.objects.filter(slug__in=list(wanted))}
    for slug, name in wanted.items():
        if slug not in existing:
            tag, _created = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
            existing[slug] = tag
    return [existing[s] for s in wanted]


def tags_synchronize() -> int:
    """Recompute every tag's count of published, undeleted questions."""
    counts = (
        Question.objects.filter(
            tags=OuterRef("pk"), moderation_state=ModerationState.PUBLISHED, deleted_at__isnull=True
        )
        .order_by()
        .values("tags")
        .annotate(c=Count("pk"))
        .values("c")
    )
    return Tag.objects.update(question_count=Coalesce(Subquery(counts), 0))
