"""Bookmarks: keeping a post for later, with a note and a reminder, and the sweep that sends
the reminders that are due."""

import logging
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

# A module, not its name: services imports the outbox, whose tasks import this module.
from . import services
from .bookmarks import bookmarkable_for, resolve
from .models import Bookmark, Member

logger = logging.getLogger(__name__)

MAX_BOOKMARKS = 2000  # per member: a list a person can still read
REMINDERS_PER_SWEEP = 500


def bookmark_target_check(*, member: Member, content_type: ContentType, object_id: int) -> str:
    """The title of what ``member`` wants to keep; ``PermissionDenied`` when it is nothing one
    can bookmark or nothing they may see (the same answer for both: no probing)."""
    entry = bookmarkable_for(content_type)
    shown = entry.load(member, [object_id]).get(object_id) if entry is not None else None
    if shown is None:
        raise PermissionDenied(_("There is nothing here you can bookmark."))
    return shown[0]


def _check_reminder(remind_at: datetime | None) -> None:
    if remind_at is not None and remind_at <= timezone.now():
        raise ValidationError(_("Choose a reminder in the future."))


def bookmark_save(
    *,
    member: Member,
    content_type: ContentType,
    object_id: int,
    note: str = "",
    remind_at: datetime | None = None,
) -> Bookmark:
    """Keep the post (or change the note and reminder of the bookmark the member has)."""
    bookmark_target_check(member=member, content_type=content_type, object_id=object_id)
    _check_reminder(remind_at)
    with transaction.atomic():
        bookmark, created = Bookmark.objects.select_for_update().get_or_create(
            member=member,
            target_type=content_type,
            target_id=object_id,
            defaults={"note": note, "remind_at": remind_at},
        )
        if created:
            if Bookmark.objects.filter(member=member).count() > MAX_BOOKMARKS:
                raise ValidationError(
                    _("You have %(count)d bookmarks: remove some before adding more.")
                    % {"count": MAX_BOOKMARKS}
                )
        else:
            bookmark_update(bookmark=bookmark, note=note, remind_at=remind_at)
    return bookmark


def bookmark_update(*, bookmark: Bookmark, note: str, remind_at: datetime | None) -> Bookmark:
    _check_reminder(remind_at)
    if remind_at != bookmark.remind_at:
        bookmark.reminded_at = None  # a new reminder is sent again
    bookmark.note, bookmark.remind_at = note, remind_at
    bookmark.save(update_fields=["note", "remind_at", "reminded_at"])
    return bookmark


def bookmark_delete(*, bookmark: Bookmark) -> None:
    bookmark.delete()


def bookmark_reminders_send(*, now: datetime | None = None) -> int:
    """Remind members of the bookmarks whose time has come, once each: a notification (and an
    e-mail, as their preferences say) naming the post — only while they may still see it.
    Rows are claimed with ``SKIP LOCKED`` on PostgreSQL, so two sweeps never remind twice."""
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        due = Bookmark.objects.filter(remind_at__lte=now, reminded_at__isnull=True).order_by(
            "remind_at", "id"
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        rows = list(due.select_related("member")[:REMINDERS_PER_SWEEP])
        # What each member may still see, one look-up per member (and kind of post), not per row.
        by_member: dict[int, list[Bookmark]] = {}
        for bookmark in rows:
            by_member.setdefault(bookmark.member_id, []).append(bookmark)
        for kept in by_member.values():
            member = kept[0].member
            shown = resolve(member, [(b.target_type_id, b.target_id) for b in kept])
            for bookmark in kept:
                found = shown.get((bookmark.target_type_id, bookmark.target_id))
                if found is None or not member.is_active:
                    continue
                title, url = found
                services.notification_send(
                    recipients=[member],
                    kind="bookmark_reminder",
                    params={"title": title, "note": bookmark.note},
                    url=url,
                )
                sent += 1
        Bookmark.objects.filter(pk__in=[b.pk for b in rows]).update(reminded_at=now)
    if sent:
        logger.info("Sent %d bookmark reminders", sent)
    return sent
