"""The idea board's badge of the catalogue (members.badges): "Visionary", for the author of a
shipped idea; on the status change, and the rule of the back-fill job (ideas.receivers)."""

from collections.abc import Iterable
from typing import Any

from members.services_badges import badge_award
from moderation.content import ModerationState

from .models import Idea, IdeaStatus


def badges_on_status_changed(*, idea: Idea, change: Any) -> None:
    if change.to_status == IdeaStatus.SHIPPED and idea.author_id is not None:
        badge_award(member=idea.author_id, slug="visionary")


def visionary_holders() -> Iterable[tuple[int, str]]:
    authors = (
        Idea.objects.filter(
            status=IdeaStatus.SHIPPED,
            moderation_state=ModerationState.PUBLISHED,
            author__isnull=False,
        )
        .values_list("author_id", flat=True)
        .distinct()
    )
    return ((pk, "") for pk in authors)
