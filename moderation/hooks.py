"""Signals moderation sends for the apps above it, inside the service's transaction (a
receiver's rows vanish with a rollback). Receivers call services and hold no logic."""

from django.dispatch import Signal

# A member flagged a post. Argument: ``flag``.
flag_created = Signal()

# An open item of the moderation inbox waited longer than its queue's target age; sent once
# per item, by ``queue_items_overdue_sweep``. Argument: ``item``.
queue_item_overdue = Signal()
