"""Scheduling background work safely.

Work is always recorded in the database first; ``dispatch`` only *hints* a worker to do it
now. When the broker is unreachable the hint is dropped with a log line and the periodic
sweep that owns the work picks it up later, so a request never fails because of the broker.
"""

import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def dispatch(task: Any, *args: Any, **kwargs: Any) -> None:
    """Send ``task`` after the current transaction commits, never raising."""

    def _send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except Exception:  # noqa: BLE001 - the broker's failures are many and all non-fatal here
            logger.warning("Could not dispatch %s; the periodic sweep will retry", task.name)

    transaction.on_commit(_send)
