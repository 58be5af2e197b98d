"""Watching idea statuses: setting a level, and telling watchers of an idea published in a
status they watch or moved into it."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.permissions.questions import can_see_private_categories
from members.models import Member
from members.services import notification_send
from members.watching import WatchLevel

from .models import Idea, IdeaStatus, StatusWatch


def status_watch_set(*, member: Member, status: str, level: str) -> StatusWatch | None:
    """Set ``member``'s level for an idea status; normal deletes the row."""
    if not getattr(member, "is_authenticated", False):
        raise PermissionDenied(_("Please log in to watch."))
    if status not in IdeaStatus.values or level not in WatchLevel.values:
        raise ValueError("unknown status or level")
    with transaction.atomic():
        if level == WatchLevel.NORMAL:
            StatusWatch.objects.filter(member=member, status=status).delete()
            return None
        watch, _created = StatusWatch.objects.update_or_create(
            member=member, status=status, defaults={"level": level, "updated_at": timezone.now()}
        )
    return watch


def idea_watchers_notify(
    idea: Idea, *, actor: Member | None, already: Iterable[int | None] = ()
) -> int:
    """Tell the members watching the idea's (new) status, once each: not its author or the
    actor, not those already told of it, not members who may not see its category. Runs only
    for a published idea (``idea_on_publish``, a status change of a visible idea)."""
    if not idea.is_published or idea.merged_into_id:
        return 0
    skip = {pk for pk in already if pk} | {idea.author_id}
    watchers = [
        member
        for member in Member.objects.filter(
            status_watches__status=idea.status,
            status_watches__level=WatchLevel.WATCHING,
            is_active=True,
            banned_at__isnull=True,
        )
        if member.pk not in skip
    ]
    if idea.category.ambassadors_only:
        watchers = [m for m in watchers if can_see_private_categories(m)]
    return notification_send(
        recipients=watchers,
        kind="watched_idea",
        actor=actor,
        params={"title": idea.title, "status": idea.status},
        url=idea.get_absolute_url(),
        target=idea,
    )
