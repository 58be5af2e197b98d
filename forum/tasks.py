from celery import shared_task

from config import counters

from .services import sweeps


@shared_task(name="forum.accept_reminder_sweep")
def accept_reminder_sweep_task() -> int:
    return sweeps.accept_reminder_sweep()


@shared_task(name="forum.unanswered_digest_send")
def unanswered_digest_send_task() -> int:
    return sweeps.unanswered_digest_send()


@shared_task(name="forum.counters_flush")
def counters_flush_task() -> int:
    """The views counted in Redis since the last flush, added to the database
    (config.counters)."""
    return counters.flush()
