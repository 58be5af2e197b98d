"""Signals the idea board sends for the apps above it, inside the service's transaction (a
receiver's rows vanish with a rollback; work for after the commit goes through
``transaction.on_commit``). Receivers call services and hold no logic."""

from django.dispatch import Signal

# An idea became visible (posted, or approved by a moderator). Argument: ``idea``.
idea_published = Signal()

# Staff moved an idea to another status. Arguments: ``idea``, ``change`` (the
# ``IdeaStatusChange`` row: from, to, note, by).
idea_status_changed = Signal()
