"""Scheduling background work safely.

Work is always recorded in the database first; ``dispatch`` only *hints* a worker to do it
now. When the broker is unreachable or frozen the hint is dropped with a log line and the
periodic sweep that owns the work picks it up later, so a request never fails because of the
broker. After a failed publish the process leaves the broker alone for
``VECHE_BROKER_PAUSE_SECONDS`` (a circuit breaker): a frozen broker costs one request a
publish timeout, not every request (docs/jobs.md).
"""

import logging
import time
from typing import Any

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

_paused_until = 0.0  # time.monotonic() before which this process does not publish


def broker_paused() -> bool:
    return time.monotonic() < _paused_until


def dispatch(task: Any, *args: Any, **kwargs: Any) -> None:
    """Send ``task`` after the current transaction commits, never raising."""

    def _send() -> None:
        global _paused_until
        if broker_paused():
            logger.info("Broker paused; %s left to the periodic sweep", task.name)
            return
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except Exception:  # noqa: BLE001 - the broker's failures are many and all non-fatal here
            _paused_until = time.monotonic() + settings.VECHE_BROKER_PAUSE_SECONDS
            logger.warning("Could not dispatch %s; the periodic sweep will retry", task.name)

    transaction.on_commit(_send)
