"""Forum settings read at call time (tests and staff change them at runtime)."""

from django.conf import settings


def accept_reminder_days() -> int:
    return int(getattr(settings, "FORUM_ACCEPT_REMINDER_DAYS", 3))


def staff_reply_hours() -> int:
    return int(getattr(settings, "FORUM_STAFF_REPLY_HOURS", 48))
